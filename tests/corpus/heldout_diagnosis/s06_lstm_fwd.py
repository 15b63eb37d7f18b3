import numpy as np


def sigmoid(z):
    return 1. / (1. + np.exp(-z))


def softmax(z):
    e = np.exp(z - z.max(axis=0))
    return e / e.sum(axis=0)


def lstm_cell_forward(xt, h_prev, c_prev, parameters):
    z = np.vstack((h_prev, xt))
    f = sigmoid(parameters["Wf"].dot(z) + parameters["bf"])
    i = sigmoid(parameters["Wi"].dot(z) + parameters["bi"])
    g = np.tanh(parameters["Wc"].dot(z) + parameters["bc"])
    o = sigmoid(parameters["Wo"].dot(z) + parameters["bo"])
    c_next = f * c_prev + i * g
    h_next = o * np.tanh(c_next)
    return h_next, c_next, softmax(parameters["Wy"].dot(h_next) + parameters["by"])


def lstm_forward(x, h0, parameters):
    """Step by step, updating the cell state in place to save memory."""
    P = parameters
    n_h, m = h0.shape
    h_list, c_list, y_list = [], [], []
    h_t = h0
    c_t = np.zeros((n_h, m))
    for t in range(x.shape[2]):
        z = np.vstack((h_t, x[:, :, t]))
        f = sigmoid(P["Wf"].dot(z) + P["bf"])
        i = sigmoid(P["Wi"].dot(z) + P["bi"])
        g = np.tanh(P["Wc"].dot(z) + P["bc"])
        o = sigmoid(P["Wo"].dot(z) + P["bo"])
        c_t *= f
        c_t += i * g
        h_t = o * np.tanh(c_t)
        h_list.append(h_t)
        c_list.append(c_t)
        y_list.append(softmax(P["Wy"].dot(h_t) + P["by"]))
    return np.stack(h_list, axis=2), np.stack(y_list, axis=2), np.stack(c_list, axis=2)
