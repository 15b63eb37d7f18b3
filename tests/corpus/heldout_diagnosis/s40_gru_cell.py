# GRU with the update written as in the lecture: h = (1 - z) * h_prev + z * h_candidate
import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def softmax(x):
    e = np.exp(x - x.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def gru_cell_forward(xt, h_prev, parameters):
    p = parameters
    hx = np.concatenate((h_prev, xt))
    z = sigmoid(p["Wz"] @ hx + p["bz"])
    r = sigmoid(p["Wr"] @ hx + p["br"])
    hc = np.tanh(p["Wh"] @ np.concatenate((r * h_prev, xt)) + p["bh"])
    h_next = (1 - z) * h_prev + z * hc
    return h_next, softmax(p["Wy"] @ h_next + p["by"])


def gru_cell_backward(dh_next, xt, h_prev, parameters):
    p = parameters
    n_h = h_prev.shape[0]
    hx = np.concatenate((h_prev, xt))
    z = sigmoid(p["Wz"] @ hx + p["bz"])
    r = sigmoid(p["Wr"] @ hx + p["br"])
    rhx = np.concatenate((r * h_prev, xt))
    hc = np.tanh(p["Wh"] @ rhx + p["bh"])
    g_z = dh_next * (hc - h_prev) * z * (1 - z)
    g_c = dh_next * z * (1 - hc ** 2)
    g_rhx = p["Wh"].T @ g_c
    g_r = g_rhx[:n_h] * h_prev * r * (1 - r)
    g_hx = p["Wz"].T @ g_z + p["Wr"].T @ g_r
    return {"dxt": g_hx[n_h:] + g_rhx[n_h:],
            "dh_prev": g_hx[:n_h] + g_rhx[:n_h] * r + dh_next * (1 - z),
            "dWz": g_z @ hx.T, "dbz": g_z.sum(1, keepdims=True),
            "dWr": g_r @ hx.T, "dbr": g_r.sum(1, keepdims=True),
            "dWh": g_c @ rhx.T, "dbh": g_c.sum(1, keepdims=True)}
