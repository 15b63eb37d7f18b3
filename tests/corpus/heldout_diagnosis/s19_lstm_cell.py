import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def softmax(x):
    e = np.exp(x - np.max(x, axis=0, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)


def lstm_cell_forward(xt, h_prev, c_prev, parameters):
    hx = np.vstack((h_prev, xt))
    f = sigmoid(parameters["Wf"] @ hx + parameters["bf"])
    i = sigmoid(parameters["Wi"] @ hx + parameters["bi"])
    cc = np.tanh(parameters["Wc"] @ hx + parameters["bc"])
    o = sigmoid(parameters["Wo"] @ hx + parameters["bo"])
    c_next = f * c_prev + i * cc
    h_next = o * c_next
    y = softmax(parameters["Wy"] @ h_next + parameters["by"])
    return h_next, c_next, y


def lstm_cell_backward(dh_next, dc_next, xt, h_prev, c_prev, parameters):
    n_h = h_prev.shape[0]
    hx = np.vstack((h_prev, xt))
    f = sigmoid(parameters["Wf"] @ hx + parameters["bf"])
    i = sigmoid(parameters["Wi"] @ hx + parameters["bi"])
    cc = np.tanh(parameters["Wc"] @ hx + parameters["bc"])
    o = sigmoid(parameters["Wo"] @ hx + parameters["bo"])
    c_next = f * c_prev + i * cc
    # h = o * c  =>  dh/dc = o, dh/do = c
    dc = dc_next + dh_next * o
    d_o = dh_next * c_next * o * (1 - o)
    d_f = dc * c_prev * f * (1 - f)
    d_i = dc * cc * i * (1 - i)
    d_c = dc * i * (1 - cc ** 2)
    dhx = (parameters["Wf"].T @ d_f + parameters["Wi"].T @ d_i + parameters["Wc"].T @ d_c
           + parameters["Wo"].T @ d_o)
    grads = dict(dxt=dhx[n_h:], dh_prev=dhx[:n_h], dc_prev=dc * f)
    for name, d in zip("fico", (d_f, d_i, d_c, d_o)):
        grads["dW" + name] = d @ hx.T
        grads["db" + name] = d.sum(axis=1, keepdims=True)
    return grads
