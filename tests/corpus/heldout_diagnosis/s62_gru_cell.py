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
    hx = np.concatenate([h_prev, xt])
    z = sigmoid(parameters["Wz"] @ hx + parameters["bz"])
    r = sigmoid(parameters["Wr"] @ hx + parameters["br"])
    rhx = np.concatenate([r * h_prev, xt])
    h_tilde = np.tanh(parameters["Wh"] @ rhx + parameters["bh"])
    # derivative of the candidate's tanh
    dtanh = 1 - np.tanh(h_tilde) ** 2
    dah = dh_next * (1 - z) * dtanh
    daz = dh_next * (h_prev - h_tilde) * z * (1 - z)
    drhx = parameters["Wh"].T @ dah
    dar = drhx[:n_h] * h_prev * r * (1 - r)
    dhx = parameters["Wz"].T @ daz + parameters["Wr"].T @ dar
    return {"dxt": dhx[n_h:] + drhx[n_h:], "dh_prev": dhx[:n_h] + drhx[:n_h] * r + dh_next * z,
            "dWz": daz @ hx.T, "dbz": daz.sum(axis=1, keepdims=True),
            "dWr": dar @ hx.T, "dbr": dar.sum(axis=1, keepdims=True),
            "dWh": dah @ rhx.T, "dbh": dah.sum(axis=1, keepdims=True)}
