import numpy as np


def sigmoid(v):
    return 1 / (1 + np.exp(-v))


def softmax(v, axis=-1):
    v = v - v.max(axis=axis, keepdims=True)
    ev = np.exp(v)
    return ev / ev.sum(axis=axis, keepdims=True)


def lstm_cell_forward(xt, h_prev, c_prev, parameters):
    W_all = {k: parameters[k] for k in ("Wf", "Wi", "Wc", "Wo")}
    stacked = np.concatenate([h_prev, xt], axis=0)
    gate = lambda k: W_all["W" + k] @ stacked + parameters["b" + k]
    forget, inp, out = sigmoid(gate("f")), sigmoid(gate("i")), sigmoid(gate("o"))
    candidate = np.tanh(gate("c"))
    c_next = forget * c_prev + inp * candidate
    h_next = out * np.tanh(c_next)
    yt_pred = softmax(parameters["Wy"] @ h_next + parameters["by"])
    return h_next, c_next, yt_pred


def lstm_forward(x, h0, parameters):
    T = x.shape[-1]
    n_h, m = h0.shape
    h = np.zeros((n_h, m, T))
    c = np.zeros((n_h, m, T))
    y = np.zeros((parameters["Wy"].shape[0], m, T))
    h_prev, c_prev = h0, np.zeros((n_h, m))
    for t in range(T):
        h_prev, c_prev, yt = lstm_cell_forward(x[:, :, t], h_prev, c_prev, parameters)
        h[:, :, t] = h_prev
        c[:, :, t] = c_prev
        y[:, :, t] = yt
    return h, y, c
