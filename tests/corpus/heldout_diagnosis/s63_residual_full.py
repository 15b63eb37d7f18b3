"""Exercise 6-3: residual RNN h_t = h_{t-1} + tanh(U h_{t-1} + W x_t + b), vectorised with einsum."""
import numpy as np


def residual_rnn_forward(x, h0, parameters):
    U, W, b = (np.asarray(parameters[k], dtype=np.float64) for k in ("U", "W", "b"))
    Wx = np.einsum("hx,xmt->hmt", W, np.asarray(x, dtype=np.float64)) + b[:, :, None]
    h = np.empty_like(Wx)
    state = np.asarray(h0, dtype=np.float64)
    for t in range(Wx.shape[2]):
        state = state + np.tanh(np.einsum("hk,km->hm", U, state) + Wx[:, :, t])
        h[:, :, t] = state
    return h


def residual_rnn_backward(dh, x, h0, parameters):
    U, W, b = parameters["U"], parameters["W"], parameters["b"]
    h = residual_rnn_forward(x, h0, parameters)
    prev = np.concatenate([h0[:, :, None], h[:, :, :-1]], axis=2)
    pre = np.einsum("hk,kmt->hmt", U, prev) + np.einsum("hx,xmt->hmt", W, x) + b[:, :, None]
    slope = 1.0 - np.tanh(pre) ** 2
    da = np.zeros_like(pre)
    carry = np.zeros_like(h0, dtype=np.float64)
    for t in range(x.shape[2] - 1, -1, -1):
        g = dh[:, :, t] + carry
        da[:, :, t] = g * slope[:, :, t]
        carry = g + np.einsum("kh,km->hm", U, da[:, :, t])
    return {
        "dx": np.einsum("hx,hmt->xmt", W, da),
        "dh0": carry,
        "dU": np.einsum("hmt,kmt->hk", da, prev),
        "dW": np.einsum("hmt,xmt->hx", da, x),
        "db": da.sum(axis=(1, 2))[:, None],
    }


def residual_rnn_step_jacobian(xt, h_prev, parameters):
    U = parameters["U"]
    s = 1.0 - np.tanh(U @ h_prev + parameters["W"] @ xt + parameters["b"]) ** 2
    return np.eye(U.shape[0])[None, :, :] + np.einsum("im,ij->mij", s, U)


def clip_by_global_norm(grads, max_norm):
    global_norm = float(np.sqrt(sum(float(np.vdot(g, g)) for g in grads.values())))
    factor = max_norm / global_norm if global_norm > max_norm else 1.0
    return {name: g * factor for name, g in grads.items()}, global_norm
