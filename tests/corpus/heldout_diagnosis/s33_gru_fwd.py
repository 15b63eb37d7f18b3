"""GRU as in the book: gates read [x_t; h_{t-1}]."""
import numpy as np


def sigmoid(x):
    return np.exp(-np.logaddexp(0, -x))


def softmax(x):
    x = np.exp(x - x.max(axis=0, keepdims=True))
    return x / x.sum(axis=0, keepdims=True)


def gru_cell_forward(xt, h_prev, parameters):
    p = parameters
    xh = np.vstack([xt, h_prev])
    z = sigmoid(p["Wz"] @ xh + p["bz"])
    r = sigmoid(p["Wr"] @ xh + p["br"])
    cand = np.tanh(p["Wh"] @ np.vstack([xt, r * h_prev]) + p["bh"])
    h_next = z * h_prev + (1 - z) * cand
    return h_next, softmax(p["Wy"] @ h_next + p["by"])


def gru_forward(x, h0, parameters):
    T = x.shape[2]
    h = np.zeros((h0.shape[0], x.shape[1], T))
    y = np.zeros((parameters["Wy"].shape[0], x.shape[1], T))
    hp = h0
    for t in range(T):
        hp, y[:, :, t] = gru_cell_forward(x[:, :, t], hp, parameters)
        h[:, :, t] = hp
    return h, y
