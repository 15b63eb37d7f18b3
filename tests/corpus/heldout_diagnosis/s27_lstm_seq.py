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
    n_x, m, T = x.shape
    n_h = h0.shape[0]
    h = np.zeros((n_h, m, T)); c = np.zeros((n_h, m, T))
    y = np.zeros((parameters["Wy"].shape[0], m, T))
    h_prev, c_prev = h0, np.zeros((n_h, m))
    for t in range(T):
        h_prev, c_prev, y[:, :, t] = lstm_cell_forward(x[:, :, t], h_prev, c_prev, parameters)
        h[:, :, t] = h_prev
        c[:, :, t] = c_prev
    return h, y, c


def lstm_backward(dh, x, h0, parameters):
    """BPTT written out in full (without the cell function), gates recomputed per step."""
    P = parameters
    n_x, m, T = x.shape
    n_h = h0.shape[0]
    h, _, c = lstm_forward(x, h0, P)
    WfT, WiT, WcT, WoT = P["Wf"].T, P["Wi"].T, P["Wc"].T, P["Wo"].T
    dW = {k: np.zeros_like(P["W" + k]) for k in "fico"}
    db = {k: np.zeros_like(P["b" + k]) for k in "fico"}
    dx = np.zeros_like(x)
    dh_next = np.zeros((n_h, m)); dc_next = np.zeros((n_h, m))
    for t in reversed(range(T)):
        h_prev = h[:, :, t - 1] if t else h0
        c_prev = c[:, :, t - 1] if t else np.zeros((n_h, m))
        z = np.concatenate((h_prev, x[:, :, t]))
        f = sigmoid(P["Wf"] @ z + P["bf"]); i = sigmoid(P["Wi"] @ z + P["bi"])
        g = np.tanh(P["Wc"] @ z + P["bc"]); o = sigmoid(P["Wo"] @ z + P["bo"])
        tc = np.tanh(c[:, :, t])
        dh_t = dh[:, :, t] + dh_next
        dc = dc_next + dh_t * o * (1 - tc ** 2)
        d = {"f": dc * c_prev * f * (1 - f), "i": dc * g * i * (1 - i),
             "c": dc * i * (1 - g ** 2), "o": dh_t * tc * o * (1 - o)}
        for k in "fico":
            dW[k] += d[k] @ z.T
            db[k] = db[k] + d[k].sum(axis=1)
        dz = WfT @ d["f"] + WiT @ d["i"] + WcT @ d["c"] + WoT @ d["o"]
        dx[:, :, t] = dz[n_h:]
        dh_next, dc_next = dz[:n_h], dc * f
    out = {"dx": dx, "dh0": dh_next}
    for k in "fico":
        out["dW" + k], out["db" + k] = dW[k], db[k]
    return out
