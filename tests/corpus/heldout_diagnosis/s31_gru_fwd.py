import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def softmax(x):
    e = np.exp(x - x.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def gru_cell_forward(xt, h_prev, parameters):
    concat = np.concatenate([h_prev, xt], axis=0)
    z = sigmoid(parameters["Wz"] @ concat + parameters["bz"])      # update gate
    r = sigmoid(parameters["Wr"] @ concat + parameters["br"])      # reset gate
    h_tilde = np.tanh(parameters["Wh"] @ np.concatenate([r * h_prev, xt], axis=0) + parameters["bh"])
    # z decides how much of the new candidate gets in
    h_next = z * h_tilde + (1 - z) * h_prev
    yt_pred = softmax(parameters["Wy"] @ h_next + parameters["by"])
    return h_next, yt_pred


def gru_forward(x, h0, parameters):
    n_x, m, T = x.shape
    n_h = h0.shape[0]
    h = np.zeros((n_h, m, T))
    y = np.zeros((parameters["Wy"].shape[0], m, T))
    h_t = h0
    for t in range(T):
        h_t, y[:, :, t] = gru_cell_forward(x[:, :, t], h_t, parameters)
        h[:, :, t] = h_t
    return h, y
