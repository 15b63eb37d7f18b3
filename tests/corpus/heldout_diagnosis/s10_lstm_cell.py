import numpy as np


def sigmoid(t):
    return 1.0 / (1.0 + np.exp(-t))


def softmax(t):
    t = np.exp(t - t.max(axis=0, keepdims=True))
    return t / t.sum(axis=0, keepdims=True)


def lstm_cell_forward(xt, h_prev, c_prev, parameters):
    concat = np.vstack([h_prev, xt])
    ft = sigmoid(parameters["Wf"] @ concat + parameters["bf"])
    it = sigmoid(parameters["Wi"] @ concat + parameters["bi"])
    cct = np.tanh(parameters["Wc"] @ concat + parameters["bc"])
    ot = sigmoid(parameters["Wo"] @ concat + parameters["bo"])
    c_next = ft * c_prev + it * cct
    h_next = ot * np.tanh(c_next)
    yt_pred = softmax(parameters["Wy"] @ h_next + parameters["by"])
    return h_next, c_next, yt_pred


def lstm_cell_backward(dh_next, dc_next, xt, h_prev, c_prev, parameters):
    n_h = h_prev.shape[0]
    concat = np.vstack([h_prev, xt])
    ft = sigmoid(parameters["Wf"] @ concat + parameters["bf"])
    it = sigmoid(parameters["Wi"] @ concat + parameters["bi"])
    cct = np.tanh(parameters["Wc"] @ concat + parameters["bc"])
    ot = sigmoid(parameters["Wo"] @ concat + parameters["bo"])
    c_next = ft * c_prev + it * cct
    tanh_c = np.tanh(c_next)

    dot = dh_next * tanh_c * ot * (1 - ot)
    dcct = (dc_next + dh_next * ot * (1 - tanh_c ** 2)) * it * (1 - cct ** 2)
    dit = (dc_next + dh_next * ot * (1 - tanh_c ** 2)) * cct * (1 - it) * it
    dft = (dc_next + dh_next * ot * (1 - tanh_c ** 2)) * c_prev * ft * (1 - ft)

    dWf = dft @ concat.T; dWi = dit @ concat.T; dWc = dcct @ concat.T; dWo = dot @ concat.T
    dbf = dft.sum(1, keepdims=True); dbi = dit.sum(1, keepdims=True)
    dbc = dcct.sum(1, keepdims=True); dbo = dot.sum(1, keepdims=True)

    dh_prev = (parameters["Wf"][:, :n_h].T @ dft + parameters["Wi"][:, :n_h].T @ dit
               + parameters["Wc"][:, :n_h].T @ dcct + parameters["Wo"][:, :n_h].T @ dot)
    dc_prev = dc_next * ft
    dxt = (parameters["Wf"][:, n_h:].T @ dft + parameters["Wi"][:, n_h:].T @ dit
           + parameters["Wc"][:, n_h:].T @ dcct + parameters["Wo"][:, n_h:].T @ dot)
    return {"dxt": dxt, "dh_prev": dh_prev, "dc_prev": dc_prev, "dWf": dWf, "dbf": dbf,
            "dWi": dWi, "dbi": dbi, "dWc": dWc, "dbc": dbc, "dWo": dWo, "dbo": dbo}
