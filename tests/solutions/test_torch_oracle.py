"""Does the answer key agree with PyTorch (float64 autograd, and torch.nn.LSTM / nn.GRU)?

Every forward and backward is compared with an equivalent torch computation written here; the
sequence LSTM and the reset-after GRU are also compared with torch's own modules, whose gate layouts
are mapped from ours (torch stacks LSTM gates i, f, g, o and GRU gates r, z, n, and multiplies x and h
by separate matrices).
"""
from __future__ import annotations

import numpy as np
import pytest

from tests.skips_support import oracle
from .answer_key_cases_support import (
    GRU_KEYS, LSTM_KEYS, SHAPE_IDS, SHAPES, gru_parameters, lstm_parameters, residual_parameters, rng_for,
)
from solutions import (
    clip_by_global_norm, gru_backward, gru_cell_backward, gru_cell_forward, gru_forward, lstm_backward,
    lstm_cell_backward, lstm_cell_forward, lstm_forward, residual_rnn_backward, residual_rnn_forward,
    residual_rnn_step_jacobian, sigmoid, softmax,
)

torch = oracle("torch", "PyTorch autograd and torch.nn are the independent reference of the answer key")

RTOL, ATOL = 1e-9, 1e-11


def T(a, grad=False):
    return torch.tensor(np.asarray(a), dtype=torch.float64, requires_grad=grad)


def assert_close(ours, theirs, name):
    theirs = theirs.detach().numpy() if isinstance(theirs, torch.Tensor) else theirs
    np.testing.assert_allclose(ours, theirs, rtol=RTOL, atol=ATOL, err_msg=name)


def leaf_parameters(p, keys):
    return {k: T(p[k], grad=True) for k in keys}


# --- Equivalent torch computations, column-major like the contract (x (n_x, m), h (n_h, m)).

def torch_lstm_cell(xt, h, c, P):
    z = torch.cat([h, xt], dim=0)
    f = torch.sigmoid(P["Wf"] @ z + P["bf"])
    i = torch.sigmoid(P["Wi"] @ z + P["bi"])
    g = torch.tanh(P["Wc"] @ z + P["bc"])
    o = torch.sigmoid(P["Wo"] @ z + P["bo"])
    c = f * c + i * g
    return o * torch.tanh(c), c


def torch_gru_cell(xt, h, P, variant):
    n_h = h.shape[0]
    z_in = torch.cat([h, xt], dim=0)
    z = torch.sigmoid(P["Wz"] @ z_in + P["bz"])
    r = torch.sigmoid(P["Wr"] @ z_in + P["br"])
    if variant == "reset_before":
        n = torch.tanh(P["Wh"] @ torch.cat([r * h, xt], dim=0) + P["bh"])
    else:
        bhh = P.get("bhh", torch.zeros((n_h, 1), dtype=torch.float64))
        n = torch.tanh(P["Wh"][:, n_h:] @ xt + P["bh"] + r * (P["Wh"][:, :n_h] @ h + bhh))
    return z * h + (1 - z) * n


def torch_residual_step(xt, h, P):
    return h + torch.tanh(P["U"] @ h + P["W"] @ xt + P["b"])


def softmax0(a):
    return torch.softmax(a, dim=0)


@pytest.mark.parametrize("shape", SHAPES, ids=SHAPE_IDS)
def test_lstm_cell_matches_autograd(shape):
    name, n_x, n_h, n_y, m, _ = shape
    rng = rng_for("torch-lstm-cell" + name)
    p = lstm_parameters(rng, n_x, n_h, n_y)
    xt, h, c = rng.standard_normal((n_x, m)), rng.standard_normal((n_h, m)), rng.standard_normal((n_h, m))
    dh, dc = rng.standard_normal((n_h, m)), rng.standard_normal((n_h, m))
    h_next, c_next, y = lstm_cell_forward(xt, h, c, p)
    grads = lstm_cell_backward(dh, dc, xt, h, c, p)

    P = leaf_parameters(p, LSTM_KEYS)
    xt_t, h_t, c_t = T(xt, True), T(h, True), T(c, True)
    th, tc = torch_lstm_cell(xt_t, h_t, c_t, P)
    assert_close(h_next, th, "h_next")
    assert_close(c_next, tc, "c_next")
    assert_close(y, softmax0(T(p["Wy"]) @ th + T(p["by"])), "yt_pred")
    ((th * T(dh)).sum() + (tc * T(dc)).sum()).backward()
    assert_close(grads["dxt"], xt_t.grad, "dxt")
    assert_close(grads["dh_prev"], h_t.grad, "dh_prev")
    assert_close(grads["dc_prev"], c_t.grad, "dc_prev")
    for k in LSTM_KEYS:
        assert_close(grads["d" + k], P[k].grad, "d" + k)


def torch_lstm_module(p, n_x, n_h):
    net = torch.nn.LSTM(n_x, n_h, dtype=torch.float64)
    order = ("Wi", "Wf", "Wc", "Wo")
    with torch.no_grad():
        net.weight_ih_l0.copy_(T(np.vstack([p[k][:, n_h:] for k in order])))
        net.weight_hh_l0.copy_(T(np.vstack([p[k][:, :n_h] for k in order])))
        net.bias_ih_l0.copy_(T(np.concatenate([p["b" + k[1]][:, 0] for k in order])))
        net.bias_hh_l0.zero_()
    return net, order


@pytest.mark.parametrize("shape", SHAPES, ids=SHAPE_IDS)
def test_lstm_sequence_matches_nn_lstm(shape):
    name, n_x, n_h, n_y, m, T_ = shape
    rng = rng_for("torch-lstm" + name)
    p = lstm_parameters(rng, n_x, n_h, n_y)
    x, h0, dh = rng.standard_normal((n_x, m, T_)), rng.standard_normal((n_h, m)), rng.standard_normal((n_h, m, T_))
    h, y, c = lstm_forward(x, h0, p)
    grads = lstm_backward(dh, x, h0, p)

    net, order = torch_lstm_module(p, n_x, n_h)
    xt = T(x.transpose(2, 1, 0), True)                 # (T, m, n_x)
    h0t = T(h0.T[None], True)
    out, _ = net(xt, (h0t, torch.zeros_like(h0t)))
    assert_close(h, out.detach().numpy().transpose(2, 1, 0), "h")
    ys = softmax0(T(p["Wy"]) @ out.detach().permute(2, 1, 0).reshape(n_h, m * T_) + T(p["by"]))
    assert_close(y, ys.reshape(n_y, m, T_), "y")
    out.backward(T(dh.transpose(2, 1, 0)))
    assert_close(grads["dx"], xt.grad.numpy().transpose(2, 1, 0), "dx")
    assert_close(grads["dh0"], h0t.grad[0].numpy().T, "dh0")
    gih, ghh, gb = net.weight_ih_l0.grad.numpy(), net.weight_hh_l0.grad.numpy(), net.bias_ih_l0.grad.numpy()
    for k, gate in enumerate(order):
        rows = slice(k * n_h, (k + 1) * n_h)
        assert_close(grads["d" + gate], np.hstack((ghh[rows], gih[rows])), "d" + gate)
        assert_close(grads["db" + gate[1]], gb[rows, None], "db" + gate[1])
    # c, which nn.LSTM does not return per step: the hand-written cell, step by step.
    P = {k: T(p[k]) for k in LSTM_KEYS}
    ht, ct = T(h0), torch.zeros((n_h, m), dtype=torch.float64)
    for t in range(T_):
        ht, ct = torch_lstm_cell(T(x[:, :, t]), ht, ct, P)
        assert_close(c[:, :, t], ct, f"c[:, :, {t}]")


GRU_CASES = [("reset_before", False), ("reset_after", False), ("reset_after", True)]
GRU_IDS = ["reset_before", "reset_after", "reset_after+bhh"]


@pytest.mark.parametrize("variant,bhh", GRU_CASES, ids=GRU_IDS)
@pytest.mark.parametrize("shape", SHAPES, ids=SHAPE_IDS)
def test_gru_matches_autograd(shape, variant, bhh):
    """Cell and sequence, both conventions, against the hand-written torch cell and autograd."""
    name, n_x, n_h, n_y, m, T_ = shape
    rng = rng_for("torch-gru" + name + variant + str(bhh))
    p = gru_parameters(rng, n_x, n_h, n_y, bhh=bhh)
    keys = GRU_KEYS + (("bhh",) if bhh else ())
    x, h0, dh = rng.standard_normal((n_x, m, T_)), rng.standard_normal((n_h, m)), rng.standard_normal((n_h, m, T_))

    # One cell.
    P = leaf_parameters(p, keys)
    xt_t, h_t = T(x[:, :, 0], True), T(h0, True)
    th = torch_gru_cell(xt_t, h_t, P, variant)
    h_next, y_next = gru_cell_forward(x[:, :, 0], h0, p, variant=variant)
    assert_close(h_next, th, "h_next")
    assert_close(y_next, softmax0(T(p["Wy"]) @ th + T(p["by"])), "yt_pred")
    (th * T(dh[:, :, 0])).sum().backward()
    grads = gru_cell_backward(dh[:, :, 0], x[:, :, 0], h0, p, variant=variant)
    assert set(grads) == {"dxt", "dh_prev"} | {"d" + k for k in keys}
    assert_close(grads["dxt"], xt_t.grad, "dxt")
    assert_close(grads["dh_prev"], h_t.grad, "dh_prev")
    for k in keys:
        assert_close(grads["d" + k], P[k].grad, "d" + k)

    # The sequence.
    P = leaf_parameters(p, keys)
    x_t, h0_t = T(x, True), T(h0, True)
    ht, hs = h0_t, []
    for t in range(T_):
        ht = torch_gru_cell(x_t[:, :, t], ht, P, variant)
        hs.append(ht)
    H = torch.stack(hs, dim=2)
    h, y = gru_forward(x, h0, p, variant=variant)
    assert_close(h, H, "h")
    assert_close(y, softmax0(T(p["Wy"]) @ H.detach().reshape(n_h, m * T_) + T(p["by"])).reshape(n_y, m, T_), "y")
    (H * T(dh)).sum().backward()
    grads = gru_backward(dh, x, h0, p, variant=variant)
    assert set(grads) == {"dx", "dh0"} | {"d" + k for k in keys}
    assert_close(grads["dx"], x_t.grad, "dx")
    assert_close(grads["dh0"], h0_t.grad, "dh0")
    for k in keys:
        assert_close(grads["d" + k], P[k].grad, "d" + k)


@pytest.mark.parametrize("bhh", [False, True], ids=["no-bhh", "bhh"])
@pytest.mark.parametrize("shape", SHAPES, ids=SHAPE_IDS)
def test_gru_reset_after_matches_nn_gru(shape, bhh):
    """torch.nn.GRU is reset-after with h' = (1 − z)⊙n + z⊙h, NNDL's z convention."""
    name, n_x, n_h, n_y, m, T_ = shape
    rng = rng_for("nn-gru" + name + str(bhh))
    p = gru_parameters(rng, n_x, n_h, n_y, bhh=bhh)
    x, h0, dh = rng.standard_normal((n_x, m, T_)), rng.standard_normal((n_h, m)), rng.standard_normal((n_h, m, T_))
    net = torch.nn.GRU(n_x, n_h, dtype=torch.float64)
    order = ("Wr", "Wz", "Wh")
    with torch.no_grad():
        net.weight_ih_l0.copy_(T(np.vstack([p[k][:, n_h:] for k in order])))
        net.weight_hh_l0.copy_(T(np.vstack([p[k][:, :n_h] for k in order])))
        net.bias_ih_l0.copy_(T(np.concatenate([p["b" + k[1]][:, 0] for k in order])))
        net.bias_hh_l0.zero_()
        if bhh:
            net.bias_hh_l0[2 * n_h:] = T(p["bhh"][:, 0])
    xt = T(x.transpose(2, 1, 0), True)
    h0t = T(h0.T[None], True)
    out, _ = net(xt, h0t)
    h, _ = gru_forward(x, h0, p, variant="reset_after")
    assert_close(h, out.detach().numpy().transpose(2, 1, 0), "h")
    out.backward(T(dh.transpose(2, 1, 0)))
    grads = gru_backward(dh, x, h0, p, variant="reset_after")
    assert_close(grads["dx"], xt.grad.numpy().transpose(2, 1, 0), "dx")
    assert_close(grads["dh0"], h0t.grad[0].numpy().T, "dh0")
    gih, ghh = net.weight_ih_l0.grad.numpy(), net.weight_hh_l0.grad.numpy()
    gbi, gbh = net.bias_ih_l0.grad.numpy(), net.bias_hh_l0.grad.numpy()
    for k, gate in enumerate(order):
        rows = slice(k * n_h, (k + 1) * n_h)
        assert_close(grads["d" + gate], np.hstack((ghh[rows], gih[rows])), "d" + gate)
        assert_close(grads["db" + gate[1]], gbi[rows, None], "db" + gate[1])
    if bhh:
        assert_close(grads["dbhh"], gbh[2 * n_h:, None], "dbhh")
    else:
        assert "dbhh" not in grads


@pytest.mark.parametrize("shape", SHAPES, ids=SHAPE_IDS)
def test_residual_rnn_matches_autograd(shape):
    name, n_x, n_h, _, m, T_ = shape
    rng = rng_for("torch-residual" + name)
    p = residual_parameters(rng, n_x, n_h)
    x, h0, dh = rng.standard_normal((n_x, m, T_)), rng.standard_normal((n_h, m)), rng.standard_normal((n_h, m, T_))
    P = leaf_parameters(p, ("U", "W", "b"))
    x_t, h0_t = T(x, True), T(h0, True)
    ht, hs = h0_t, []
    for t in range(T_):
        ht = torch_residual_step(x_t[:, :, t], ht, P)
        hs.append(ht)
    H = torch.stack(hs, dim=2)
    assert_close(residual_rnn_forward(x, h0, p), H, "h")
    (H * T(dh)).sum().backward()
    grads = residual_rnn_backward(dh, x, h0, p)
    assert_close(grads["dx"], x_t.grad, "dx")
    assert_close(grads["dh0"], h0_t.grad, "dh0")
    for k in ("U", "W", "b"):
        assert_close(grads["d" + k], P[k].grad, "d" + k)


@pytest.mark.parametrize("shape", SHAPES, ids=SHAPE_IDS)
def test_residual_step_jacobian_matches_torch_jacobian(shape):
    name, n_x, n_h, _, m, _ = shape
    rng = rng_for("torch-jacobian" + name)
    p = residual_parameters(rng, n_x, n_h, scale=1.5)
    xt, h_prev = rng.standard_normal((n_x, m)), rng.standard_normal((n_h, m))
    P = {k: T(v) for k, v in p.items()}
    J = residual_rnn_step_jacobian(xt, h_prev, p)
    for k in range(m):
        jac = torch.autograd.functional.jacobian(
            lambda h, k=k: torch_residual_step(T(xt[:, k:k + 1]), h[:, None], P)[:, 0], T(h_prev[:, k]))
        assert_close(J[k], jac, f"J[{k}]")


@pytest.mark.parametrize("max_norm", [0.5, 3.0, 1e6], ids=["clips", "clips-a-little", "no-clip"])
def test_clip_by_global_norm_matches_clip_grad_norm(max_norm):
    rng = rng_for("torch-clip" + str(max_norm))
    grads = {"dWf": rng.standard_normal((3, 5)), "dbf": rng.standard_normal((3, 1)), "dx": rng.standard_normal((2, 4, 3))}
    clipped, norm = clip_by_global_norm(grads, max_norm)
    tensors = [T(g, True) for g in grads.values()]
    for t, g in zip(tensors, grads.values()):
        t.grad = T(g)
    total = torch.nn.utils.clip_grad_norm_(tensors, max_norm)
    assert isinstance(norm, float)
    assert norm == pytest.approx(float(total), rel=1e-12)
    # torch divides by (norm + 1e-6): same direction, scale equal to ~1e-6 relative.
    ours = np.concatenate([clipped[k].ravel() for k in grads])
    theirs = np.concatenate([t.grad.numpy().ravel() for t in tensors])
    np.testing.assert_allclose(ours / np.linalg.norm(ours), theirs / np.linalg.norm(theirs), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(ours, theirs, rtol=1e-5)


def test_activations_match_torch():
    z = np.linspace(-1000.0, 1000.0, 2001)[:, None] * np.array([[1.0, 0.01, 1e-3]])
    np.testing.assert_allclose(sigmoid(z), torch.sigmoid(T(z)).numpy(), rtol=0, atol=3e-16)
    zz = np.random.default_rng(0).standard_normal((4, 6, 3)) * 50
    np.testing.assert_allclose(softmax(zz), torch.softmax(T(zz), dim=0).numpy(), rtol=1e-12, atol=1e-300)
