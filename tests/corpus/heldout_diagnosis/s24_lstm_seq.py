import numpy as np


def sigmoid(a):
    return .5 * (1 + np.tanh(.5 * a))


def softmax(a):
    a = np.exp(a - a.max(0, keepdims=True))
    return a / a.sum(0, keepdims=True)


def gates(xt, h_prev, c_prev, p):
    z = np.concatenate([h_prev, xt])
    f = sigmoid(p["Wf"] @ z + p["bf"])
    i = sigmoid(p["Wi"] @ z + p["bi"])
    g = np.tanh(p["Wc"] @ z + p["bc"])
    o = sigmoid(p["Wo"] @ z + p["bo"])
    return z, f, i, g, o, f * c_prev + i * g


def lstm_cell_forward(xt, h_prev, c_prev, parameters):
    _, f, i, g, o, c = gates(xt, h_prev, c_prev, parameters)
    h = o * np.tanh(c)
    return h, c, softmax(parameters["Wy"] @ h + parameters["by"])


def lstm_cell_backward(dh_next, dc_next, xt, h_prev, c_prev, parameters):
    z, f, i, g, o, c = gates(xt, h_prev, c_prev, parameters)
    n_h = len(h_prev)
    tc = np.tanh(c)
    dc = dc_next + dh_next * o * (1 - tc ** 2)
    pre = dict(f=dc * c_prev * f * (1 - f), i=dc * g * i * (1 - i), c=dc * i * (1 - g ** 2),
               o=dh_next * tc * o * (1 - o))
    dz = sum(parameters["W" + k].T @ pre[k] for k in pre)
    res = {"dxt": dz[n_h:], "dh_prev": dz[:n_h], "dc_prev": dc * f}
    res.update({"dW" + k: pre[k] @ z.T for k in pre})
    res.update({"db" + k: pre[k].sum(1, keepdims=True) for k in pre})
    return res


def lstm_forward(x, h0, parameters):
    T = x.shape[2]
    h = np.zeros((h0.shape[0], x.shape[1], T))
    c = np.zeros_like(h)
    y = np.zeros((parameters["by"].shape[0], x.shape[1], T))
    h_prev, c_prev = h0, np.zeros_like(h0)
    for t in range(T):
        h_prev, c_prev, y[..., t] = lstm_cell_forward(x[..., t], h_prev, c_prev, parameters)
        h[..., t], c[..., t] = h_prev, c_prev
    return h, y, c


def lstm_backward(dh, x, h0, parameters):
    h, _, c = lstm_forward(x, h0, parameters)
    T = x.shape[2]
    keys = [p + g for p in ("dW", "db") for g in "fico"]
    grads = {k: 0.0 for k in keys}
    dx = np.zeros_like(x)
    dh_prev = np.zeros_like(h0)
    dc_prev = np.zeros_like(h0)
    for t in range(T - 1, -1, -1):
        hp = h[..., t - 1] if t else h0
        cp = c[..., t - 1] if t else np.zeros_like(h0)
        g = lstm_cell_backward(dh[..., t], dc_prev, x[..., t], hp, cp, parameters)
        dh_prev, dc_prev = g["dh_prev"], g["dc_prev"]
        dx[..., t] = g["dxt"]
        for k in keys:
            grads[k] = grads[k] + g[k]
    grads.update(dx=dx, dh0=dh_prev)
    return grads
