import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def softmax(x):
    e = np.exp(x - np.max(x, axis=0, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)


def gru_cell_forward(xt, h_prev, parameters):
    concat = np.concatenate((h_prev, xt), axis=0)
    zt = sigmoid(np.dot(parameters["Wz"], concat) + parameters["bz"])
    rt = sigmoid(np.dot(parameters["Wr"], concat) + parameters["br"])
    cct = np.tanh(np.dot(parameters["Wh"], np.concatenate((rt * h_prev, xt), axis=0)) + parameters["bh"])
    h_next = zt * h_prev + (1 - zt) * cct
    return h_next, softmax(np.dot(parameters["Wy"], h_next) + parameters["by"])


def gru_cell_backward(dh_next, xt, h_prev, parameters):
    n_h = h_prev.shape[0]
    concat = np.concatenate((h_prev, xt), axis=0)
    zt = sigmoid(np.dot(parameters["Wz"], concat) + parameters["bz"])
    rt = sigmoid(np.dot(parameters["Wr"], concat) + parameters["br"])
    concat_r = np.concatenate((rt * h_prev, xt), axis=0)
    cct = np.tanh(np.dot(parameters["Wh"], concat_r) + parameters["bh"])

    dcct = dh_next * (1 - zt) * (1 - cct ** 2)
    dWh = np.dot(dcct, concat_r.T)
    dbh = np.sum(dcct, axis=1, keepdims=True)
    dconcat_r = np.dot(dWh.T, dcct)
    drt = dconcat_r[:n_h] * h_prev * rt * (1 - rt)
    dWr = np.dot(drt, concat.T)
    dbr = np.sum(drt, axis=1, keepdims=True)
    dzt = dh_next * (h_prev - cct) * zt * (1 - zt)
    dWz = np.dot(dzt, concat.T)
    dbz = np.sum(dzt, axis=1, keepdims=True)
    dconcat = np.dot(dWz.T, dzt) + np.dot(dWr.T, drt)
    dh_prev = dconcat[:n_h] + dconcat_r[:n_h] * rt + dh_next * zt
    dxt = dconcat[n_h:] + dconcat_r[n_h:]
    return {"dxt": dxt, "dh_prev": dh_prev, "dWz": dWz, "dbz": dbz, "dWr": dWr, "dbr": dbr,
            "dWh": dWh, "dbh": dbh}
