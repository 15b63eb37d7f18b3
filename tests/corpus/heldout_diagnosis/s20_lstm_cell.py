# I do one example (one column) at a time, it is easier to check against the formulas.
import numpy as np


def sigmoid(v):
    return 1.0 / (1.0 + np.exp(-v))


def softmax(v):
    v = np.exp(v - np.max(v))
    return v / np.sum(v)


def _one_example(x, h, c, P):
    hx = np.concatenate([h, x])
    f = sigmoid(P["Wf"] @ hx + P["bf"][:, 0])
    i = sigmoid(P["Wi"] @ hx + P["bi"][:, 0])
    g = np.tanh(P["Wc"] @ hx + P["bc"][:, 0])
    o = sigmoid(P["Wo"] @ hx + P["bo"][:, 0])
    c_new = f * c + i * g
    return hx, f, i, g, o, c_new


def lstm_cell_forward(xt, h_prev, c_prev, parameters):
    n_h, m = h_prev.shape
    n_y = parameters["Wy"].shape[0]
    h_next, c_next, yt_pred = np.zeros((n_h, m)), np.zeros((n_h, m)), np.zeros((n_y, m))
    for k in range(m):
        _, f, i, g, o, c_new = _one_example(xt[:, k], h_prev[:, k], c_prev[:, k], parameters)
        c_next[:, k] = c_new
        h_next[:, k] = o * np.tanh(c_new)
        yt_pred[:, k] = softmax(parameters["Wy"] @ h_next[:, k] + parameters["by"][:, 0])
    return h_next, c_next, yt_pred


def lstm_cell_backward(dh_next, dc_next, xt, h_prev, c_prev, parameters):
    n_h, m = h_prev.shape
    grads = {"dxt": np.zeros_like(xt), "dh_prev": np.zeros_like(h_prev), "dc_prev": np.zeros_like(c_prev)}
    for g_name in "fico":
        grads["dW" + g_name] = np.zeros_like(parameters["W" + g_name])
        grads["db" + g_name] = np.zeros_like(parameters["b" + g_name])
    for k in range(m):
        hx, f, i, g, o, c_new = _one_example(xt[:, k], h_prev[:, k], c_prev[:, k], parameters)
        tc = np.tanh(c_new)
        dh, dc = dh_next[:, k], dc_next[:, k] + dh_next[:, k] * o * (1 - tc ** 2)
        pre = {"f": dc * c_prev[:, k] * f * (1 - f), "i": dc * g * i * (1 - i),
               "c": dc * i * (1 - g ** 2), "o": dh * tc * o * (1 - o)}
        dhx = np.zeros(hx.shape)
        for g_name, d in pre.items():
            grads["dW" + g_name] += np.outer(d, hx)
            grads["db" + g_name][:, 0] += d
            dhx += parameters["W" + g_name].T @ d
        grads["dh_prev"][:, k] = dhx[:n_h]
        grads["dxt"][:, k] = dhx[n_h:]
        grads["dc_prev"][:, k] = dc * f
    return grads
