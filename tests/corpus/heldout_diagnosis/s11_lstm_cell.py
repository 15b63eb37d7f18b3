import numpy as np


def sigmoid(z):
    return np.where(z >= 0, 1 / (1 + np.exp(-np.abs(z))), np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))))


def softmax(z):
    z = z - np.max(z, axis=0)
    return np.exp(z) / np.exp(z).sum(axis=0)


def lstm_cell_forward(xt, h_prev, c_prev, parameters):
    Wf, Wi, Wc, Wo = (parameters[k] for k in ("Wf", "Wi", "Wc", "Wo"))
    bf, bi, bc, bo = (parameters[k] for k in ("bf", "bi", "bc", "bo"))
    concat = np.concatenate((h_prev, xt))
    ft = sigmoid(Wf.dot(concat) + bf)
    it = sigmoid(Wi.dot(concat) + bi)
    cct = np.tanh(Wc.dot(concat) + bc)
    ot = sigmoid(Wo.dot(concat) + bo)
    c_next = ft * c_prev + it * cct
    h_next = ot * np.tanh(c_next)
    yt_pred = softmax(parameters["Wy"].dot(h_next) + parameters["by"])
    return h_next, c_next, yt_pred


def lstm_cell_backward(dh_next, dc_next, xt, h_prev, c_prev, parameters):
    # transposes once, used for both dh_prev and dxt
    WfT, WiT = parameters["Wf"].T, parameters["Wi"].T
    WcT, WoT = parameters["Wc"].T, parameters["Wo"].T
    n_h = h_prev.shape[0]
    concat = np.concatenate((h_prev, xt))
    ft = sigmoid(WfT.T.dot(concat) + parameters["bf"])
    it = sigmoid(WiT.T.dot(concat) + parameters["bi"])
    cct = np.tanh(WcT.T.dot(concat) + parameters["bc"])
    ot = sigmoid(WoT.T.dot(concat) + parameters["bo"])
    c_next = ft * c_prev + it * cct

    dc = dc_next + dh_next * ot * (1 - np.tanh(c_next) ** 2)
    dot = dh_next * np.tanh(c_next) * ot * (1 - ot)
    dcct = dc * it * (1 - cct ** 2)
    dit = dc * cct * it * (1 - it)
    dft = dc * c_prev                      # d(c)/d(f) = c_prev

    d_concat = WfT.dot(dft) + WiT.dot(dit) + WcT.dot(dcct) + WoT.dot(dot)
    return {
        "dxt": d_concat[n_h:], "dh_prev": d_concat[:n_h], "dc_prev": dc * ft,
        "dWf": dft.dot(concat.T), "dbf": np.sum(dft, axis=1, keepdims=True),
        "dWi": dit.dot(concat.T), "dbi": np.sum(dit, axis=1, keepdims=True),
        "dWc": dcct.dot(concat.T), "dbc": np.sum(dcct, axis=1, keepdims=True),
        "dWo": dot.dot(concat.T), "dbo": np.sum(dot, axis=1, keepdims=True),
    }
