import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def softmax(z):
    e = np.exp(z - z.max(axis=0, keepdims=True))
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
    pre = {"o": dh_next * tc * ot * (1 - ot), "c": dc * it * (1 - cct ** 2),
           "i": dc * cct * it * (1 - it), "f": dc * c_prev * ft * (1 - ft)}
    grads = {"dc_prev": dc * ft}
    d_concat = 0
    for k, d in pre.items():
        grads["dW" + k] = d @ concat.T
        grads["db" + k] = np.sum(d, axis=1)       # one bias per unit
        d_concat = d_concat + parameters["W" + k].T @ d
    grads["dh_prev"] = d_concat[:n_h]
    grads["dxt"] = d_concat[n_h:]
    return grads
