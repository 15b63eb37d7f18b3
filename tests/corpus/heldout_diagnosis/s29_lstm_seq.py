import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def softmax(x):
    e = np.exp(x - np.max(x, axis=0, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)


def lstm_cell_forward(xt, h_prev, c_prev, parameters):
    concat = np.concatenate((h_prev, xt), axis=0)
    ft = sigmoid(np.dot(parameters["Wf"], concat) + parameters["bf"])
    it = sigmoid(np.dot(parameters["Wi"], concat) + parameters["bi"])
    cct = np.tanh(np.dot(parameters["Wc"], concat) + parameters["bc"])
    ot = sigmoid(np.dot(parameters["Wo"], concat) + parameters["bo"])
    c_next = ft * c_prev + it * cct
    h_next = ot * np.tanh(c_next)
    return h_next, c_next, softmax(np.dot(parameters["Wy"], h_next) + parameters["by"])


def lstm_cell_backward(dh_next, dc_next, xt, h_prev, c_prev, parameters):
    n_h = h_prev.shape[0]
    concat = np.concatenate((h_prev, xt), axis=0)
    ft = sigmoid(np.dot(parameters["Wf"], concat) + parameters["bf"])
    it = sigmoid(np.dot(parameters["Wi"], concat) + parameters["bi"])
    cct = np.tanh(np.dot(parameters["Wc"], concat) + parameters["bc"])
    ot = sigmoid(np.dot(parameters["Wo"], concat) + parameters["bo"])
    c_next = ft * c_prev + it * cct
    dc = dc_next + dh_next * ot * (1 - np.tanh(c_next) ** 2)
    dot = dh_next * np.tanh(c_next) * ot * (1 - ot)
    dcct = dc * it * (1 - cct ** 2)
    dit = dc * cct                      # input gate
    dft = dc * c_prev * ft * (1 - ft)
    dconcat = (np.dot(parameters["Wf"].T, dft) + np.dot(parameters["Wi"].T, dit)
               + np.dot(parameters["Wc"].T, dcct) + np.dot(parameters["Wo"].T, dot))
    return {"dxt": dconcat[n_h:], "dh_prev": dconcat[:n_h], "dc_prev": dc * ft,
            "dWf": np.dot(dft, concat.T), "dbf": np.sum(dft, axis=1, keepdims=True),
            "dWi": np.dot(dit, concat.T), "dbi": np.sum(dit, axis=1, keepdims=True),
            "dWc": np.dot(dcct, concat.T), "dbc": np.sum(dcct, axis=1, keepdims=True),
            "dWo": np.dot(dot, concat.T), "dbo": np.sum(dot, axis=1, keepdims=True)}


def lstm_forward(x, h0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_h = parameters["Wy"].shape
    h = np.zeros((n_h, m, T_x)); c = np.zeros((n_h, m, T_x)); y = np.zeros((n_y, m, T_x))
    h_next, c_next = h0, np.zeros((n_h, m))
    for t in range(T_x):
        h_next, c_next, yt = lstm_cell_forward(x[:, :, t], h_next, c_next, parameters)
        h[:, :, t] = h_next; c[:, :, t] = c_next; y[:, :, t] = yt
    return h, y, c


def lstm_backward(dh, x, h0, parameters):
    n_x, m, T_x = x.shape
    n_h = h0.shape[0]
    h, _, c = lstm_forward(x, h0, parameters)
    dx = np.zeros((n_x, m, T_x))
    dh0 = np.zeros((n_h, m))
    dh_prevt = np.zeros((n_h, m)); dc_prevt = np.zeros((n_h, m))
    dWf = np.zeros((n_h, n_h + n_x)); dWi = np.zeros((n_h, n_h + n_x))
    dWc = np.zeros((n_h, n_h + n_x)); dWo = np.zeros((n_h, n_h + n_x))
    dbf = np.zeros((n_h, 1)); dbi = np.zeros((n_h, 1)); dbc = np.zeros((n_h, 1)); dbo = np.zeros((n_h, 1))
    for t in reversed(range(T_x)):
        h_prev = h0 if t == 0 else h[:, :, t - 1]
        c_prev = np.zeros((n_h, m)) if t == 0 else c[:, :, t - 1]
        gradients = lstm_cell_backward(dh[:, :, t] + dh_prevt, dc_prevt, x[:, :, t], h_prev, c_prev, parameters)
        dh_prevt = gradients["dh_prev"]
        dc_prevt = gradients["dc_prev"]
        dx[:, :, t] = gradients["dxt"]
        dWf += gradients["dWf"]; dWi += gradients["dWi"]; dWc += gradients["dWc"]; dWo += gradients["dWo"]
        dbf += gradients["dbf"]; dbi += gradients["dbi"]; dbc += gradients["dbc"]; dbo += gradients["dbo"]
    dh0 = dh_prevt
    return {"dx": dx, "dh0": dh0, "dWf": dWf, "dbf": dbf, "dWi": dWi, "dbi": dbi,
            "dWc": dWc, "dbc": dbc, "dWo": dWo, "dbo": dbo}
