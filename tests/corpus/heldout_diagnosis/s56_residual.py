import numpy as np


def residual_rnn_forward(x, h0, parameters):
    U, W, b = parameters["U"], parameters["W"], parameters["b"]
    h = np.zeros((h0.shape[0], x.shape[1], x.shape[2]))
    state = h0
    for t, xt in enumerate(np.moveaxis(x, 2, 0)):
        state = state + np.tanh(U @ state + W @ xt + b)
        h[:, :, t] = state
    return h


def residual_rnn_backward(dh, x, h0, parameters):
    U, W, b = parameters["U"], parameters["W"], parameters["b"]
    h = residual_rnn_forward(x, h0, parameters)
    T = x.shape[2]
    dx = np.zeros_like(x)
    g_next = np.zeros_like(h0)
    for t in reversed(range(T)):
        hp = h0 if t == 0 else h[:, :, t - 1]
        g = dh[:, :, t] + g_next
        dz = g * (1 - np.tanh(U @ hp + W @ x[:, :, t] + b) ** 2)
        dU = dz @ hp.T
        dW = dz @ x[:, :, t].T
        db = np.sum(dz, axis=1, keepdims=True)
        dx[:, :, t] = W.T @ dz
        g_next = g + U.T @ dz
    return {"dx": dx, "dh0": g_next, "dU": dU, "dW": dW, "db": db}
