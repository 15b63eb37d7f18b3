import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def softmax(x):
    """softmax of each row"""
    e = np.exp(x - x.max(axis=0))
    return e / e.sum(axis=0)


def lstm_cell_forward(xt, h_prev, c_prev, parameters):
    p = parameters
    hx = np.concatenate((h_prev, xt))
    forget = sigmoid(p["Wf"] @ hx + p["bf"])
    update = np.tanh(p["Wi"] @ hx + p["bi"])
    candidate = sigmoid(p["Wc"] @ hx + p["bc"])
    output = sigmoid(p["Wo"] @ hx + p["bo"])
    c_next = forget * c_prev + update * candidate
    h_next = output * np.tanh(c_next)
    # rows of the result are the examples
    yt_pred = softmax((p["Wy"] @ h_next + p["by"]).T).T
    return h_next, c_next, yt_pred


def lstm_forward(x, h0, parameters):
    m, T = x.shape[1], x.shape[2]
    n_h = h0.shape[0]
    h = np.zeros((n_h, m, T)); c = np.zeros((n_h, m, T))
    y = np.zeros((parameters["Wy"].shape[0], m, T))
    h_t, c_t = h0, np.zeros((n_h, m))
    for t in range(T):
        h_t, c_t, y[:, :, t] = lstm_cell_forward(x[:, :, t], h_t, c_t, parameters)
        h[:, :, t], c[:, :, t] = h_t, c_t
    return h, y, c
