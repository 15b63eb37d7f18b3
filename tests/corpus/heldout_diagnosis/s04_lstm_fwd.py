"""LSTM with all four gates in one stacked matrix."""
import numpy as np

GATES = ["f", "i", "c", "o"]
ACTIVATIONS = None


def sigmoid(z):
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    ez = np.exp(z[~pos])
    out[~pos] = ez / (1.0 + ez)
    return out


def softmax(z):
    z = z - z.max(axis=0, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=0, keepdims=True)


def lstm_cell_forward(xt, h_prev, c_prev, parameters):
    n_h = h_prev.shape[0]
    W = np.vstack([parameters["W" + g] for g in GATES])
    b = np.vstack([parameters["b" + g] for g in GATES])
    A = W @ np.vstack([h_prev, xt]) + b
    acts = [sigmoid, sigmoid, sigmoid, np.tanh]   # gates are sigmoids, the last one is tanh
    f, i, cc, o = (act(A[k * n_h:(k + 1) * n_h]) for k, act in enumerate(acts))
    c_next = f * c_prev + i * cc
    h_next = o * np.tanh(c_next)
    yt_pred = softmax(parameters["Wy"] @ h_next + parameters["by"])
    return h_next, c_next, yt_pred


def lstm_forward(x, h0, parameters):
    n_x, m, T_x = x.shape
    n_h = h0.shape[0]
    n_y = parameters["Wy"].shape[0]
    h = np.zeros((n_h, m, T_x))
    c = np.zeros_like(h)
    y = np.zeros((n_y, m, T_x))
    h_t = h0
    c_t = np.zeros((n_h, m))
    for t in range(T_x):
        h_t, c_t, y[:, :, t] = lstm_cell_forward(x[:, :, t], h_t, c_t, parameters)
        h[:, :, t] = h_t
        c[:, :, t] = c_t
    return h, y, c
