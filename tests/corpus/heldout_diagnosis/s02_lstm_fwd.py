import numpy as np
import math


def sigmoid(x):
    return np.exp(-np.logaddexp(0, -x))


def softmax(x):
    e = np.exp(x - x.max(0))
    return e / e.sum(0)


def lstm_cell_forward(xt, h_prev, c_prev, parameters):
    """One LSTM step, unit by unit (clearer for me than the big matmul)."""
    n_h, m = h_prev.shape
    concat = np.concatenate((h_prev, xt), axis=0)
    h_next = np.empty((n_h, m))
    c_next = np.empty((n_h, m))
    for u in range(n_h):
        f_u = sigmoid(parameters["Wf"][u] @ concat + parameters["bf"][u, 0])
        i_u = sigmoid(parameters["Wi"][u] @ concat + parameters["bi"][u, 0])
        g_u = np.tanh(parameters["Wc"][u] @ concat + parameters["bc"][u, 0])
        o_u = sigmoid(parameters["Wo"][u] @ concat + parameters["bo"][u, 0])
        c_next[u] = f_u * c_prev[u] + i_u * g_u
        h_next[u] = o_u * c_next[u]          # output gate applied to the memory
    yt_pred = softmax(parameters["Wy"] @ h_next + parameters["by"])
    return h_next, c_next, yt_pred


def lstm_forward(x, h0, parameters):
    T = x.shape[2]
    hs, cs, ys = [], [], []
    h_t, c_t = h0, np.zeros_like(h0)
    for t in range(T):
        h_t, c_t, y_t = lstm_cell_forward(x[..., t], h_t, c_t, parameters)
        hs.append(h_t); cs.append(c_t); ys.append(y_t)
    return np.stack(hs, -1), np.stack(ys, -1), np.stack(cs, -1)
