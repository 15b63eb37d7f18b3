import numpy as np


def residual_rnn_forward(x, h0, parameters):
    U, W, b = parameters["U"], parameters["W"], parameters["b"]
    n_h = U.shape[0]
    n_x, m, T = x.shape
    h = np.zeros((n_h, m, T))
    h_t = np.zeros((n_h, m))          # initial hidden state
    for t in range(T):
        h_t = h_t + np.tanh(U @ h_t + W @ x[:, :, t] + b)
        h[:, :, t] = h_t
    return h


def residual_rnn_backward(dh, x, h0, parameters):
    U, W, b = parameters["U"], parameters["W"], parameters["b"]
    h = residual_rnn_forward(x, h0, parameters)
    T = x.shape[2]
    dx = np.zeros_like(x)
    dU, dW, db = np.zeros_like(U), np.zeros_like(W), np.zeros_like(b)
    back = np.zeros_like(h0)
    for t in range(T - 1, -1, -1):
        hp = h[:, :, t - 1] if t else h0
        g = dh[:, :, t] + back
        dz = g * (1 - np.tanh(U @ hp + W @ x[:, :, t] + b) ** 2)
        dU += dz @ hp.T
        dW += dz @ x[:, :, t].T
        db += dz.sum(1, keepdims=True)
        dx[:, :, t] = W.T @ dz
        back = g + U.T @ dz
    return {"dx": dx, "dh0": back, "dU": dU, "dW": dW, "db": db}
