import numpy as np

sigmoid = lambda a: 1.0 / (1.0 + np.exp(-a))


def softmax(a):
    ex = np.exp(a - np.max(a, axis=0))
    return ex / ex.sum(axis=0)


def lstm_cell_forward(xt, h_prev, c_prev, parameters):
    P = parameters
    hx = np.r_[h_prev, xt]
    pre = {g: np.einsum("hk,km->hm", P["W" + g], hx) + P["b" + g] for g in ("f", "i", "c", "o")}
    f = sigmoid(pre["f"])
    i = sigmoid(pre["i"])
    cand = sigmoid(pre["c"])
    o = sigmoid(pre["o"])
    c_next = f * c_prev + i * cand
    h_next = o * np.tanh(c_next)
    yt_pred = softmax(np.einsum("yh,hm->ym", P["Wy"], h_next) + P["by"])
    return h_next, c_next, yt_pred


def lstm_forward(x, h0, parameters):
    n_h = h0.shape[0]
    n_x, m, T = x.shape
    n_y = parameters["by"].shape[0]
    h = np.zeros((n_h, m, T)); y = np.zeros((n_y, m, T)); c = np.zeros((n_h, m, T))
    hp, cp = h0.copy(), np.zeros((n_h, m))
    for t in range(T):
        hp, cp, y[:, :, t] = lstm_cell_forward(x[:, :, t], hp, cp, parameters)
        h[:, :, t], c[:, :, t] = hp, cp
    return h, y, c
