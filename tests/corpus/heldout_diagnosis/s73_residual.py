import numpy as np


def residual_rnn_forward(x, h0, parameters):
    U, W, b = parameters["U"], parameters["W"], parameters["b"]
    hs = np.zeros((U.shape[0], x.shape[1], x.shape[2]))
    h = h0
    for t in range(x.shape[2]):
        h = h + np.tanh(np.dot(U, h) + np.dot(W, x[:, :, t]) + b)
        hs[:, :, t] = h
    return hs


def residual_rnn_backward(dh, x, h0, parameters):
    U, W, b = parameters["U"], parameters["W"], parameters["b"]
    hs = residual_rnn_forward(x, h0, parameters)
    n_x, m, T = x.shape
    dU = np.zeros_like(U); dW = np.zeros_like(W); db = np.zeros_like(b)
    dx = np.zeros_like(x)
    dh_prev = np.zeros_like(h0)
    for t in reversed(range(T)):
        h_prev = h0 if t == 0 else hs[:, :, t - 1]
        dh_t = dh[:, :, t] + dh_prev
        dz = dh_t * (1 - np.tanh(np.dot(U, h_prev) + np.dot(W, x[:, :, t]) + b) ** 2)
        dU += np.dot(dz, h_prev.T)
        dW += np.dot(dz, x[:, :, t].T)
        db += np.sum(dz, axis=1, keepdims=True)
        dx[:, :, t] = np.dot(dW.T, dz)
        dh_prev = dh_t + np.dot(dU.T, dz)
    return {"dx": dx, "dh0": dh_prev, "dU": dU, "dW": dW, "db": db}
