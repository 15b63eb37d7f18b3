import numpy as np


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def softmax(x):
    e = np.exp(x - np.max(x, axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def _all_gates(xt, h_prev, parameters):
    n_h = h_prev.shape[0]
    W = np.vstack([parameters[k] for k in ("Wf", "Wi", "Wc", "Wo")])
    b = np.vstack([parameters[k] for k in ("bf", "bi", "bc", "bo")])
    hx = np.vstack([h_prev, xt])
    gates = sigmoid(W @ hx + b)          # all four gates at once
    return W, hx, gates[:n_h], gates[n_h:2 * n_h], gates[2 * n_h:3 * n_h], gates[3 * n_h:]


def lstm_cell_forward(xt, h_prev, c_prev, parameters):
    _, _, f, i, g, o = _all_gates(xt, h_prev, parameters)
    c_next = f * c_prev + i * g
    h_next = o * np.tanh(c_next)
    return h_next, c_next, softmax(parameters["Wy"] @ h_next + parameters["by"])


def lstm_cell_backward(dh_next, dc_next, xt, h_prev, c_prev, parameters):
    n_h = h_prev.shape[0]
    W, hx, f, i, g, o = _all_gates(xt, h_prev, parameters)
    c = f * c_prev + i * g
    tc = np.tanh(c)
    dc = dc_next + dh_next * o * (1 - tc ** 2)
    dgates = np.vstack([dc * c_prev, dc * g, dc * i, dh_next * tc])
    gates = np.vstack([f, i, g, o])
    da = dgates * gates * (1 - gates)
    dhx = W.T @ da
    dW = da @ hx.T
    db = da.sum(axis=1, keepdims=True)
    out = {"dxt": dhx[n_h:], "dh_prev": dhx[:n_h], "dc_prev": dc * f}
    for k, name in enumerate("fico"):
        out["dW" + name] = dW[k * n_h:(k + 1) * n_h]
        out["db" + name] = db[k * n_h:(k + 1) * n_h]
    return out
