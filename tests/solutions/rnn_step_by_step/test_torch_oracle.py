"""Does the ``rnn-step-by-step`` key agree with PyTorch (float64 autograd, torch.nn.RNN, torch.nn.LSTM)?

Cells: forward outputs and every cache entry against a torch cell written here from the contract's
equations, gradients against autograd of L = ⟨da_next, a_next⟩ (+ ⟨dc_next, c_next⟩). Sequences:
against torch's own modules, whose layouts are mapped from ours (torch multiplies x and h by separate
matrices and stacks LSTM gates i, f, g, o), the backward with the carry through time done by autograd.
A saturated case (weights ×30) is included: the key must stay exact where the gates are 0 or 1.
"""
from __future__ import annotations

import numpy as np
import pytest

from tests.skips_support import oracle
from .cases_support import LSTM_KEYS, RNN_KEYS, SHAPE_IDS, SHAPES, lstm_parameters, rng_for, rnn_parameters
from solutions.rnn_step_by_step import (
    lstm_backward, lstm_cell_backward, lstm_cell_forward, lstm_forward, rnn_backward, rnn_cell_backward,
    rnn_cell_forward, rnn_forward,
)

torch = oracle("torch", "PyTorch autograd and torch.nn are the independent reference of the rnn-step-by-step key")

RTOL, ATOL = 1e-9, 1e-11
CASES = SHAPES + [("saturated-x30", 3, 4, 2, 5, 4)]
CASE_IDS = SHAPE_IDS + ["saturated-x30"]


def scale_for(name):
    return 30.0 if name.startswith("saturated") else 0.7


def T(a, grad=False):
    return torch.tensor(np.asarray(a), dtype=torch.float64, requires_grad=grad)


def assert_close(ours, theirs, name):
    theirs = theirs.detach().numpy() if isinstance(theirs, torch.Tensor) else theirs
    np.testing.assert_allclose(ours, theirs, rtol=RTOL, atol=ATOL, err_msg=name)


def softmax0(z):
    return torch.softmax(z, dim=0)


def torch_lstm_cell(xt, a_prev, c_prev, P):
    """(a_next, c_next, ft, it, cct, ot) from the contract's equations, concat [a_prev; xt]."""
    z = torch.cat([a_prev, xt], dim=0)
    ft = torch.sigmoid(P["Wf"] @ z + P["bf"])
    it = torch.sigmoid(P["Wi"] @ z + P["bi"])
    cct = torch.tanh(P["Wc"] @ z + P["bc"])
    ot = torch.sigmoid(P["Wo"] @ z + P["bo"])
    c_next = ft * c_prev + it * cct
    return ot * torch.tanh(c_next), c_next, ft, it, cct, ot


@pytest.mark.parametrize("shape", CASES, ids=CASE_IDS)
def test_rnn_cell_matches_autograd(shape):
    name, n_x, n_a, n_y, m, _ = shape
    rng = rng_for("sbs-torch-rnn-cell" + name)
    p = rnn_parameters(rng, n_x, n_a, n_y, scale=scale_for(name))
    xt, a_prev, da_next = rng.standard_normal((n_x, m)), rng.standard_normal((n_a, m)), rng.standard_normal((n_a, m))
    a_next, yt_pred, cache = rnn_cell_forward(xt, a_prev, p)
    grads = rnn_cell_backward(da_next, cache)

    P = {k: T(p[k], grad=True) for k in RNN_KEYS}
    xt_t, a_t = T(xt, True), T(a_prev, True)
    ta = torch.tanh(P["Waa"] @ a_t + P["Wax"] @ xt_t + P["ba"])
    assert_close(a_next, ta, "a_next")
    assert_close(yt_pred, softmax0(T(p["Wya"]) @ ta + T(p["by"])), "yt_pred")
    (ta * T(da_next)).sum().backward()
    assert_close(grads["dxt"], xt_t.grad, "dxt")
    assert_close(grads["da_prev"], a_t.grad, "da_prev")
    for k in RNN_KEYS:
        assert_close(grads["d" + k], P[k].grad, "d" + k)


@pytest.mark.parametrize("shape", CASES, ids=CASE_IDS)
def test_lstm_cell_matches_autograd(shape):
    name, n_x, n_a, n_y, m, _ = shape
    rng = rng_for("sbs-torch-lstm-cell" + name)
    p = lstm_parameters(rng, n_x, n_a, n_y, scale=scale_for(name))
    xt, a_prev, c_prev = rng.standard_normal((n_x, m)), rng.standard_normal((n_a, m)), rng.standard_normal((n_a, m))
    da_next, dc_next = rng.standard_normal((n_a, m)), rng.standard_normal((n_a, m))
    a_next, c_next, yt_pred, cache = lstm_cell_forward(xt, a_prev, c_prev, p)
    grads = lstm_cell_backward(da_next, dc_next, cache)

    P = {k: T(p[k], grad=True) for k in LSTM_KEYS}
    xt_t, a_t, c_t = T(xt, True), T(a_prev, True), T(c_prev, True)
    ta, tc, ft, it, cct, ot = torch_lstm_cell(xt_t, a_t, c_t, P)
    assert_close(a_next, ta, "a_next")
    assert_close(c_next, tc, "c_next")
    assert_close(yt_pred, softmax0(T(p["Wy"]) @ ta + T(p["by"])), "yt_pred")
    expected_cache = (ta, tc, a_prev, c_prev, ft, it, cct, ot, xt)
    for k, (ours, theirs) in enumerate(zip(cache[:9], expected_cache)):
        assert_close(ours, theirs, f"cache[{k}]")
    assert cache[9] is p
    ((ta * T(da_next)).sum() + (tc * T(dc_next)).sum()).backward()
    assert_close(grads["dxt"], xt_t.grad, "dxt")
    assert_close(grads["da_prev"], a_t.grad, "da_prev")
    assert_close(grads["dc_prev"], c_t.grad, "dc_prev")
    for k in LSTM_KEYS:
        assert_close(grads["d" + k], P[k].grad, "d" + k)


@pytest.mark.parametrize("shape", CASES, ids=CASE_IDS)
def test_rnn_sequence_matches_nn_rnn(shape):
    name, n_x, n_a, n_y, m, T_x = shape
    rng = rng_for("sbs-torch-rnn" + name)
    p = rnn_parameters(rng, n_x, n_a, n_y, scale=scale_for(name))
    x, a0, da = rng.standard_normal((n_x, m, T_x)), rng.standard_normal((n_a, m)), rng.standard_normal((n_a, m, T_x))
    a, y_pred, caches = rnn_forward(x, a0, p)
    grads = rnn_backward(da, caches)

    net = torch.nn.RNN(n_x, n_a, nonlinearity="tanh", dtype=torch.float64)
    with torch.no_grad():
        net.weight_ih_l0.copy_(T(p["Wax"]))
        net.weight_hh_l0.copy_(T(p["Waa"]))
        net.bias_ih_l0.copy_(T(p["ba"][:, 0]))
        net.bias_hh_l0.zero_()
    xt = T(x.transpose(2, 1, 0), True)                 # (T_x, m, n_x)
    a0t = T(a0.T[None], True)
    out, _ = net(xt, a0t)
    a_torch = out.detach().numpy().transpose(2, 1, 0)
    assert_close(a, a_torch, "a")
    ys = softmax0(T(p["Wya"]) @ T(a_torch.reshape(n_a, m * T_x)) + T(p["by"]))
    assert_close(y_pred, ys.reshape(n_y, m, T_x), "y_pred")
    out.backward(T(da.transpose(2, 1, 0)))
    assert_close(grads["dx"], xt.grad.numpy().transpose(2, 1, 0), "dx")
    assert_close(grads["da0"], a0t.grad[0].numpy().T, "da0")
    assert_close(grads["dWax"], net.weight_ih_l0.grad, "dWax")
    assert_close(grads["dWaa"], net.weight_hh_l0.grad, "dWaa")
    assert_close(grads["dba"], net.bias_ih_l0.grad[:, None], "dba")


@pytest.mark.parametrize("shape", CASES, ids=CASE_IDS)
def test_lstm_sequence_matches_nn_lstm(shape):
    name, n_x, n_a, n_y, m, T_x = shape
    rng = rng_for("sbs-torch-lstm" + name)
    p = lstm_parameters(rng, n_x, n_a, n_y, scale=scale_for(name))
    x, a0, da = rng.standard_normal((n_x, m, T_x)), rng.standard_normal((n_a, m)), rng.standard_normal((n_a, m, T_x))
    a, y, c, caches = lstm_forward(x, a0, p)
    grads = lstm_backward(da, caches)

    order = ("Wi", "Wf", "Wc", "Wo")                   # torch's i, f, g, o
    net = torch.nn.LSTM(n_x, n_a, dtype=torch.float64)
    with torch.no_grad():
        net.weight_ih_l0.copy_(T(np.vstack([p[k][:, n_a:] for k in order])))
        net.weight_hh_l0.copy_(T(np.vstack([p[k][:, :n_a] for k in order])))
        net.bias_ih_l0.copy_(T(np.concatenate([p["b" + k[1]][:, 0] for k in order])))
        net.bias_hh_l0.zero_()
    xt = T(x.transpose(2, 1, 0), True)
    a0t = T(a0.T[None], True)
    out, _ = net(xt, (a0t, torch.zeros_like(a0t)))
    a_torch = out.detach().numpy().transpose(2, 1, 0)
    assert_close(a, a_torch, "a")
    ys = softmax0(T(p["Wy"]) @ T(a_torch.reshape(n_a, m * T_x)) + T(p["by"]))
    assert_close(y, ys.reshape(n_y, m, T_x), "y")
    out.backward(T(da.transpose(2, 1, 0)))
    assert_close(grads["dx"], xt.grad.numpy().transpose(2, 1, 0), "dx")
    assert_close(grads["da0"], a0t.grad[0].numpy().T, "da0")
    gih, ghh, gb = net.weight_ih_l0.grad.numpy(), net.weight_hh_l0.grad.numpy(), net.bias_ih_l0.grad.numpy()
    for k, gate in enumerate(order):
        rows = slice(k * n_a, (k + 1) * n_a)
        assert_close(grads["d" + gate], np.hstack((ghh[rows], gih[rows])), "d" + gate)
        assert_close(grads["db" + gate[1]], gb[rows, None], "db" + gate[1])
    # c and the caches' gates, which nn.LSTM does not return per step: the hand-written cell.
    P = {k: T(p[k]) for k in LSTM_KEYS}
    at, ct = T(a0), torch.zeros((n_a, m), dtype=torch.float64)
    for t in range(T_x):
        a_prev_t, c_prev_t = at, ct
        at, ct, ft, it, cct, ot = torch_lstm_cell(T(x[:, :, t]), at, ct, P)
        assert_close(c[:, :, t], ct, f"c[:, :, {t}]")
        expected = (at, ct, a_prev_t, c_prev_t, ft, it, cct, ot, T(x[:, :, t]))
        for k, (ours, theirs) in enumerate(zip(caches[0][t][:9], expected)):
            assert_close(ours, theirs, f"caches[0][{t}][{k}]")
