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
    n_h = h0.shape[0]
    h = np.zeros((n_h, m, T_x)); c = np.zeros((n_h, m, T_x))
    y = np.zeros((parameters["Wy"].shape[0], m, T_x))
    h_next, c_next = h0, np.zeros((n_h, m))
    for t in range(T_x):
        h_next, c_next, yt = lstm_cell_forward(x[:, :, t], h_next, c_next, parameters)
        h[:, :, t] = h_next; c[:, :, t] = c_next; y[:, :, t] = yt
    return h, y, c


def lstm_backward(dh, x, h0, parameters):
    h, _, c = lstm_forward(x, h0, parameters)
    n_x, m, T_x = x.shape
    n_h = h.shape[0]
    # the state before each step (shifted by one); slot 0 is the initial state
    h_before = np.concatenate([np.zeros((n_h, m, 1)), h[:, :, :-1]], axis=2)
    c_before = np.concatenate([np.zeros((n_h, m, 1)), c[:, :, :-1]], axis=2)
    grads = {k: np.zeros_like(v) for k, v in parameters.items() if k not in ("Wy", "by")}
    grads = {"d" + k: v for k, v in grads.items()}
    dx = np.zeros_like(x)
    dh_prev, dc_prev = np.zeros((n_h, m)), np.zeros((n_h, m))
    for t in reversed(range(T_x)):
        g = lstm_cell_backward(dh[:, :, t] + dh_prev, dc_prev, x[:, :, t],
                               h_before[:, :, t], c_before[:, :, t], parameters)
        dh_prev, dc_prev = g["dh_prev"], g["dc_prev"]
        dx[:, :, t] = g["dxt"]
        for k in grads:
            grads[k] += g[k]
    grads["dx"], grads["dh0"] = dx, dh_prev
    return grads
