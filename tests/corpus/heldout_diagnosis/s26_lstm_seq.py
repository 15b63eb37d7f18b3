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
    T = x.shape[2]
    out_h, out_c, out_y = [], [], []
    h_t = h0
    c_t = np.zeros_like(h0)
    for t in range(T):
        h_t, c_t, y_t = lstm_cell_forward(x[:, :, t], h_t, c_t, parameters)
        out_h.append(h_t)
        out_c.append(c_t)
        out_y.append(y_t)
    return np.stack(out_h, axis=-1), np.stack(out_y, axis=-1), np.stack(out_c, axis=-1)


def lstm_backward(dh, x, h0, parameters):
    h, y, c = lstm_forward(x, h0, parameters)
    T = x.shape[2]
    grads = {"dx": np.zeros_like(x)}
    carry_h = np.zeros_like(h0)
    carry_c = np.zeros_like(h0)
    for t in range(T - 1, -1, -1):
        h_prev = h[:, :, t - 1] if t > 0 else h0
        c_prev = c[:, :, t - 1] if t > 0 else np.zeros_like(h0)
        step = lstm_cell_backward(dh[:, :, t] + carry_h, carry_c, x[:, :, t], h_prev, c_prev, parameters)
        grads["dx"][:, :, t] = step.pop("dxt")
        carry_h = step.pop("dh_prev")
        carry_c = step.pop("dc_prev")
        grads.update(step)          # parameter gradients of this step
    grads["dh0"] = carry_h
    return grads
