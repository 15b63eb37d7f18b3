import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def softmax(z):
    e = np.exp(z - np.max(z, axis=0, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)


def gru_cell_forward(xt, h_prev, parameters):
    hx = np.concatenate((h_prev, xt), axis=0)
    z = sigmoid(np.dot(parameters["Wz"], hx) + parameters["bz"])
    r = sigmoid(np.dot(parameters["Wr"], hx) + parameters["br"])
    rhx = np.concatenate((r * h_prev, xt), axis=0)
    h_hat = np.tanh(np.dot(parameters["Wh"], rhx) + parameters["bh"])
    h_next = z * h_prev + (1 - z) * h_hat
    yt_pred = softmax(np.dot(parameters["Wy"], h_next) + parameters["by"])
    return h_next, yt_pred


def gru_forward(x, h0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_h = parameters["Wy"].shape
    h = np.zeros((n_h, m, T_x))
    y = np.zeros((n_y, m, T_x))
    for t in range(T_x):
        h[:, :, t], y[:, :, t] = gru_cell_forward(x[:, :, t], h[:, :, t - 1], parameters)
    return h, y
