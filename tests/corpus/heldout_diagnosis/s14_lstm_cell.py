import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def softmax(x):
    e = np.exp(x - np.max(x, axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def lstm_cell_forward(xt, h_prev, c_prev, parameters):
    concat = np.concatenate((h_prev, xt), axis=0)
    ft = sigmoid(parameters["Wf"] @ concat + parameters["bf"])
    it = sigmoid(parameters["Wi"] @ concat + parameters["bi"])
    cct = np.tanh(parameters["Wc"] @ concat + parameters["bc"])
    ot = sigmoid(parameters["Wo"] @ concat + parameters["bo"])
    c_next = ft * c_prev + it * cct
    h_next = ot * np.tanh(c_next)
    return h_next, c_next, softmax(parameters["Wy"] @ h_next + parameters["by"])


def lstm_cell_backward(dh_next, dc_next, xt, h_prev, c_prev, parameters):
    n_h = h_prev.shape[0]
    concat = np.concatenate((h_prev, xt), axis=0)
    ft = sigmoid(parameters["Wf"] @ concat + parameters["bf"])
    it = sigmoid(parameters["Wi"] @ concat + parameters["bi"])
    cct = np.tanh(parameters["Wc"] @ concat + parameters["bc"])
    ot = sigmoid(parameters["Wo"] @ concat + parameters["bo"])
    c_next = ft * c_prev + it * cct
    tc = np.tanh(c_next)

    dc = dc_next + dh_next * ot * (1 - tc ** 2)
    dot = dh_next * tc * ot * (1 - ot)
    dcct = dc * it * (1 - cct ** 2)
    dit = dc * cct * it * (1 - it)
    dft = dc * c_prev * ft * (1 - ft)

    dWf = dft @ concat.T
    dWi = dit @ concat.T
    dWc = dcct @ concat.T
    dWo = dot @ concat.T
    dbf = dft.sum(axis=1, keepdims=True)
    dbi = dit.sum(axis=1, keepdims=True)
    dbc = dcct.sum(axis=1, keepdims=True)
    dbo = dot.sum(axis=1, keepdims=True)

    dh_prev = dWf[:, :n_h].T @ dft + dWi[:, :n_h].T @ dit + dWc[:, :n_h].T @ dcct + dWo[:, :n_h].T @ dot
    dc_prev = dc * ft
    dxt = dWf[:, n_h:].T @ dft + dWi[:, n_h:].T @ dit + dWc[:, n_h:].T @ dcct + dWo[:, n_h:].T @ dot
    return {"dxt": dxt, "dh_prev": dh_prev, "dc_prev": dc_prev, "dWf": dWf, "dbf": dbf,
            "dWi": dWi, "dbi": dbi, "dWc": dWc, "dbc": dbc, "dWo": dWo, "dbo": dbo}
