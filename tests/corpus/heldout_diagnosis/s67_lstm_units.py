# LSTM where I loop over hidden units (row by row), and BPTT with preallocated arrays.
import numpy as np

KEYS = ("f", "i", "c", "o")


def sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def softmax(a):
    a = a - a.max(axis=0)
    return np.exp(a) / np.exp(a).sum(axis=0)


def _rows(xt, h_prev, c_prev, P):
    n_h, m = h_prev.shape
    hx = np.concatenate([h_prev, xt])
    vals = {k: np.zeros((n_h, m)) for k in KEYS}
    for u in range(n_h):
        for k in KEYS:
            a = P["W" + k][u, :] @ hx + P["b" + k][u, 0]
            vals[k][u, :] = np.tanh(a) if k == "c" else sigmoid(a)
    c = vals["f"] * c_prev + vals["i"] * vals["c"]
    return hx, vals, c


def lstm_cell_forward(xt, h_prev, c_prev, parameters):
    _, v, c_next = _rows(xt, h_prev, c_prev, parameters)
    h_next = v["o"] * np.tanh(c_next)
    return h_next, c_next, softmax(parameters["Wy"] @ h_next + parameters["by"])


def lstm_cell_backward(dh_next, dc_next, xt, h_prev, c_prev, parameters):
    P = parameters
    n_h = h_prev.shape[0]
    hx, v, c = _rows(xt, h_prev, c_prev, P)
    f, i, g, o = v["f"], v["i"], v["c"], v["o"]
    out = {"dxt": np.zeros_like(xt), "dh_prev": np.zeros_like(h_prev), "dc_prev": np.zeros_like(c_prev)}
    for k in KEYS:
        out["dW" + k] = np.zeros_like(P["W" + k])
        out["db" + k] = np.zeros_like(P["b" + k])
    dhx = np.zeros_like(hx)
    for u in range(n_h):
        tc = np.tanh(c[u])
        dc = dc_next[u] + dh_next[u] * o[u] * (1 - tc ** 2)
        pre = {"f": dc * c_prev[u] * f[u] * (1 - f[u]), "i": dc * g[u] * i[u] * (1 - i[u]),
               "c": dc * i[u] * (1 - g[u] ** 2), "o": dh_next[u] * tc * o[u] * (1 - o[u])}
        out["dc_prev"][u] = dc * f[u]
        for k in KEYS:
            out["dW" + k][u] = hx @ pre[k]
            out["db" + k][u, 0] = pre[k].sum()
            dhx += np.outer(P["W" + k][u], pre[k])
    out["dh_prev"][...] = dhx[:n_h]
    out["dxt"][...] = dhx[n_h:]
    return out


def lstm_forward(x, h0, parameters):
    n_x, m, T = x.shape
    n_h = h0.shape[0]
    h = np.zeros((n_h, m, T)); c = np.zeros((n_h, m, T))
    y = np.zeros((parameters["Wy"].shape[0], m, T))
    h_t, c_t = h0.copy(), np.zeros((n_h, m))
    for t in range(T):
        h_new, c_new, y[:, :, t] = lstm_cell_forward(x[:, :, t], h_t, c_t, parameters)
        h[:, :, t] = h_new
        c[:, :, t] = c_new
        h_t[...] = h_new          # reuse the same buffers
        c_t[...] = c_new
    return h, y, c


def lstm_backward(dh, x, h0, parameters):
    n_x, m, T = x.shape
    n_h = h0.shape[0]
    h, _, c = lstm_forward(x, h0, parameters)
    grads = {"dx": np.zeros((n_x, m, T)), "dh0": np.zeros((n_h, m))}
    for k in KEYS:
        grads["dW" + k] = np.zeros_like(parameters["W" + k])
        grads["db" + k] = np.zeros_like(parameters["b" + k])
    dh_run = np.zeros((n_h, m)); dc_run = np.zeros((n_h, m))
    for t in range(T - 1, -1, -1):
        h_prev = h[:, :, t - 1] if t > 0 else h0
        c_prev = c[:, :, t - 1] if t > 0 else np.zeros((n_h, m))
        dh_run += dh[:, :, t]
        g = lstm_cell_backward(dh_run, dc_run, x[:, :, t], h_prev, c_prev, parameters)
        grads["dx"][:, :, t] = g["dxt"]
        for k in KEYS:
            grads["dW" + k] += g["dW" + k]
            grads["db" + k] += g["db" + k]
        dh_run = g["dh_prev"].copy()
        dc_run = g["dc_prev"].copy()
    grads["dh0"][...] = dh_run
    return grads
