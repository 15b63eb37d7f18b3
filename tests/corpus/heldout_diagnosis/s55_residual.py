import numpy as np


def residual_rnn_forward(x, h0, parameters):
    U, W, b = parameters["U"], parameters["W"], parameters["b"]
    n_x, m, T = x.shape
    h = np.zeros((U.shape[0], m, T))
    for t in range(T):
        hp = h0 if t == 0 else h[:, :, t - 1]
        h[:, :, t] = hp + np.tanh(U @ hp + W @ x[:, :, t] + b)
    return h


def residual_rnn_backward(dh, x, h0, parameters):
    U, W, b = parameters["U"], parameters["W"], parameters["b"]
    n_x, m, T = x.shape
    h = residual_rnn_forward(x, h0, parameters)
    dx = np.zeros((n_x, m, T))
    dU = np.zeros(U.shape)
    dW = np.zeros(W.shape)
    db = np.zeros(b.shape[0])
    delta = np.zeros((U.shape[0], m))
    for t in reversed(range(T)):
        hp = h0 if t == 0 else h[:, :, t - 1]
        total = dh[:, :, t] + delta
        dz = total * (1 - np.tanh(U @ hp + W @ x[:, :, t] + b) ** 2)
        dU += dz @ hp.T
        dW += dz @ x[:, :, t].T
        db += dz.sum(axis=1)
        dx[:, :, t] = W.T @ dz
        delta = total + U.T @ dz
    return {"dx": dx, "dh0": delta, "dU": dU, "dW": dW, "db": db}
