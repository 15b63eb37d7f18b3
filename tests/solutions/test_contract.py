"""Does the answer key keep the student-facing contract: return orders, dict keys, shapes, dtypes,
inputs left untouched, gate conventions, and error messages a person can act on?"""
from __future__ import annotations

import copy

import numpy as np
import pytest

from .answer_key_cases_support import gru_parameters, lstm_parameters, residual_parameters, rng_for
from solutions import (
    clip_by_global_norm, gru_backward, gru_cell_backward, gru_cell_forward, gru_forward, lstm_backward,
    lstm_cell_backward, lstm_cell_forward, lstm_forward, residual_rnn_backward, residual_rnn_forward,
    residual_rnn_step_jacobian,
)

n_x, n_h, n_y, m, T = 3, 4, 2, 5, 6
LSTM_GRAD_KEYS = ["dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo"]
GRU_GRAD_KEYS = ["dWz", "dbz", "dWr", "dbr", "dWh", "dbh"]
W_SHAPE, B_SHAPE = (n_h, n_h + n_x), (n_h, 1)


def inputs():
    rng = rng_for("contract")
    return {
        "x": rng.standard_normal((n_x, m, T)), "xt": rng.standard_normal((n_x, m)),
        "h": rng.standard_normal((n_h, m)), "c": rng.standard_normal((n_h, m)),
        "dh": rng.standard_normal((n_h, m, T)), "dht": rng.standard_normal((n_h, m)),
        "lstm": lstm_parameters(rng, n_x, n_h, n_y), "gru": gru_parameters(rng, n_x, n_h, n_y),
        "gru_bhh": gru_parameters(rng, n_x, n_h, n_y, bhh=True), "res": residual_parameters(rng, n_x, n_h),
    }


INPUTS = inputs()
CASES = {
    # id: (call, expected structure: list of shapes for a tuple, or dict of key -> shape)
    "lstm_cell_forward": (lambda: lstm_cell_forward(INPUTS["xt"], INPUTS["h"], INPUTS["c"], INPUTS["lstm"]),
                          [(n_h, m), (n_h, m), (n_y, m)]),
    "lstm_cell_backward": (lambda: lstm_cell_backward(INPUTS["dht"], INPUTS["dht"], INPUTS["xt"], INPUTS["h"], INPUTS["c"], INPUTS["lstm"]),
                           {"dxt": (n_x, m), "dh_prev": (n_h, m), "dc_prev": (n_h, m),
                            **{k: W_SHAPE if k[1] == "W" else B_SHAPE for k in LSTM_GRAD_KEYS}}),
    "lstm_forward": (lambda: lstm_forward(INPUTS["x"], INPUTS["h"], INPUTS["lstm"]), [(n_h, m, T), (n_y, m, T), (n_h, m, T)]),
    "lstm_backward": (lambda: lstm_backward(INPUTS["dh"], INPUTS["x"], INPUTS["h"], INPUTS["lstm"]),
                      {"dx": (n_x, m, T), "dh0": (n_h, m),
                       **{k: W_SHAPE if k[1] == "W" else B_SHAPE for k in LSTM_GRAD_KEYS}}),
    "gru_cell_forward": (lambda: gru_cell_forward(INPUTS["xt"], INPUTS["h"], INPUTS["gru"]), [(n_h, m), (n_y, m)]),
    "gru_cell_backward": (lambda: gru_cell_backward(INPUTS["dht"], INPUTS["xt"], INPUTS["h"], INPUTS["gru"]),
                          {"dxt": (n_x, m), "dh_prev": (n_h, m),
                           **{k: W_SHAPE if k[1] == "W" else B_SHAPE for k in GRU_GRAD_KEYS}}),
    "gru_forward": (lambda: gru_forward(INPUTS["x"], INPUTS["h"], INPUTS["gru"]), [(n_h, m, T), (n_y, m, T)]),
    "gru_backward": (lambda: gru_backward(INPUTS["dh"], INPUTS["x"], INPUTS["h"], INPUTS["gru"]),
                     {"dx": (n_x, m, T), "dh0": (n_h, m),
                      **{k: W_SHAPE if k[1] == "W" else B_SHAPE for k in GRU_GRAD_KEYS}}),
    "gru_backward-reset_after+bhh": (
        lambda: gru_backward(INPUTS["dh"], INPUTS["x"], INPUTS["h"], INPUTS["gru_bhh"], variant="reset_after"),
        {"dx": (n_x, m, T), "dh0": (n_h, m), **{k: W_SHAPE if k[1] == "W" else B_SHAPE for k in GRU_GRAD_KEYS},
         "dbhh": B_SHAPE}),
    "residual_rnn_forward": (lambda: residual_rnn_forward(INPUTS["x"], INPUTS["h"], INPUTS["res"]), (n_h, m, T)),
    "residual_rnn_backward": (lambda: residual_rnn_backward(INPUTS["dh"], INPUTS["x"], INPUTS["h"], INPUTS["res"]),
                              {"dx": (n_x, m, T), "dh0": (n_h, m), "dU": (n_h, n_h), "dW": (n_h, n_x),
                               "db": (n_h, 1)}),
    "residual_rnn_step_jacobian": (lambda: residual_rnn_step_jacobian(INPUTS["xt"], INPUTS["h"], INPUTS["res"]), (m, n_h, n_h)),
}


@pytest.mark.parametrize("name", list(CASES))
def test_returns_the_contract_structure(name):
    call, expected = CASES[name]
    value = call()
    if isinstance(expected, list):
        assert isinstance(value, tuple) and [v.shape for v in value] == expected
        arrays = value
    elif isinstance(expected, dict):
        assert isinstance(value, dict) and list(value) == list(expected)      # keys in contract order
        assert {k: v.shape for k, v in value.items()} == expected
        arrays = value.values()
    else:
        assert value.shape == expected
        arrays = [value]
    for a in arrays:
        assert type(a) is np.ndarray and a.dtype == np.float64 and a.flags.c_contiguous


@pytest.mark.parametrize("name", list(CASES))
def test_inputs_are_not_modified(name):
    before = copy.deepcopy(INPUTS)
    CASES[name][0]()
    for key, value in before.items():
        if isinstance(value, dict):
            for k in value:
                np.testing.assert_array_equal(INPUTS[key][k], value[k], err_msg=f"{key}[{k}]")
        else:
            np.testing.assert_array_equal(INPUTS[key], value, err_msg=key)


def test_backward_outputs_do_not_alias_each_other():
    grads = lstm_cell_backward(INPUTS["dht"], INPUTS["dht"], INPUTS["xt"], INPUTS["h"], INPUTS["c"], INPUTS["lstm"])
    arrays = list(grads.values())
    for a in range(len(arrays)):
        for b in range(a + 1, len(arrays)):
            assert not np.shares_memory(arrays[a], arrays[b])


def test_gru_update_gate_convention():
    """NNDL: h = z⊙h_prev + (1 − z)⊙h̃, so z = 1 keeps h_prev and z = 0 with r = 1 is a plain RNN."""
    p = copy.deepcopy(INPUTS["gru"])
    p["Wz"][:] = 0.0
    p["bz"][:] = 1000.0
    np.testing.assert_allclose(gru_cell_forward(INPUTS["xt"], INPUTS["h"], p)[0], INPUTS["h"], rtol=1e-15, atol=1e-15)
    p["bz"][:] = -1000.0
    p["Wr"][:] = 0.0
    p["br"][:] = 1000.0
    expected = np.tanh(p["Wh"] @ np.vstack((INPUTS["h"], INPUTS["xt"])) + p["bh"])
    for variant in ("reset_before", "reset_after"):
        np.testing.assert_allclose(gru_cell_forward(INPUTS["xt"], INPUTS["h"], p, variant=variant)[0], expected, rtol=1e-14)


def test_lstm_forget_gate_open_and_input_gate_closed_keeps_the_cell():
    p = copy.deepcopy(INPUTS["lstm"])
    p["Wf"][:] = 0.0
    p["Wi"][:] = 0.0
    p["bf"][:] = 1000.0
    p["bi"][:] = -1000.0
    _, c_next, _ = lstm_cell_forward(INPUTS["xt"], INPUTS["h"], INPUTS["c"], p)
    np.testing.assert_array_equal(c_next, INPUTS["c"])


def test_lstm_sequence_starts_from_a_zero_cell():
    h, _, c = lstm_forward(INPUTS["x"][:, :, :1], INPUTS["h"], INPUTS["lstm"])
    h1, c1, _ = lstm_cell_forward(INPUTS["x"][:, :, 0], INPUTS["h"], np.zeros((n_h, m)), INPUTS["lstm"])
    np.testing.assert_allclose(h[:, :, 0], h1, rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(c[:, :, 0], c1, rtol=1e-14, atol=1e-15)


def test_residual_jacobian_is_identity_when_u_is_zero():
    p = dict(INPUTS["res"], U=np.zeros((n_h, n_h)))
    np.testing.assert_array_equal(residual_rnn_step_jacobian(INPUTS["xt"], INPUTS["h"], p), np.broadcast_to(np.eye(n_h), (m, n_h, n_h)))


@pytest.mark.parametrize("max_norm", [0.5, 1e3], ids=["above-max", "below-max"])
def test_clip_by_global_norm(max_norm):
    grads = {"dW": np.array([[3.0, 0.0], [0.0, 0.0]]), "db": np.array([[4.0]])}
    snapshot = copy.deepcopy(grads)
    clipped, norm = clip_by_global_norm(grads, max_norm)
    assert type(norm) is float and norm == 5.0
    assert list(clipped) == ["dW", "db"]
    factor = min(1.0, max_norm / 5.0)
    for k in grads:
        np.testing.assert_array_equal(grads[k], snapshot[k])           # input untouched
        assert clipped[k] is not grads[k] and not np.shares_memory(clipped[k], grads[k])
        np.testing.assert_allclose(clipped[k], snapshot[k] * factor, rtol=1e-15)


def test_clip_keeps_a_finite_norm_for_exploded_gradients():
    clipped, norm = clip_by_global_norm({"a": np.array([3e200, 4e200])}, 1.0)
    assert norm == pytest.approx(5e200, rel=1e-15)
    np.testing.assert_allclose(clipped["a"], [0.6, 0.8], rtol=1e-15)


def test_clip_of_zero_gradients():
    clipped, norm = clip_by_global_norm({"a": np.zeros((2, 2))}, 1.0)
    assert norm == 0.0 and not clipped["a"].any()


ERRORS = [
    ("missing-key", lambda: lstm_cell_forward(INPUTS["xt"], INPUTS["h"], INPUTS["c"], {k: v for k, v in INPUTS["lstm"].items() if k != "bc"}),
     KeyError, "parameters is missing 'bc'; expected keys: Wf, Wi, Wo, Wc, bf, bi, bo, bc"),
    ("wrong-weight-shape", lambda: gru_forward(INPUTS["x"], INPUTS["h"], dict(INPUTS["gru"], Wr=np.zeros((n_h, n_x)))),
     ValueError, f"Wr must have shape ({n_h}, {n_h + n_x}), got ({n_h}, {n_x})"),
    ("sequence-as-step", lambda: lstm_cell_forward(INPUTS["x"], INPUTS["h"], INPUTS["c"], INPUTS["lstm"]),
     ValueError, "xt must be a 2-D array, got shape (3, 5, 6); columns are examples (x is (n_x, m) for one "
                 "step and (n_x, m, T) for a sequence, hidden states are (n_h, m))."),
    ("unknown-variant", lambda: gru_forward(INPUTS["x"], INPUTS["h"], INPUTS["gru"], variant="pytorch"),
     ValueError, "variant must be one of 'reset_before', 'reset_after', got 'pytorch'"),
    ("bhh-with-reset-before", lambda: gru_forward(INPUTS["x"], INPUTS["h"], INPUTS["gru_bhh"]),
     ValueError, "parameters has 'bhh', which only the variant 'reset_after' uses; remove it or pass "
                 "variant='reset_after'"),
    ("dh-shape", lambda: residual_rnn_backward(INPUTS["dh"][:, :, :2], INPUTS["x"], INPUTS["h"], INPUTS["res"]),
     ValueError, f"dh must have the shape of h, ({n_h}, {m}, {T}), got ({n_h}, {m}, 2)"),
    ("max-norm-zero", lambda: clip_by_global_norm({"a": np.ones(2)}, 0.0),
     ValueError, "max_norm must be a positive number, got 0.0"),
    ("nan-gradient", lambda: clip_by_global_norm({"dW": np.array([1.0, np.nan])}, 1.0),
     ValueError, "grads['dW'] contains inf or nan; clipping needs finite gradients"),
]


@pytest.mark.parametrize("call,exc,message", [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS])
def test_error_messages(call, exc, message):
    with pytest.raises(exc) as info:
        call()
    text = info.value.args[0]
    assert text == message
