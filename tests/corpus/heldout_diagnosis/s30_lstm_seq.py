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
    n_h, m = h0.shape
    T = x.shape[2]
    h = np.empty((n_h, m, T)); c = np.empty((n_h, m, T))
    y = np.empty((parameters["Wy"].shape[0], m, T))
    state = (h0, np.zeros((n_h, m)))
    for t in range(T):
        hn, cn, yn = lstm_cell_forward(x[:, :, t], state[0], state[1], parameters)
        h[:, :, t], c[:, :, t], y[:, :, t] = hn, cn, yn
        state = (hn, cn)
    return h, y, c


def lstm_backward(dh, x, h0, parameters):
    h, _, c = lstm_forward(x, h0, parameters)
    n_h, m = h0.shape
    T = x.shape[2]
    out = {"dx": np.empty_like(x)}
    dc_carry = np.zeros((n_h, m))
    dh_carry = np.zeros((n_h, m))
    for t in reversed(range(T)):
        prev_h = h0 if t == 0 else h[:, :, t - 1]
        prev_c = np.zeros((n_h, m)) if t == 0 else c[:, :, t - 1]
        dh_t = dh[:, :, t] if t == T - 1 else dh_carry
        g = lstm_cell_backward(dh_t, dc_carry, x[:, :, t], prev_h, prev_c, parameters)
        out["dx"][:, :, t] = g["dxt"]
        dh_carry, dc_carry = g["dh_prev"], g["dc_prev"]
        for gate in "fico":
            out["dW" + gate] = g["dW" + gate]
            out["db" + gate] = g["db" + gate]
    out["dh0"] = dh_carry
    return out
