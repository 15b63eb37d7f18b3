import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def gru_cell_forward(xt, h_prev, parameters):
    s = np.concatenate((h_prev, xt))
    z = sigmoid(parameters["Wz"].dot(s) + parameters["bz"])
    r = sigmoid(parameters["Wr"].dot(s) + parameters["br"])
    hh = np.tanh(parameters["Wh"].dot(np.concatenate((r * h_prev, xt))) + parameters["bh"])
    h_next = z * h_prev + (1 - z) * hh
    scores = parameters["Wy"].dot(h_next) + parameters["by"]
    probs = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    return h_next, probs


def gru_forward(x, h0, parameters):
    n_x, m, T = x.shape
    n_h = h0.shape[0]
    n_y = parameters["Wy"].shape[0]
    h, y = np.zeros((n_h, m, T)), np.zeros((n_y, m, T))
    h_t = h0
    for t in range(T):
        h_t, y_t = gru_cell_forward(x[:, :, t], h_t, parameters)
        h[:, :, t] = h_t
        y[:, :, t] = y_t
    return h, y
