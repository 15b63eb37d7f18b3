"""Does the directional finite-difference check tell a backward that matches its own forward from one
that does not, name the tensors that disagree, and say why when it cannot check?"""
from __future__ import annotations

import copy

import numpy as np
import pytest

import solutions
from grader.core.cases import build_cases
from grader.checking.compare import check_returned
from grader.checking.consistency import evaluate_consistency, plan_consistency
from grader.messages import render

from tests.checking.items_support import FORWARD_OF, item
from tests.skips_support import oracle

LSTM_WEIGHTS = ("Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo", "bo")

torch = oracle("torch", "PyTorch builds the independent buggy pairs of these tests")


def first_case(backward_id, shape_index=0, seed=20201):
    spec = item(backward_id, public=3, hidden=0)
    return build_cases(spec, getattr(solutions, backward_id), None, seed, None)[shape_index]


def run(backward_id, backward, forward, shape_index=0):
    """Plan on a case, run the forward calls like the sandbox would (on copies), evaluate."""
    case = first_case(backward_id, shape_index)
    plan = plan_consistency(item(backward_id), item(FORWARD_OF[backward_id]), case)
    values = {suffix: forward(*copy.deepcopy(args)) for suffix, _, args in plan.calls}
    return plan, evaluate_consistency(plan, backward(*copy.deepcopy(case.args)), values)


# ------------------------------------------------------------ torch versions for building test pairs


def _t(a):
    return torch.tensor(np.asarray(a), dtype=torch.float64, requires_grad=True)


def _lstm_step(p, x, h, c, forget_input_gate=False):
    z = torch.cat([h, x], 0)
    f = torch.sigmoid(p["Wf"] @ z + p["bf"])
    i = torch.sigmoid(p["Wi"] @ z + p["bi"])
    g = torch.tanh(p["Wc"] @ z + p["bc"])
    o = torch.sigmoid(p["Wo"] @ z + p["bo"])
    c_next = f * c + (g if forget_input_gate else i * g)
    return o * torch.tanh(c_next), c_next


def wrong_lstm_cell_forward(xt, h_prev, c_prev, parameters):
    """A forward with a bug (the input gate is left out: c_next = f⊙c_prev + c̃)."""
    p = {k: torch.tensor(v) for k, v in parameters.items()}
    h, c = _lstm_step(p, torch.tensor(xt), torch.tensor(h_prev), torch.tensor(c_prev), forget_input_gate=True)
    y = torch.softmax(p["Wy"] @ h + p["by"], 0)
    return h.numpy(), c.numpy(), y.numpy()


def wrong_lstm_cell_backward(dh_next, dc_next, xt, h_prev, c_prev, parameters):
    """The exact gradient of the wrong forward above (autograd), i.e. consistent with it."""
    p = {k: _t(v) for k, v in parameters.items()}
    x, h0, c0 = _t(xt), _t(h_prev), _t(c_prev)
    h, c = _lstm_step(p, x, h0, c0, forget_input_gate=True)
    (torch.sum(torch.tensor(dh_next) * h) + torch.sum(torch.tensor(dc_next) * c)).backward()
    grads = {"dxt": x.grad, "dh_prev": h0.grad, "dc_prev": c0.grad}
    # Wi and bi do not reach this loss: autograd leaves their grad at None, the exact gradient is 0.
    grads.update({f"d{k}": p[k].grad if p[k].grad is not None else torch.zeros_like(p[k]) for k in LSTM_WEIGHTS})
    return {k: v.detach().numpy() for k, v in grads.items()}


def truncated_lstm_backward(dh, x, h0, parameters):
    """A backward with the classic bug: no gradient flows from h_t back into h_{t−1} (dh path missing)."""
    p = {k: _t(v) for k, v in parameters.items()}
    xs, h = _t(x), _t(h0)
    h_start, c = h, torch.zeros_like(h)
    loss = 0.0
    for t in range(x.shape[2]):
        h, c = _lstm_step(p, xs[:, :, t], h if t == 0 else h.detach(), c)
        loss = loss + torch.sum(torch.tensor(dh[:, :, t]) * h)
    loss.backward()
    grads = {"dx": xs.grad, "dh0": h_start.grad}
    grads.update({f"d{k}": p[k].grad for k in LSTM_WEIGHTS})
    return {k: v.numpy() for k, v in grads.items()}


def _residual(x, h0, p, act):
    h, out = h0, []
    for t in range(x.shape[2]):
        h = h + act(p["U"] @ h + p["W"] @ x[:, :, t] + p["b"])
        out.append(h)
    return torch.stack(out, 2)


def wrong_residual_forward(x, h0, parameters):
    """h_t = h_{t−1} + σ(U h_{t−1} + W x_t + b): sigmoid instead of tanh."""
    p = {k: torch.tensor(v) for k, v in parameters.items()}
    return _residual(torch.tensor(x), torch.tensor(h0), p, torch.sigmoid).numpy()


def wrong_residual_backward(dh, x, h0, parameters):
    p = {k: _t(v) for k, v in parameters.items()}
    xs, h = _t(x), _t(h0)
    torch.sum(torch.tensor(dh) * _residual(xs, h, p, torch.sigmoid)).backward()
    return {"dx": xs.grad.numpy(), "dh0": h.grad.numpy(), "dU": p["U"].grad.numpy(),
            "dW": p["W"].grad.numpy(), "db": p["b"].grad.numpy()}


# ------------------------------------------------------------------------------------------- tests


@pytest.mark.parametrize("shape_index", [0, 1, 2], ids=["plain", "m=1,n_h=1,T=1", "saturated"])
@pytest.mark.parametrize("backward_id", sorted(FORWARD_OF))
def test_the_answer_key_is_consistent_with_itself(backward_id, shape_index):
    forward = getattr(solutions, FORWARD_OF[backward_id])
    plan, result = run(backward_id, getattr(solutions, backward_id), forward, shape_index)
    assert result["verdict"] == "consistent", result
    assert set(result["tensors"]) == set(item(backward_id).output_spec["keys"])
    assert all(r["ok"] for r in result["tensors"].values())
    assert render(result["reason"], "en").startswith("your backward is consistent with your forward (directional finite")
    assert render(result["reason"], "zh").startswith("你的反向传播与你自己的前向传播一致")


def test_a_scaled_gradient_is_named():
    def scaled(*args):
        grads = solutions.lstm_cell_backward(*args)
        grads["dWf"] = 2.0 * grads["dWf"]
        return grads

    _, result = run("lstm_cell_backward", scaled, solutions.lstm_cell_forward)
    assert result["verdict"] == "inconsistent"
    assert [k for k, r in result["tensors"].items() if not r["ok"]] == ["dWf"]
    dwf = result["tensors"]["dWf"]
    assert dwf["directional"] == pytest.approx(2.0 * dwf["numeric"], rel=1e-6)
    assert dwf["rel_err"] == pytest.approx(0.5, rel=1e-5)
    assert render(result["reason"], "en") == (
        f"your backward is not consistent with your forward: dWf (backward gives {dwf['directional']:.6g}, "
        f"finite differences of your forward give {dwf['numeric']:.6g})")
    assert render(result["reason"], "zh") == (
        f"你的反向传播与你自己的前向传播不一致：dWf（反向传播给出 {dwf['directional']:.6g}，"
        f"对你的前向传播做有限差分得到 {dwf['numeric']:.6g}）")


def test_a_missing_dh_path_through_time_is_found():
    _, result = run("lstm_backward", truncated_lstm_backward, solutions.lstm_forward)
    assert result["verdict"] == "inconsistent"
    bad = {k for k, r in result["tensors"].items() if not r["ok"]}
    assert "dh0" in bad and {"dWf", "dWo"} <= bad
    assert render(result["reason"], "en").startswith("your backward is not consistent with your forward: ")


@pytest.mark.parametrize("backward_id,forward,backward,reference_forward", [
    ("lstm_cell_backward", wrong_lstm_cell_forward, wrong_lstm_cell_backward, solutions.lstm_cell_forward),
    ("residual_rnn_backward", wrong_residual_forward, wrong_residual_backward, solutions.residual_rnn_forward),
], ids=["lstm-cell-without-input-gate", "residual-with-sigmoid"])
def test_a_wrong_forward_with_its_own_exact_backward_is_consistent(backward_id, forward, backward, reference_forward):
    _, result = run(backward_id, backward, forward)
    assert result["verdict"] == "consistent", result
    # ... while the forward itself is wrong: the lead combines both facts in the item's message.
    fwd_spec = item(FORWARD_OF[backward_id])
    case = build_cases(fwd_spec, reference_forward, None, 20201, None)[0]
    checks = check_returned(forward(*copy.deepcopy(case.args)), case.expected, fwd_spec.output_spec, 1e-6, 1e-8)
    assert not all(c["passed"] for c in checks)


def test_the_plan_moves_one_tensor_per_call_pair_along_a_unit_direction():
    case = first_case("lstm_cell_backward")
    plan = plan_consistency(item("lstm_cell_backward"), item("lstm_cell_forward"), case, eps=1e-5)
    keys = list(item("lstm_cell_backward").output_spec["keys"])
    assert [p.grad_key for p in plan.probes] == keys and plan.unchecked == []
    assert [s for s, _, _ in plan.calls] == [f"consistency:{k}:{sign}" for k in keys for sign in "+-"]
    assert {f for _, f, _ in plan.calls} == {"lstm_cell_forward"}
    base = dict(zip(case.arg_names, case.args))
    by_suffix = {s: dict(zip(("xt", "h_prev", "c_prev", "parameters"), a)) for s, _, a in plan.calls}
    for p in plan.probes:
        assert np.linalg.norm(p.direction) == pytest.approx(1.0)
        plus, minus = by_suffix[p.plus], by_suffix[p.minus]
        if p.in_dict:
            moved = plus["parameters"][p.target] - minus["parameters"][p.target]
        else:
            moved = plus[p.target] - minus[p.target]
        np.testing.assert_allclose(moved, 2e-5 * p.direction, rtol=1e-6, atol=1e-18)
        for name in ("Wy", "by"):  # the loss does not depend on them: never moved
            assert np.array_equal(plus["parameters"][name], base["parameters"][name])
    fresh = first_case("lstm_cell_backward")  # the case itself is untouched
    assert all(np.array_equal(a, b) for a, b in zip(case.args[:5], fresh.args[:5]))
    assert all(np.array_equal(case.args[5][k], fresh.args[5][k]) for k in fresh.args[5])
    again = plan_consistency(item("lstm_cell_backward"), item("lstm_cell_forward"), case)
    assert all(np.array_equal(a.direction, b.direction) for a, b in zip(plan.probes, again.probes))


def test_outputs_without_an_upstream_gradient_are_left_out_of_the_loss():
    plan = plan_consistency(item("lstm_backward"), item("lstm_forward"), first_case("lstm_backward"))
    assert [(pos, name) for pos, name, _ in plan.loss_terms] == [(0, "h")]  # not y, not c
    plan = plan_consistency(item("residual_rnn_backward"), item("residual_rnn_forward"),
                            first_case("residual_rnn_backward"))
    assert [(pos, name) for pos, name, _ in plan.loss_terms] == [(None, "h")]


def _plan_and_values(forward=solutions.lstm_cell_forward):
    case = first_case("lstm_cell_backward")
    plan = plan_consistency(item("lstm_cell_backward"), item("lstm_cell_forward"), case)
    values = {s: forward(*copy.deepcopy(a)) for s, _, a in plan.calls}
    return case, plan, values


def _good_backward(case):
    return solutions.lstm_cell_backward(*copy.deepcopy(case.args))


NOT_CHECKED = [
    ("backward-raised", lambda c: None, lambda v: v, {"backward": "ValueError: shapes (5,4) and (8,4)"},
     "not checked: your backward did not run (ValueError: shapes (5,4) and (8,4))",
     "未检查：你的反向传播没有成功运行（ValueError: shapes (5,4) and (8,4)）"),
    ("backward-none", lambda c: None, lambda v: v, None,
     "not checked: your backward returned None", "未检查：你的反向传播返回了 None"),
    ("backward-tuple", lambda c: tuple(_good_backward(c).values())[:2], lambda v: v, None,
     "not checked: your backward returned a tuple of 2 values, not a dict of gradients",
     "未检查：你的反向传播返回了 含 2 个值的 tuple，而不是梯度字典"),
    ("backward-missing-key", lambda c: {k: v for k, v in _good_backward(c).items() if k not in ("dWf", "dbo")},
     lambda v: v, None, "not checked: your backward returned no dWf, dbo", "未检查：你的反向传播没有返回 dWf, dbo"),
    ("backward-wrong-shape", lambda c: dict(_good_backward(c), dWf=np.zeros((2, 2))), lambda v: v, None,
     "not checked: your backward returned dWf that is not a float array of shape (5, 8)",
     "未检查：你的反向传播返回的 dWf 不是形状为 (5, 8) 的浮点数组"),
    ("forward-timeout", _good_backward, lambda v: {k: x for k, x in v.items() if not k.startswith("consistency:dbf")},
     {"consistency:dbf:+": "timed out after 1.0 s"},
     "not checked: your forward did not run (timed out after 1.0 s)", "未检查：你的前向传播没有成功运行（timed out after 1.0 s）"),
    ("forward-single-array", _good_backward, lambda v: {k: x[0] for k, x in v.items()}, None,
     "not checked: your forward returned an array of shape (5, 4); expected a tuple of 3 arrays",
     "未检查：你的前向传播返回了 形状为 (5, 4) 的数组；应为 含 3 个数组的 tuple"),
    ("forward-wrong-shape", _good_backward, lambda v: {k: (x[0].T, x[1], x[2]) for k, x in v.items()}, None,
     "not checked: your forward returned h_next as an array of shape (4, 5); expected h_next of shape (5, 4)",
     "未检查：你的前向传播返回了 h_next，它是形状为 (4, 5) 的数组；应为 形状为 (5, 4) 的 h_next"),
    ("forward-nan", _good_backward, lambda v: {k: (x[0] * np.nan, x[1], x[2]) for k, x in v.items()}, None,
     "not checked: your forward gave a non-finite loss near this case's inputs",
     "未检查：你的前向传播在该用例的输入附近给出了非有限的损失值"),
]


@pytest.mark.parametrize("case_id,make_backward,edit_values,errors,en,zh", NOT_CHECKED, ids=[r[0] for r in NOT_CHECKED])
def test_not_checked_says_why(case_id, make_backward, edit_values, errors, en, zh):
    case, plan, values = _plan_and_values()
    result = evaluate_consistency(plan, make_backward(case), edit_values(values), errors)
    assert set(result) == {"verdict", "reason", "tensors"}
    assert result["verdict"] == "not_checked" and result["tensors"] == {}
    assert render(result["reason"], "en") == en
    assert render(result["reason"], "zh") == zh


def test_a_backward_returning_nan_is_inconsistent():
    case, plan, values = _plan_and_values()
    grads = dict(_good_backward(case), dbc=np.full((5, 1), np.nan))
    result = evaluate_consistency(plan, grads, values)
    assert result["verdict"] == "inconsistent"
    assert [k for k, r in result["tensors"].items() if not r["ok"]] == ["dbc"]
