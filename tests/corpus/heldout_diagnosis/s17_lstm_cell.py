import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def lstm_cell_forward(xt, h_prev, c_prev, parameters):
    p = parameters
    X = np.concatenate((h_prev, xt), axis=0)
    f = sigmoid(np.matmul(p["Wf"], X) + p["bf"])
    i = sigmoid(np.matmul(p["Wi"], X) + p["bi"])
    c_bar = np.tanh(np.matmul(p["Wc"], X) + p["bc"])
    o = sigmoid(np.matmul(p["Wo"], X) + p["bo"])
    c_next = f * c_prev + i * c_bar
    h_next = o * np.tanh(c_next)
    s = np.matmul(p["Wy"], h_next) + p["by"]
    s = np.exp(s - s.max(axis=0))
    return h_next, c_next, s / s.sum(axis=0)


def lstm_cell_backward(dh_next, dc_next, xt, h_prev, c_prev, parameters):
    p = parameters
    nh = len(h_prev)
    X = np.concatenate((h_prev, xt), axis=0)
    f = sigmoid(np.matmul(p["Wf"], X) + p["bf"])
    i = sigmoid(np.matmul(p["Wi"], X) + p["bi"])
    c_bar = np.tanh(np.matmul(p["Wc"], X) + p["bc"])
    o = sigmoid(np.matmul(p["Wo"], X) + p["bo"])
    c_next = f * c_prev + i * c_bar
    dC = dc_next + dh_next * o * (1 - np.tanh(c_next) ** 2)
    dO = dh_next * np.tanh(c_next)                     # output gate
    dCbar = dC * i * (1 - c_bar ** 2)
    dI = dC * c_bar * i * (1 - i)
    dF = dC * c_prev * f * (1 - f)
    dX = (np.matmul(p["Wf"].T, dF) + np.matmul(p["Wi"].T, dI) + np.matmul(p["Wc"].T, dCbar)
          + np.matmul(p["Wo"].T, dO))
    return {
        "dxt": dX[nh:], "dh_prev": dX[:nh], "dc_prev": dC * f,
        "dWf": np.matmul(dF, X.T), "dWi": np.matmul(dI, X.T),
        "dWc": np.matmul(dCbar, X.T), "dWo": np.matmul(dO, X.T),
        "dbf": dF.sum(axis=0, keepdims=True), "dbi": dI.sum(axis=0, keepdims=True),
        "dbc": dCbar.sum(axis=0, keepdims=True), "dbo": dO.sum(axis=0, keepdims=True),
    }
