"""The cache-style contract's buggy variants (rnn-step-by-step): with bug=None they are the right
math (asserted against PyTorch autograd), and every variant differs from it on a generated case."""
import numpy as np
import pytest

from grader.diagnosis.buggy import rnn_step as b
from grader.diagnosis.variants import variants_for
from tests.skips_support import oracle

torch = oracle("torch", "PyTorch autograd is the independent reference of the right math")

N_X, N_A, N_Y, M, T = 3, 5, 2, 4, 3


def _rnn_parameters(rng):
    return {"Wax": rng.standard_normal((N_A, N_X)), "Waa": rng.standard_normal((N_A, N_A)) * 0.5,
            "Wya": rng.standard_normal((N_Y, N_A)), "ba": rng.standard_normal((N_A, 1)), "by": rng.standard_normal((N_Y, 1))}


def _lstm_parameters(rng):
    p = {f"W{g}": rng.standard_normal((N_A, N_A + N_X)) * 0.5 for g in "fico"}
    p.update({f"b{g}": rng.standard_normal((N_A, 1)) for g in "fico"})
    p.update(Wy=rng.standard_normal((N_Y, N_A)), by=rng.standard_normal((N_Y, 1)))
    return p


def _rnn_caches(x, a0, p):
    caches, a_prev = [], a0
    for t in range(x.shape[2]):
        a_next = np.tanh(p["Waa"] @ a_prev + p["Wax"] @ x[:, :, t] + p["ba"])
        caches.append((a_next, a_prev, x[:, :, t], p))
        a_prev = a_next
    return caches, x


def _lstm_caches(x, a0, p):
    caches, a_prev, c_prev = [], a0, np.zeros_like(a0)

    def sig(z):
        return 1 / (1 + np.exp(-z))

    for t in range(x.shape[2]):
        z = np.concatenate([a_prev, x[:, :, t]])
        ft, it, ot = (sig(p[f"W{g}"] @ z + p[f"b{g}"]) for g in "fio")
        cct = np.tanh(p["Wc"] @ z + p["bc"])
        c_next = ft * c_prev + it * cct
        a_next = ot * np.tanh(c_next)
        caches.append((a_next, c_next, a_prev, c_prev, ft, it, cct, ot, x[:, :, t], p))
        a_prev, c_prev = a_next, c_next
    return caches, x


def _torch_grads(kind, x, a0, p, da, dc_last=None):
    """Autograd of L = Σ da·a (+ Σ dc_last·c_T for one LSTM step) over the forward recurrence."""
    tx, ta0 = torch.tensor(x, requires_grad=True), torch.tensor(a0, requires_grad=True)
    tp = {k: torch.tensor(v, requires_grad=True) for k, v in p.items()}
    a_prev, c_prev, loss = ta0, torch.zeros_like(ta0), 0
    for t in range(x.shape[2]):
        xt = tx[:, :, t]
        if kind == "rnn":
            a_prev = torch.tanh(tp["Waa"] @ a_prev + tp["Wax"] @ xt + tp["ba"])
        else:
            z = torch.cat([a_prev, xt])
            f, i, o = (torch.sigmoid(tp[f"W{g}"] @ z + tp[f"b{g}"]) for g in "fio")
            c_prev = f * c_prev + i * torch.tanh(tp["Wc"] @ z + tp["bc"])
            a_prev = o * torch.tanh(c_prev)
        loss = loss + (torch.tensor(da[:, :, t]) * a_prev).sum()
    if dc_last is not None:
        loss = loss + (torch.tensor(dc_last) * c_prev).sum()
    loss.backward()
    return tx.grad.numpy(), ta0.grad.numpy(), {k: v.grad.numpy() for k, v in tp.items() if v.grad is not None}


@pytest.fixture
def rng():
    return np.random.default_rng(11)


def test_rnn_backward_is_autograds(rng):
    x, a0, p, da = rng.standard_normal((N_X, M, T)), rng.standard_normal((N_A, M)), _rnn_parameters(rng), \
        rng.standard_normal((N_A, M, T))
    got = b.buggy_rnn_backward(da, _rnn_caches(x, a0, p))
    dx, da0, dp = _torch_grads("rnn", x, a0, p, da)
    np.testing.assert_allclose(got["dx"], dx, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(got["da0"], da0, rtol=1e-10, atol=1e-12)
    for k in ("Wax", "Waa", "ba"):
        np.testing.assert_allclose(got[f"d{k}"], dp[k], rtol=1e-10, atol=1e-12)


def test_lstm_backward_and_cell_are_autograds(rng):
    x, a0, p, da = rng.standard_normal((N_X, M, T)), rng.standard_normal((N_A, M)), _lstm_parameters(rng), \
        rng.standard_normal((N_A, M, T))
    got = b.buggy_lstm_backward(da, _lstm_caches(x, a0, p))
    dx, da0, dp = _torch_grads("lstm", x, a0, p, da)
    np.testing.assert_allclose(got["dx"], dx, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(got["da0"], da0, rtol=1e-9, atol=1e-12)
    for k in ("Wf", "Wi", "Wc", "Wo", "bf", "bi", "bc", "bo"):
        np.testing.assert_allclose(got[f"d{k}"], dp[k], rtol=1e-9, atol=1e-12)
    # one cell with an upstream gradient on c too: dc_prev is the full gradient to c_prev
    x1 = x[:, :, :1]
    dc = rng.standard_normal((N_A, M))
    cell = b.buggy_lstm_cell_backward(da[:, :, 0], dc, _lstm_caches(x1, a0, p)[0][0])
    dx1, da01, dp1 = _torch_grads("lstm", x1, a0, p, da[:, :, :1], dc_last=dc)
    np.testing.assert_allclose(cell["dxt"], dx1[:, :, 0], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(cell["da_prev"], da01, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(cell["dWf"], dp1["Wf"], rtol=1e-9, atol=1e-12)


def test_forwards_match_the_cells(rng):
    x, a0, p = rng.standard_normal((N_X, M, T)), rng.standard_normal((N_A, M)), _lstm_parameters(rng)
    a, y, c = b.buggy_lstm_forward(x, a0, p)
    caches, _ = _lstm_caches(x, a0, p)
    np.testing.assert_allclose(a[:, :, -1], caches[-1][0])
    np.testing.assert_allclose(c[:, :, -1], caches[-1][1])
    np.testing.assert_allclose(y.sum(axis=0), np.ones((M, T)))


def _case_args(item, rng):
    if item.startswith("rnn"):
        p, make = _rnn_parameters(rng), _rnn_caches
    else:
        p, make = _lstm_parameters(rng), _lstm_caches
    x, a0 = rng.standard_normal((N_X, M, T)), rng.standard_normal((N_A, M))
    caches = make(x, a0, p)
    return {"rnn_cell_forward": (x[:, :, 0], a0, p), "rnn_forward": (x, a0, p),
            "lstm_cell_forward": (x[:, :, 0], a0, rng.standard_normal((N_A, M)), p), "lstm_forward": (x, a0, p),
            "rnn_cell_backward": (rng.standard_normal((N_A, M)), caches[0][1]),
            "rnn_backward": (rng.standard_normal((N_A, M, T)), caches),
            "lstm_cell_backward": (rng.standard_normal((N_A, M)), rng.standard_normal((N_A, M)), caches[0][1]),
            "lstm_backward": (rng.standard_normal((N_A, M, T)), caches)}[item]


def _differs(a, b_):
    if isinstance(a, dict):
        return any(_differs(a[k], b_[k]) for k in b_)
    if isinstance(a, tuple):
        return any(_differs(x, y) for x, y in zip(a, b_) if x is not None)
    a, b_ = np.asarray(a), np.asarray(b_)
    return a.shape != b_.shape or not np.allclose(a, b_, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("item", sorted(["rnn_cell_forward", "rnn_forward", "lstm_cell_forward", "lstm_forward",
                                         "rnn_cell_backward", "rnn_backward", "lstm_cell_backward", "lstm_backward"]))
def test_every_variant_changes_the_result(item):
    args = _case_args(item, np.random.default_rng(5))
    right = getattr(b, f"buggy_{item}")(*args)
    variants = variants_for(item, contract="cache")
    assert variants, item
    for v in variants:
        assert _differs(v(*args), right), v.bug
