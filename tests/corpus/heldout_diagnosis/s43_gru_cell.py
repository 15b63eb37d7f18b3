import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def softmax(x):
    e = np.exp(x - np.max(x, axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def gru_cell_forward(xt, h_prev, parameters):
    hx = np.vstack([h_prev, xt])
    z = sigmoid(parameters["Wz"] @ hx + parameters["bz"])
    r = sigmoid(parameters["Wr"] @ hx + parameters["br"])
    hh = np.tanh(parameters["Wh"] @ np.vstack([r * h_prev, xt]) + parameters["bh"])
    h_next = z * h_prev + (1 - z) * hh
    return h_next, softmax(parameters["Wy"] @ h_next + parameters["by"])


def bias_grad(d):
    # one number per column of the batch, made into a column vector
    return np.sum(d, axis=0, keepdims=True).T


def gru_cell_backward(dh_next, xt, h_prev, parameters):
    n_h = h_prev.shape[0]
    hx = np.vstack([h_prev, xt])
    z = sigmoid(parameters["Wz"] @ hx + parameters["bz"])
    r = sigmoid(parameters["Wr"] @ hx + parameters["br"])
    rhx = np.vstack([r * h_prev, xt])
    hh = np.tanh(parameters["Wh"] @ rhx + parameters["bh"])
    dz = dh_next * (h_prev - hh) * z * (1 - z)
    dhh = dh_next * (1 - z) * (1 - hh ** 2)
    drhx = parameters["Wh"].T @ dhh
    dr = drhx[:n_h] * h_prev * r * (1 - r)
    dhx = parameters["Wz"].T @ dz + parameters["Wr"].T @ dr
    return {"dxt": dhx[n_h:] + drhx[n_h:], "dh_prev": dhx[:n_h] + drhx[:n_h] * r + dh_next * z,
            "dWz": dz @ hx.T, "dbz": bias_grad(dz), "dWr": dr @ hx.T, "dbr": bias_grad(dr),
            "dWh": dhh @ rhx.T, "dbh": bias_grad(dhh)}
