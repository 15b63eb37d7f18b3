# Exported from my notebook (GRU part + exercise 6-3). The test cells are kept.
import numpy as np

np.random.seed(1)
Wz = np.random.randn(5, 8); bz = np.random.randn(5, 1)
Wr = np.random.randn(5, 8); br = np.random.randn(5, 1)
Wh = np.random.randn(5, 8); bh = np.random.randn(5, 1)
Wy = np.random.randn(2, 5); by = np.random.randn(2, 1)
U = np.random.randn(5, 5); W = np.random.randn(5, 3); b = np.random.randn(5, 1)


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def softmax(x):
    e_x = np.exp(x - np.max(x))
    return e_x / e_x.sum(axis=0)


def gru_cell_forward(xt, h_prev, parameters):
    Wz, bz = parameters["Wz"], parameters["bz"]
    Wr, br = parameters["Wr"], parameters["br"]
    Wh, bh = parameters["Wh"], parameters["bh"]
    concat = np.concatenate((h_prev, xt), axis=0)
    z = sigmoid(np.dot(Wz, concat) + bz)
    r = sigmoid(np.dot(Wr, concat) + br)
    h_tilde = np.tanh(np.dot(Wh, np.concatenate((r * h_prev, xt), axis=0)) + bh)
    h_next = z * h_prev + (1 - z) * h_tilde
    yt_pred = softmax(np.dot(parameters["Wy"], h_next) + parameters["by"])
    return h_next, yt_pred


def gru_forward(x, h0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_h = parameters["Wy"].shape
    h = np.zeros((n_h, m, T_x))
    y = np.zeros((n_y, m, T_x))
    h_next = h0
    for t in range(T_x):
        h_next, yt = gru_cell_forward(x[:, :, t], h_next, parameters)
        h[:, :, t] = h_next
        y[:, :, t] = yt
    return h, y


def residual_rnn_forward(x, h0, parameters):
    U, W, b = parameters["U"], parameters["W"], parameters["b"]
    n_x, m, T_x = x.shape
    h = np.zeros((U.shape[0], m, T_x))
    h_prev = h0
    for t in range(T_x):
        h_prev = h_prev + np.tanh(np.dot(U, h_prev) + np.dot(W, x[:, :, t]) + b)
        h[:, :, t] = h_prev
    return h


def residual_rnn_step_jacobian(xt, h_prev, parameters):
    U, W, b = parameters["U"], parameters["W"], parameters["b"]
    n_h, m = h_prev.shape
    d = 1 - np.tanh(np.dot(U, h_prev) + np.dot(W, xt) + b) ** 2
    J = np.zeros((m, n_h, n_h))
    for k in range(m):
        J[k] = np.eye(n_h) + d[:, k:k + 1] * U
    return J


def clip_by_global_norm(grads, max_norm):
    global_norm = np.sqrt(np.sum([np.sum(np.square(g)) for g in grads.values()]))
    clipped = {}
    for key, g in grads.items():
        clipped[key] = g * max_norm / global_norm if global_norm > max_norm else g
    return clipped, global_norm


parameters_tmp = {"Wz": Wz, "bz": bz, "Wr": Wr, "br": br, "Wh": Wh, "bh": bh, "Wy": Wy, "by": by}
h_tmp, y_tmp = gru_forward(np.random.randn(3, 10, 4), np.random.randn(5, 10), parameters_tmp)
print("h[4][1] =", h_tmp[4][1])
J_tmp = residual_rnn_step_jacobian(np.random.randn(3, 10), np.random.randn(5, 10), {"U": U, "W": W, "b": b})
print("J.shape =", J_tmp.shape)
