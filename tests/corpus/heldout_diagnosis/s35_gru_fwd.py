import numpy as np


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def softmax(a):
    a = a - a.max(0)
    return np.exp(a) / np.exp(a).sum(0)


def gru_cell_forward(xt, h_prev, parameters):
    P = parameters
    hx = np.r_[h_prev, xt]
    z = sigmoid(P["Wz"] @ hx + P["bz"])
    r = sigmoid(P["Wr"] @ hx + P["br"])
    n = np.tanh(P["Wh"] @ np.r_[r * h_prev, xt] + P["bh"])
    h_next = z * h_prev + (1 - z) * n
    return h_next, softmax(P["Wy"] @ h_next + P["by"])


def gru_forward(x, h0, parameters):
    P = parameters
    hs, ys = [], []
    state = h0.copy()              # do not touch the caller's h0
    for t in range(x.shape[2]):
        xt = x[:, :, t]
        hx = np.r_[state, xt]
        z = sigmoid(P["Wz"] @ hx + P["bz"])
        r = sigmoid(P["Wr"] @ hx + P["br"])
        n = np.tanh(P["Wh"] @ np.r_[r * state, xt] + P["bh"])
        # update the state in place: h = z*h + (1-z)*n
        state *= z
        state += (1 - z) * n
        hs.append(state)
        ys.append(softmax(P["Wy"] @ state + P["by"]))
    return np.stack(hs, axis=-1), np.stack(ys, axis=-1)
