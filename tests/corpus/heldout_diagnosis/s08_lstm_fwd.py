import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def softmax(x):
    e_x = np.exp(x - np.max(x))
    return e_x / e_x.sum(axis=0)


def lstm_cell_forward(xt, h_prev, c_prev, parameters):
    concat = np.concatenate((h_prev, xt), axis=0)
    g = globals()
    ft = sigmoid(np.dot(parameters["Wf"], concat) + parameters["bf"])
    it = sigmoid(np.dot(parameters["Wi"], concat) + parameters["bi"])
    cct = np.tanh(np.dot(parameters["Wc"], concat) + parameters["bc"])
    ot = sigmoid(np.dot(parameters["Wo"], concat) + parameters["bo"])
    c_next = ft * c_prev + it * cct
    h_next = ot * np.tanh(c_next)
    yt_pred = softmax(np.dot(g["Wy"], h_next) + g["by"])
    return h_next, c_next, yt_pred


def lstm_forward(x, h0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_h = parameters["Wy"].shape
    h = np.zeros((n_h, m, T_x)); c = np.zeros((n_h, m, T_x)); y = np.zeros((n_y, m, T_x))
    h_next, c_next = h0, np.zeros((n_h, m))
    for t in range(T_x):
        h_next, c_next, yt = lstm_cell_forward(x[:, :, t], h_next, c_next, parameters)
        h[:, :, t] = h_next; c[:, :, t] = c_next; y[:, :, t] = yt
    return h, y, c


# test cell of the notebook
np.random.seed(1)
xt_tmp = np.random.randn(3, 10)
h_prev_tmp = np.random.randn(4, 10)
c_prev_tmp = np.random.randn(4, 10)
Wf = np.random.randn(4, 4 + 3); bf = np.random.randn(4, 1)
Wi = np.random.randn(4, 4 + 3); bi = np.random.randn(4, 1)
Wo = np.random.randn(4, 4 + 3); bo = np.random.randn(4, 1)
Wc = np.random.randn(4, 4 + 3); bc = np.random.randn(4, 1)
Wy = np.random.randn(2, 4); by = np.random.randn(2, 1)
parameters_tmp = {"Wf": Wf, "Wi": Wi, "Wo": Wo, "Wc": Wc, "Wy": Wy, "bf": bf, "bi": bi, "bo": bo, "bc": bc, "by": by}
h_next_tmp, c_next_tmp, yt_tmp = lstm_cell_forward(xt_tmp, h_prev_tmp, c_prev_tmp, parameters_tmp)
print("h_next[3] =", h_next_tmp[3])
