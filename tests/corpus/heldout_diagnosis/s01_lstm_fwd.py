# Homework ch6 -- LSTM forward
import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def softmax(z):
    z = z - np.max(z, axis=0, keepdims=True)
    return np.exp(z) / np.sum(np.exp(z), axis=0, keepdims=True)


def lstm_cell_forward(xt, h_prev, c_prev, parameters):
    n_x = xt.shape[0]
    # every W multiplies the input part and the hidden part, so split it in two blocks
    def affine(name):
        W = parameters["W" + name]
        b = parameters["b" + name]
        return W[:, :n_x] @ xt + W[:, n_x:] @ h_prev + b

    ft = sigmoid(affine("f"))
    it = sigmoid(affine("i"))
    cct = np.tanh(affine("c"))
    ot = sigmoid(affine("o"))
    c_next = ft * c_prev + it * cct
    h_next = ot * np.tanh(c_next)
    yt_pred = softmax(parameters["Wy"] @ h_next + parameters["by"])
    return h_next, c_next, yt_pred


def lstm_forward(x, h0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_h = parameters["Wy"].shape
    h = np.zeros((n_h, m, T_x))
    c = np.zeros((n_h, m, T_x))
    y = np.zeros((n_y, m, T_x))
    h_next = h0
    c_next = np.zeros((n_h, m))
    for t in range(T_x):
        h_next, c_next, yt = lstm_cell_forward(x[:, :, t], h_next, c_next, parameters)
        h[:, :, t] = h_next
        c[:, :, t] = c_next
        y[:, :, t] = yt
    return h, y, c
