import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def softmax(x):
    e = np.exp(x - np.max(x, axis=0, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)


def gru_cell_forward(xt, h_prev, parameters):
    Wz, bz = parameters["Wz"], parameters["bz"]
    Wr, br = parameters["Wr"], parameters["br"]
    Wh, bh = parameters["Wh"], parameters["bh"]
    concat = np.concatenate((h_prev, xt), axis=0)
    zt = sigmoid(np.dot(Wz, concat) + bz)
    rt = sigmoid(np.dot(Wr, concat) + br)
    ht_tilde = np.tanh(np.dot(Wh, np.concatenate((rt * h_prev, xt), axis=0)) + bh)
    h_next = zt * h_prev + (1 - zt) * ht_tilde
    yt_pred = softmax(np.dot(parameters["Wy"], h_next) + parameters["by"])
    return h_next, yt_pred


def gru_cell_backward(dh_next, xt, h_prev, parameters):
    Wz, bz = parameters["Wz"], parameters["bz"]
    Wr, br = parameters["Wr"], parameters["br"]
    Wh, bh = parameters["Wh"], parameters["bh"]
    n_h = h_prev.shape[0]
    concat = np.concatenate((h_prev, xt), axis=0)
    zt = sigmoid(np.dot(Wz, concat) + bz)
    rt = sigmoid(np.dot(Wr, concat) + br)
    concat2 = np.concatenate((rt * h_prev, xt), axis=0)
    ht_tilde = np.tanh(np.dot(Wh, concat2) + bh)
    dzt = dh_next * (h_prev - ht_tilde)
    dht = dh_next * (1 - zt) * (1 - ht_tilde ** 2)
    dconcat2 = np.dot(Wh.T, dht)
    drt = dconcat2[:n_h] * h_prev * rt * (1 - rt)
    dconcat = np.dot(Wz.T, dzt) + np.dot(Wr.T, drt)
    dh_prev = dconcat[:n_h] + dconcat2[:n_h] * rt + dh_next * zt
    dxt = dconcat[n_h:] + dconcat2[n_h:]
    return {"dxt": dxt, "dh_prev": dh_prev,
            "dWz": np.dot(dzt, concat.T), "dbz": np.sum(dzt, axis=1, keepdims=True),
            "dWr": np.dot(drt, concat.T), "dbr": np.sum(drt, axis=1, keepdims=True),
            "dWh": np.dot(dht, concat2.T), "dbh": np.sum(dht, axis=1, keepdims=True)}


def gru_forward(x, h0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_h = parameters["Wy"].shape
    h = np.zeros((n_h, m, T_x))
    y = np.zeros((n_y, m, T_x))
    h_next = h0
    for t in range(T_x):
        h_next, yt = gru_cell_forward(x[:, :, t], h_next, parameters)
        h[:, :, t] = h_next
        y[:, :, t] = yt
    return h, y


def gru_backward(dh, x, h0, parameters):
    n_x, m, T_x = x.shape
    n_h = h0.shape[0]
    h, _ = gru_forward(x, h0, parameters)
    dx = np.zeros((n_x, m, T_x))
    dh_prevt = np.zeros((n_h, m))
    gradients = {}
    for t in reversed(range(T_x)):
        h_prev = h0 if t == 0 else h[:, :, t - 1]
        gradients = gru_cell_backward(dh[:, :, t] + dh_prevt, x[:, :, t], h_prev, parameters)
        dh_prevt = gradients["dh_prev"]
        dx[:, :, t] = gradients["dxt"]
    return {"dx": dx, "dh0": dh_prevt, "dWz": gradients["dWz"], "dbz": gradients["dbz"],
            "dWr": gradients["dWr"], "dbr": gradients["dbr"], "dWh": gradients["dWh"], "dbh": gradients["dbh"]}
