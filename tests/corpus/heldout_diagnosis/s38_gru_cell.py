import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def softmax(x):
    e = np.exp(x - np.max(x, axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def gru_cell_forward(xt, h_prev, parameters):
    hx = np.concatenate([h_prev, xt])
    z = sigmoid(parameters["Wz"] @ hx + parameters["bz"])
    r = sigmoid(parameters["Wr"] @ hx + parameters["br"])
    h_tilde = np.tanh(parameters["Wh"] @ np.concatenate([r * h_prev, xt]) + parameters["bh"])
    h_next = z * h_prev + (1 - z) * h_tilde
    return h_next, softmax(parameters["Wy"] @ h_next + parameters["by"])


def gru_cell_backward(dh_next, xt, h_prev, parameters):
    n_h = h_prev.shape[0]
    Wz, Wr, Wh = parameters["Wz"], parameters["Wr"], parameters["Wh"]
    hx = np.concatenate([h_prev, xt])
    z = sigmoid(Wz @ hx + parameters["bz"])
    r = sigmoid(Wr @ hx + parameters["br"])
    rhx = np.concatenate([r * h_prev, xt])
    h_tilde = np.tanh(Wh @ rhx + parameters["bh"])

    da_z = dh_next * (h_prev - h_tilde) * z * (1 - z)
    da_h = dh_next * (1 - z) * (1 - h_tilde ** 2)
    d_rhx = Wh.T @ da_h
    d_rh = d_rhx[:n_h]
    da_r = d_rh * h_prev                 # r multiplies h_prev
    d_hx = Wz.T @ da_z + Wr.T @ da_r
    return {
        "dxt": d_hx[n_h:] + d_rhx[n_h:],
        "dh_prev": dh_next * z + d_rh * r + d_hx[:n_h],
        "dWz": da_z @ hx.T, "dbz": da_z.sum(axis=1, keepdims=True),
        "dWr": da_r @ hx.T, "dbr": da_r.sum(axis=1, keepdims=True),
        "dWh": da_h @ rhx.T, "dbh": da_h.sum(axis=1, keepdims=True),
    }
