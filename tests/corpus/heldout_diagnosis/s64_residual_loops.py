# residual RNN, everything written with loops over the examples of the batch
import math
import numpy as np


def residual_rnn_forward(x, h0, parameters):
    U, W, b = parameters["U"], parameters["W"], parameters["b"][:, 0]
    n_x, m, T = x.shape
    h = np.zeros((U.shape[0], m, T))
    for k in range(m):
        hk = h0[:, k].copy()
        for t in range(T):
            hk = hk + np.tanh(U.dot(hk) + W.dot(x[:, k, t]) + b)
            h[:, k, t] = hk
    return h


def residual_rnn_backward(dh, x, h0, parameters):
    U, W, b = parameters["U"], parameters["W"], parameters["b"][:, 0]
    n_x, m, T = x.shape
    h = residual_rnn_forward(x, h0, parameters)
    dx = np.zeros(x.shape)
    dh0 = np.zeros(h0.shape)
    dU, dW, db = np.zeros(U.shape), np.zeros(W.shape), np.zeros((U.shape[0], 1))
    for k in range(m):
        back = np.zeros(U.shape[0])
        for t in range(T - 1, -1, -1):
            hp = h0[:, k] if t == 0 else h[:, k, t - 1]
            g = dh[:, k, t] + back
            a = U.dot(hp) + W.dot(x[:, k, t]) + b
            da = g * (1 - np.tanh(a) ** 2)
            dU += np.outer(da, hp)
            dW += np.outer(da, x[:, k, t])
            db[:, 0] += da
            dx[:, k, t] = W.T.dot(da)
            back = g + U.T.dot(da)
        dh0[:, k] = back
    return {"dx": dx, "dh0": dh0, "dU": dU, "dW": dW, "db": db}


def residual_rnn_step_jacobian(xt, h_prev, parameters):
    U, W, b = parameters["U"], parameters["W"], parameters["b"][:, 0]
    n_h, m = h_prev.shape
    J = np.zeros((m, n_h, n_h))
    for k in range(m):
        a = U.dot(h_prev[:, k]) + W.dot(xt[:, k]) + b
        for i in range(n_h):
            for j in range(n_h):
                J[k, i, j] = (1.0 if i == j else 0.0) + (1 - math.tanh(a[i]) ** 2) * U[i, j]
    return J


def clip_by_global_norm(grads, max_norm):
    squares = 0.0
    for name in grads:
        for v in np.ravel(grads[name]):
            squares += float(v) * float(v)
    norm = math.sqrt(squares)
    if norm <= max_norm:
        return {name: np.array(g, copy=True) for name, g in grads.items()}, norm
    return {name: g * (max_norm / norm) for name, g in grads.items()}, norm
