import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def softmax(x):
    e = np.exp(x - np.max(x, axis=0, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)


def _gates(xt, h_prev, c_prev, p):
    hx = np.concatenate([h_prev, xt], axis=0)
    f = sigmoid(p["Wf"] @ hx + p["bf"])
    i = sigmoid(p["Wi"] @ hx + p["bi"])
    g = np.tanh(p["Wc"] @ hx + p["bc"])
    o = sigmoid(p["Wo"] @ hx + p["bo"])
    c = f * c_prev + i * g
    return hx, f, i, g, o, c


def lstm_cell_forward(xt, h_prev, c_prev, parameters):
    _, f, i, g, o, c_next = _gates(xt, h_prev, c_prev, parameters)
    h_next = o * np.tanh(c_next)
    return h_next, c_next, softmax(parameters["Wy"] @ h_next + parameters["by"])


def lstm_cell_backward(dh_next, dc_next, xt, h_prev, c_prev, parameters):
    p = parameters
    n_h = h_prev.shape[0]
    hx, f, i, g, o, c_next = _gates(xt, h_prev, c_prev, p)
    # gradient arriving at the memory cell
    dc = dc_next
    do = dh_next * np.tanh(c_next) * o * (1 - o)
    df = dc * c_prev * f * (1 - f)
    di = dc * g * i * (1 - i)
    dg = dc * i * (1 - g ** 2)
    grads = {}
    dhx = np.zeros_like(hx)
    for name, d in (("f", df), ("i", di), ("c", dg), ("o", do)):
        grads["dW" + name] = d @ hx.T
        grads["db" + name] = d.sum(axis=1, keepdims=True)
        dhx += p["W" + name].T @ d
    grads["dh_prev"] = dhx[:n_h]
    grads["dxt"] = dhx[n_h:]
    grads["dc_prev"] = dc * f
    return grads
