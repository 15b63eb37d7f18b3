import numpy as np


def sigmoid(x):
    return 0.5 * (np.tanh(x / 2) + 1)


def softmax(x):
    x = np.exp(x - np.amax(x, axis=0, keepdims=True))
    return x / np.sum(x, axis=0, keepdims=True)


def lstm_cell_forward(xt, h_prev, c_prev, parameters):
    Wf, bf = parameters["Wf"], parameters["bf"]
    Wi, bi = parameters["Wi"], parameters["bi"]
    Wc, bc = parameters["Wc"], parameters["bc"]
    Wo, bo = parameters["Wo"], parameters["bo"]
    Wy, by = parameters["Wy"], parameters["by"]
    concat = np.concatenate([h_prev, xt])
    ft = sigmoid(np.dot(Wf, concat) + bf)
    it = sigmoid(np.dot(Wi, concat) + bi)
    cct = np.tanh(np.dot(Wc, concat) + bc)
    ot = sigmoid(np.dot(Wo, concat) + bo)
    c_next = ft * c_prev + it * cct
    h_next = ot * np.tanh(c_next)
    yt_pred = softmax(np.dot(Wy, h_next) + by)
    return h_next, c_next, yt_pred


def lstm_forward(x, h0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_h = parameters["Wy"].shape
    h = np.zeros((n_h, m, T_x))
    c = np.zeros((n_h, m, T_x))
    y = np.zeros((n_y, m, T_x))
    for t in range(T_x):
        # previous state: the slot before, or the first slot at the start
        h_prev = h[:, :, t - 1] if t > 0 else h[:, :, 0]
        c_prev = c[:, :, t - 1] if t > 0 else c[:, :, 0]
        h[:, :, t], c[:, :, t], y[:, :, t] = lstm_cell_forward(x[:, :, t], h_prev, c_prev, parameters)
    return h, y, c
