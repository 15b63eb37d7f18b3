import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def softmax(x):
    ex = np.exp(x - x.max(axis=0, keepdims=True))
    return ex / ex.sum(axis=0, keepdims=True)


def lstm_cell_forward(xt, h_prev, c_prev, parameters):
    concat = np.concatenate((h_prev, xt), axis=0)
    ft = sigmoid(np.dot(parameters["Wf"], concat) + parameters["bf"])
    it = sigmoid(np.dot(parameters["Wi"], concat) + parameters["bi"])
    cct = np.tanh(np.dot(parameters["Wc"], concat) + parameters["bc"])
    ot = sigmoid(np.dot(parameters["Wo"], concat) + parameters["bo"])
    c_next = ft * c_prev + it * cct
    h_next = ot * np.tanh(c_next)
    yt_pred = softmax(np.dot(parameters["Wy"], h_next) + parameters["by"])
    return h_next, c_next, yt_pred


def lstm_cell_backward(dh_next, dc_next, xt, h_prev, c_prev, parameters):
    n_h, m = h_prev.shape
    concat = np.concatenate((h_prev, xt), axis=0)
    ft = sigmoid(np.dot(parameters["Wf"], concat) + parameters["bf"])
    it = sigmoid(np.dot(parameters["Wi"], concat) + parameters["bi"])
    cct = np.tanh(np.dot(parameters["Wc"], concat) + parameters["bc"])
    ot = sigmoid(np.dot(parameters["Wo"], concat) + parameters["bo"])
    c_next = ft * c_prev + it * cct

    # equations (7)-(10) of the notebook
    dot = dh_next * np.tanh(c_next) * ot * (1 - ot)
    dcct = (dc_next * it + ot * (1 - np.square(np.tanh(c_next))) * it * dh_next) * (1 - np.square(np.tanh(cct)))
    dit = (dc_next * cct + ot * (1 - np.square(np.tanh(c_next))) * cct * dh_next) * it * (1 - it)
    dft = (dc_next * c_prev + ot * (1 - np.square(np.tanh(c_next))) * c_prev * dh_next) * ft * (1 - ft)

    dWf = np.dot(dft, concat.T)
    dWi = np.dot(dit, concat.T)
    dWc = np.dot(dcct, concat.T)
    dWo = np.dot(dot, concat.T)
    dbf = np.sum(dft, axis=1, keepdims=True)
    dbi = np.sum(dit, axis=1, keepdims=True)
    dbc = np.sum(dcct, axis=1, keepdims=True)
    dbo = np.sum(dot, axis=1, keepdims=True)

    dh_prev = (np.dot(parameters["Wf"][:, :n_h].T, dft) + np.dot(parameters["Wi"][:, :n_h].T, dit)
               + np.dot(parameters["Wc"][:, :n_h].T, dcct) + np.dot(parameters["Wo"][:, :n_h].T, dot))
    dc_prev = dc_next * ft + ot * (1 - np.square(np.tanh(c_next))) * ft * dh_next
    dxt = (np.dot(parameters["Wf"][:, n_h:].T, dft) + np.dot(parameters["Wi"][:, n_h:].T, dit)
           + np.dot(parameters["Wc"][:, n_h:].T, dcct) + np.dot(parameters["Wo"][:, n_h:].T, dot))
    return {"dxt": dxt, "dh_prev": dh_prev, "dc_prev": dc_prev, "dWf": dWf, "dbf": dbf, "dWi": dWi,
            "dbi": dbi, "dWc": dWc, "dbc": dbc, "dWo": dWo, "dbo": dbo}
