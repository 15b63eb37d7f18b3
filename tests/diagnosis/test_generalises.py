"""Does the matcher find a mistake written another way than its variant: beside a second mistake, with
another choice for an output the mistake does not define, combined with a second mistake on the same
outputs; and are mistakes the numbers cannot tell apart named as candidates rather than dropped?

The student functions here are written in the tests, from the answer key's cell functions
(``solutions``) or from scratch: none of them comes from ``grader.diagnosis.buggy``.
"""
from __future__ import annotations

import copy
import textwrap

import numpy as np
import pytest

import solutions
from grader.diagnosis.diagnose import diagnose_case_detail, diagnose_item, diagnose_item_detail
from grader.diagnosis.globals_scan import notebook_globals_read
from grader.loading.units import CodeUnit
from tests.diagnosis.cases_support import SHAPES, make_case

LSTM_GRADS = ("dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo")


def _sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def lstm_backward_by_steps(dh, x, h0, parameters, *, carry_h=True, carry_c=True, dh0="carried",
                           overwrite=False, first_h="h0"):
    """BPTT over the answer key's cell backward, with the loop's mistakes switched by keywords."""
    h, _, c = solutions.lstm_forward(x, h0, parameters)
    n_x, m, T = x.shape
    n_h = h0.shape[0]
    grads = {k: 0.0 for k in LSTM_GRADS}
    dx = np.zeros((n_x, m, T))
    dh_prev, dc_prev = np.zeros((n_h, m)), np.zeros((n_h, m))
    for t in reversed(range(T)):
        h_prev = h[:, :, t - 1] if t else (h0 if first_h == "h0" else np.zeros_like(h0))
        c_prev = c[:, :, t - 1] if t else np.zeros((n_h, m))
        step = solutions.lstm_cell_backward(dh[:, :, t] + (dh_prev if carry_h else 0.0),
                                            dc_prev if carry_c else np.zeros((n_h, m)),
                                            x[:, :, t], h_prev, c_prev, parameters)
        dx[:, :, t] = step["dxt"]
        for k in LSTM_GRADS:
            grads[k] = step[k] if overwrite else grads[k] + step[k]
        dh_prev, dc_prev = step["dh_prev"], step["dc_prev"]
    return {"dx": dx, "dh0": np.zeros_like(h0) if dh0 == "zeros" else dh_prev, **grads}


def lstm_cell_backward_dc_without_h(dh_next, dc_next, xt, h_prev, c_prev, parameters):
    """A from-scratch cell backward whose dc takes nothing from dh_next (``dc = dc_next``), used by
    every gate; the rest is right."""
    P = parameters
    n_h = h_prev.shape[0]
    z = np.concatenate([h_prev, xt], axis=0)
    f = _sigmoid(P["Wf"] @ z + P["bf"])
    i = _sigmoid(P["Wi"] @ z + P["bi"])
    g = np.tanh(P["Wc"] @ z + P["bc"])
    o = _sigmoid(P["Wo"] @ z + P["bo"])
    c_next = f * c_prev + i * g
    dc = dc_next  # the mistake: no dh_next * o * (1 - tanh(c_next)**2)
    d_o = dh_next * np.tanh(c_next) * o * (1 - o)
    d_f = dc * c_prev * f * (1 - f)
    d_i = dc * g * i * (1 - i)
    d_g = dc * i * (1 - g ** 2)
    out = {}
    dz = np.zeros_like(z)
    for name, d in (("f", d_f), ("i", d_i), ("c", d_g), ("o", d_o)):
        out["dW" + name] = d @ z.T
        out["db" + name] = d.sum(axis=1, keepdims=True)
        dz += P["W" + name].T @ d
    out.update(dh_prev=dz[:n_h], dxt=dz[n_h:], dc_prev=dc * f)
    return out


def _item(item, student, shapes=SHAPES, seed=40, **kw):
    """``diagnose_item_detail`` over one case per shape, the student's function run on each."""
    pairs = []
    for k, shape in enumerate(shapes):
        case = make_case(item, shape, seed + k, case_id=f"public-{k}")
        pairs.append((case, student(*copy.deepcopy(case.args), **kw)))
    return diagnose_item_detail(item, pairs)


def test_no_carry_at_all_with_dh0_returned_as_zeros_is_no_bptt_carry():
    """Is dh0, which a backward carrying nothing back does not define, left out of the comparison?"""
    found = _item("lstm_backward", lstm_backward_by_steps, carry_h=False, carry_c=False, dh0="zeros")
    assert found.named == ("no_bptt_carry",)
    carried = _item("lstm_backward", lstm_backward_by_steps, carry_h=False, carry_c=False)
    assert carried.named == ("no_bptt_carry",)


def test_dc_without_the_h_path_everywhere_is_dc_missing_dh_path():
    assert _item("lstm_cell_backward", lstm_cell_backward_dc_without_h).named == ("dc_missing_dh_path",)


def test_two_mistakes_on_the_same_outputs_are_named_as_both():
    """dh not carried and the parameter gradients overwritten: both change dW and db; no single
    variant reproduces them, their combination does."""
    found = _item("lstm_backward", lstm_backward_by_steps, carry_h=False, overwrite=True)
    assert found.named == ("no_dh_accumulation", "overwrite_param_grads")
    assert found.candidates == ()


def test_two_mistakes_on_different_outputs_are_named_as_both():
    """dc_prev without the h path (dc_prev only) and bias gradients without keepdims."""

    def student(*args):
        out = solutions.lstm_cell_backward(*args)
        dh_next, dc_next, xt, h_prev, c_prev, parameters = args
        f = _sigmoid(parameters["Wf"] @ np.vstack((h_prev, xt)) + parameters["bf"])
        out["dc_prev"] = dc_next * f
        for k in ("dbf", "dbi", "dbc", "dbo"):
            out[k] = out[k][:, 0]
        return out

    assert _item("lstm_cell_backward", student).named == ("dc_missing_dh_path", "bias_grad_axis")


def test_mistakes_the_numbers_cannot_tell_apart_are_named_as_candidates():
    found = _item("lstm_backward", lstm_backward_by_steps, carry_c=False)
    assert found.named == ("dc_missing_dh_path", "no_dc_carry")
    assert found.candidates == (frozenset({"dc_missing_dh_path", "no_dc_carry"}),)


def test_a_mistake_is_not_named_when_an_output_it_defines_differs():
    """no_dc_carry defines dh0 (dh is still carried): a student whose dh0 is something else has not
    made that mistake alone, and the other outputs matching it is not enough."""

    def student(*args):
        out = lstm_backward_by_steps(*args, carry_c=False)
        out["dh0"] = 2.0 * out["dh0"]
        return out

    assert _item("lstm_backward", student).named == ()


def test_three_mistakes_at_once_are_named():
    """A cell whose input gate and candidate swap their activations (tanh on i, σ on c̃) and whose
    softmax runs over the examples: no pair reproduces h, c and y, three mistakes do."""

    def student(xt, h_prev, c_prev, parameters):
        P = parameters
        hx = np.vstack((h_prev, xt))
        f = _sigmoid(P["Wf"] @ hx + P["bf"])
        i = np.tanh(P["Wi"] @ hx + P["bi"])
        g = _sigmoid(P["Wc"] @ hx + P["bc"])
        o = _sigmoid(P["Wo"] @ hx + P["bo"])
        c_next = f * c_prev + i * g
        h_next = o * np.tanh(c_next)
        z = P["Wy"] @ h_next + P["by"]
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return h_next, c_next, e / e.sum(axis=1, keepdims=True)

    shapes = [s for s in SHAPES if s["m"] > 1]
    found = _item("lstm_cell_forward", student, shapes=shapes)
    assert found.named == ("candidate_sigmoid", "gate_activation_swapped", "softmax_axis")


def test_a_bias_gradient_broadcast_into_a_square_is_bias_grad_axis():
    """db of shape (n_h,) added to an (n_h, 1) accumulator: an (n_h, n_h) array whose rows are db."""

    def student(*args):
        out = solutions.lstm_backward(*args)
        for k in ("dbf", "dbi", "dbc", "dbo"):
            out[k] = np.zeros_like(out[k]) + out[k][:, 0]
        return out

    assert _item("lstm_backward", student).named == ("bias_grad_axis",)


def test_one_state_array_stored_at_every_step_is_state_aliasing():
    """A GRU sequence that keeps updating one array in place and stores it at every step."""

    def student(x, h0, parameters):
        state, hs, ys = h0.copy(), [], []
        for t in range(x.shape[2]):
            h_next, y = solutions.gru_cell_forward(x[:, :, t], state, parameters)
            state[...] = h_next
            hs.append(state)
            ys.append(y)
        return np.stack(hs, axis=2), np.stack(ys, axis=2)

    assert _item("gru_forward", student).named == ("state_aliasing",)


def test_h0_ignored_in_the_backward_pass_only_is_h0_zeros():
    assert _item("lstm_backward", lstm_backward_by_steps, first_h="zeros").named == ("h0_zeros",)


def test_a_form_is_not_contradicted_by_another_form_of_its_mistake():
    """db summed over the examples' axis 0 (form "axis0") beside a second, uncatalogued mistake (dW
    doubled): on the one-example case the form changes nothing while the other form (db without
    keepdims) would; that case fails only through dW and must not rule bias_grad_axis out."""

    def student(dh, x, h0, parameters):
        U, W, b = parameters["U"], parameters["W"], parameters["b"]
        T = x.shape[2]
        hs, h = [], h0
        for t in range(T):
            h = h + np.tanh(U @ h + W @ x[:, :, t] + b)
            hs.append(h)
        dU, dW, db = np.zeros_like(U), np.zeros_like(W), 0.0
        dx, carry = np.zeros_like(x), np.zeros_like(h0)
        for t in reversed(range(T)):
            prev = hs[t - 1] if t else h0
            g = dh[:, :, t] + carry
            dz = g * (1 - np.tanh(U @ prev + W @ x[:, :, t] + b) ** 2)
            dU += dz @ prev.T
            dW += 2 * dz @ x[:, :, t].T
            db = db + dz.sum(axis=0, keepdims=True)
            dx[:, :, t] = W.T @ dz
            carry = g + U.T @ dz
        return {"dx": dx, "dh0": carry, "dU": dU, "dW": dW, "db": db}

    assert _item("residual_rnn_backward", student).named == ("bias_grad_axis",)


def test_correct_code_gets_nothing():
    case = make_case("lstm_backward", SHAPES[0], 3)
    detail = diagnose_case_detail("lstm_backward", case, lstm_backward_by_steps(*copy.deepcopy(case.args)))
    assert not detail.failed
    assert diagnose_item("lstm_backward", [detail]) == []


@pytest.mark.parametrize("body, expected", [
    ('return globals()["Wf"] @ np.vstack((h_prev, xt))', ["Wf"]),
    ('W = {k: globals()[k] for k in ("Wf", "Wi")}\n    return W["Wf"]', ["globals()[k]"]),
    ('return globals().get("Wo") @ xt', ["Wo"]),
    ('nb = sys.modules[__name__]\n    return nb.Wf @ xt + getattr(nb, "bf")', ["Wf", "bf"]),
    ('import __main__\n    return __main__.Wy', ["Wy"]),
    ('return importlib.import_module("__main__").Wc', ["Wc"]),
    ('return parameters["Wf"] @ np.vstack((h_prev, xt))', []),
], ids=["subscript", "dynamic key", "get", "sys.modules", "import __main__", "import_module", "parameters"])
def test_weights_read_by_reflection_or_through_the_module_are_notebook_globals(body, expected):
    source = textwrap.dedent('''
    import importlib
    import sys
    import numpy as np
    Wf = np.ones((5, 8))
    def lstm_cell_forward(xt, h_prev, c_prev, parameters):
        {body}
    ''').replace("{body}", body)
    assert notebook_globals_read("lstm_cell_forward", [CodeUnit("cell 1", source, 0)]) == expected
