import numpy as np


def sigmoid(x):
    return np.where(x >= 0, 1.0 / (1.0 + np.exp(-np.abs(x))), 1.0 - 1.0 / (1.0 + np.exp(-np.abs(x))))


def softmax(x):
    z = x - np.max(x, axis=0, keepdims=True)
    return np.exp(z) / np.sum(np.exp(z), axis=0, keepdims=True)


def _gate_values(xt, h_prev, c_prev, P):
    hx = np.concatenate([h_prev, xt], axis=0)
    lin = lambda g: np.einsum("ij,jm->im", P["W" + g], hx) + P["b" + g]
    f, i, o = sigmoid(lin("f")), sigmoid(lin("i")), sigmoid(lin("o"))
    g = np.tanh(lin("c"))
    c = f * c_prev + i * g
    return hx, f, i, g, o, c


def lstm_cell_forward(xt, h_prev, c_prev, parameters):
    *_, o, c_next = _gate_values(xt, h_prev, c_prev, parameters)
    h_next = o * np.tanh(c_next)
    return h_next, c_next, softmax(np.einsum("yh,hm->ym", parameters["Wy"], h_next) + parameters["by"])


def lstm_cell_backward(dh_next, dc_next, xt, h_prev, c_prev, parameters):
    P = parameters
    n_h = h_prev.shape[0]
    hx, f, i, g, o, c = _gate_values(xt, h_prev, c_prev, P)
    tc = np.tanh(c)
    dc = dc_next + dh_next * o * (1.0 - tc ** 2)
    pre = {"f": dc * c_prev * f * (1.0 - f), "i": dc * g * i * (1.0 - i),
           "c": dc * i * (1.0 - g ** 2), "o": dh_next * tc * o * (1.0 - o)}
    dhx = sum(np.einsum("ij,im->jm", P["W" + k], pre[k]) for k in pre)
    grads = {"dxt": dhx[n_h:], "dh_prev": dhx[:n_h], "dc_prev": dc * f}
    for k, a in pre.items():
        grads["dW" + k] = np.einsum("im,jm->ij", a, hx)
        grads["db" + k] = np.einsum("im->i", a).reshape(-1, 1)
    return grads


def lstm_forward(x, h0, parameters):
    hs, cs, ys = [], [], []
    h_t, c_t = h0, np.zeros_like(h0)
    for t in range(x.shape[2]):
        h_t, c_t, y_t = lstm_cell_forward(x[:, :, t], h_t, c_t, parameters)
        hs.append(h_t); cs.append(c_t); ys.append(y_t)
    return np.stack(hs, axis=2), np.stack(ys, axis=2), np.stack(cs, axis=2)


def lstm_backward(dh, x, h0, parameters):
    h, _, c = lstm_forward(x, h0, parameters)
    hs = [h0] + [h[:, :, t] for t in range(x.shape[2] - 1)]
    cs = [np.zeros_like(h0)] + [c[:, :, t] for t in range(x.shape[2] - 1)]
    keys = ["dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo"]
    acc = {k: [] for k in keys}
    dxs = []
    dh_c, dc_c = np.zeros_like(h0), np.zeros_like(h0)
    for t in reversed(range(x.shape[2])):
        g = lstm_cell_backward(dh[:, :, t] + dh_c, dc_c, x[:, :, t], hs[t], cs[t], parameters)
        dh_c, dc_c = g["dh_prev"], g["dc_prev"]
        dxs.append(g["dxt"])
        for k in keys:
            acc[k].append(g[k])
    out = {k: np.sum(acc[k], axis=0) for k in keys}
    out["dx"] = np.stack(dxs[::-1], axis=2)
    out["dh0"] = dh_c
    return out
