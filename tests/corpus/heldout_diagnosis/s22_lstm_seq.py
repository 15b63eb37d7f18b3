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
    d = {"o": dh_next * tc * ot * (1 - ot), "c": dc * it * (1 - cct ** 2),
         "i": dc * cct * it * (1 - it), "f": dc * c_prev * ft * (1 - ft)}
    dconcat = sum(parameters["W" + k].T @ v for k, v in d.items())
    grads = {"dxt": dconcat[n_h:], "dh_prev": dconcat[:n_h], "dc_prev": dc * ft}
    for k, v in d.items():
        grads["dW" + k] = v @ concat.T
        grads["db" + k] = v.sum(axis=1, keepdims=True)
    return grads


def lstm_forward(x, h0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_h = parameters["Wy"].shape
    h = np.zeros((n_h, m, T_x)); y = np.zeros((n_y, m, T_x)); c = np.zeros((n_h, m, T_x))
    h_t, c_t = h0, np.zeros((n_h, m))
    for t in range(T_x):
        h_t, c_t, y[:, :, t] = lstm_cell_forward(x[:, :, t], h_t, c_t, parameters)
        h[:, :, t] = h_t
        c[:, :, t] = c_t
    return h, y, c


def lstm_backward(dh, x, h0, parameters):
    n_x, m, T_x = x.shape
    n_h = h0.shape[0]
    h, _, c = lstm_forward(x, h0, parameters)
    dx = np.zeros((n_x, m, T_x))
    totals = {k: np.zeros_like(parameters[k.replace("d", "", 1)])
              for k in ("dWf", "dWi", "dWc", "dWo", "dbf", "dbi", "dbc", "dbo")}
    for t in reversed(range(T_x)):
        h_prev = h0 if t == 0 else h[:, :, t - 1]
        c_prev = np.zeros((n_h, m)) if t == 0 else c[:, :, t - 1]
        # each time step gets its own upstream gradient
        g = lstm_cell_backward(dh[:, :, t], np.zeros((n_h, m)), x[:, :, t], h_prev, c_prev, parameters)
        dx[:, :, t] = g["dxt"]
        for k in totals:
            totals[k] += g[k]
    return dict(dx=dx, dh0=np.zeros((n_h, m)), **totals)
