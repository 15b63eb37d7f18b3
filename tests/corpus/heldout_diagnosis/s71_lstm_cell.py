# LSTM step, example by example
import numpy as np


def sigmoid(s):
    return 1 / (1 + np.exp(-s))


def softmax(s):
    s = np.exp(s - s.max())
    return s / s.sum()


def lstm_cell_forward(xt, h_prev, c_prev, parameters):
    n_h, m = h_prev.shape
    W = np.concatenate([parameters["Wf"], parameters["Wi"], parameters["Wc"], parameters["Wo"]])
    b = np.concatenate([parameters["bf"], parameters["bi"], parameters["bc"], parameters["bo"]]).ravel()
    h_next, c_next = np.zeros((n_h, m)), np.zeros((n_h, m))
    y = np.zeros((parameters["Wy"].shape[0], m))
    for k in range(m):
        a = W @ np.concatenate([h_prev[:, k], xt[:, k]]) + b
        f, i, g, o = sigmoid(a[:n_h]), sigmoid(a[n_h:2 * n_h]), np.tanh(a[2 * n_h:3 * n_h]), sigmoid(a[3 * n_h:])
        c_next[:, k] = f * c_prev[:, k] + i * g
        h_next[:, k] = o * np.tanh(c_next[:, k])
        y[:, k] = softmax(parameters["Wy"] @ h_next[:, k] + parameters["by"].ravel())
    return h_next, c_next, y


def lstm_cell_backward(dh_next, dc_next, xt, h_prev, c_prev, parameters):
    n_h, m = h_prev.shape
    W = np.concatenate([parameters["Wf"], parameters["Wi"], parameters["Wc"], parameters["Wo"]])
    b = np.concatenate([parameters["bf"], parameters["bi"], parameters["bc"], parameters["bo"]]).ravel()
    dW = np.zeros_like(W)
    db = np.zeros(4 * n_h)
    dxt, dh_prev, dc_prev = np.zeros_like(xt), np.zeros_like(h_prev), np.zeros_like(c_prev)
    for k in range(m):
        hx = np.concatenate([h_prev[:, k], xt[:, k]])
        a = W @ hx + b
        f, i, g, o = sigmoid(a[:n_h]), sigmoid(a[n_h:2 * n_h]), np.tanh(a[2 * n_h:3 * n_h]), sigmoid(a[3 * n_h:])
        c = f * c_prev[:, k] + i * g
        # memory gradient, then through each gate
        dc = dc_next[:, k]
        da = np.concatenate([dc * c_prev[:, k] * f * (1 - f), dc * g * i * (1 - i),
                             dc * i * (1 - g ** 2), dh_next[:, k] * np.tanh(c) * o * (1 - o)])
        dW += np.outer(da, hx)
        db += da
        dhx = W.T @ da
        dh_prev[:, k], dxt[:, k] = dhx[:n_h], dhx[n_h:]
        dc_prev[:, k] = dc * f
    out = {"dxt": dxt, "dh_prev": dh_prev, "dc_prev": dc_prev}
    for j, name in enumerate("fico"):
        out["dW" + name] = dW[j * n_h:(j + 1) * n_h]
        out["db" + name] = db[j * n_h:(j + 1) * n_h, None]
    return out
