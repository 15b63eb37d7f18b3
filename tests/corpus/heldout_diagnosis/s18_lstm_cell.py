"""LSTM cell, NNDL book style: one big matrix on [x_t; h_{t-1}] (eq. 6.57)."""
import numpy as np


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def softmax(x):
    x = x - x.max(axis=0, keepdims=True)
    return np.exp(x) / np.exp(x).sum(axis=0, keepdims=True)


def _stack(parameters):
    W = np.concatenate([parameters["Wf"], parameters["Wi"], parameters["Wc"], parameters["Wo"]], axis=0)
    b = np.concatenate([parameters["bf"], parameters["bi"], parameters["bc"], parameters["bo"]], axis=0)
    return W, b


def _forward(xt, h_prev, c_prev, parameters):
    n_h = h_prev.shape[0]
    W, b = _stack(parameters)
    z = np.concatenate([xt, h_prev], axis=0)      # [x_t; h_{t-1}]
    a = W @ z + b
    f = sigmoid(a[:n_h]); i = sigmoid(a[n_h:2 * n_h])
    g = np.tanh(a[2 * n_h:3 * n_h]); o = sigmoid(a[3 * n_h:])
    c = f * c_prev + i * g
    return z, f, i, g, o, c


def lstm_cell_forward(xt, h_prev, c_prev, parameters):
    _, f, i, g, o, c_next = _forward(xt, h_prev, c_prev, parameters)
    h_next = o * np.tanh(c_next)
    return h_next, c_next, softmax(parameters["Wy"] @ h_next + parameters["by"])


def lstm_cell_backward(dh_next, dc_next, xt, h_prev, c_prev, parameters):
    n_x = xt.shape[0]
    W, _ = _stack(parameters)
    z, f, i, g, o, c = _forward(xt, h_prev, c_prev, parameters)
    tc = np.tanh(c)
    dc = dc_next + dh_next * o * (1 - tc ** 2)
    da = np.concatenate([dc * c_prev * f * (1 - f), dc * g * i * (1 - i),
                         dc * i * (1 - g ** 2), dh_next * tc * o * (1 - o)], axis=0)
    dW = da @ z.T
    db = da.sum(axis=1, keepdims=True)
    dz = W.T @ da
    out = {"dxt": dz[:n_x], "dh_prev": dz[n_x:], "dc_prev": dc * f}
    for k, name in enumerate("fico"):
        rows = slice(k * len(c), (k + 1) * len(c))
        out["dW" + name] = dW[rows]
        out["db" + name] = db[rows]
    return out
