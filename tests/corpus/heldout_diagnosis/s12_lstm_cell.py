import numpy as np


def sigmoid(a):
    return np.reciprocal(1.0 + np.exp(-a))


def lstm_cell_forward(xt, h_prev, c_prev, parameters):
    hx = np.concatenate([h_prev, xt])
    act = {k: np.einsum("ij,jm->im", parameters["W" + k], hx) + parameters["b" + k] for k in "fico"}
    f, i, o = sigmoid(act["f"]), sigmoid(act["i"]), sigmoid(act["o"])
    g = np.tanh(act["c"])
    c_next = f * c_prev + i * g
    h_next = o * np.tanh(c_next)
    logits = np.einsum("ij,jm->im", parameters["Wy"], h_next) + parameters["by"]
    e = np.exp(logits - logits.max(0))
    return h_next, c_next, e / e.sum(0)


def lstm_cell_backward(dh_next, dc_next, xt, h_prev, c_prev, parameters):
    n_h = h_prev.shape[0]
    hx = np.concatenate([h_prev, xt])
    act = {k: np.einsum("ij,jm->im", parameters["W" + k], hx) + parameters["b" + k] for k in "fico"}
    f, i, o = sigmoid(act["f"]), sigmoid(act["i"]), sigmoid(act["o"])
    g = np.tanh(act["c"])
    c_next = f * c_prev + i * g
    th = np.tanh(c_next)

    dc = dc_next + dh_next * o * (1 - th * th)
    d = {
        "f": dc * c_prev * f * (1 - f),
        "i": dc * g * i * (1 - i),
        "c": dc * i,                           # candidate
        "o": dh_next * th * o * (1 - o),
    }
    out = {"dc_prev": dc * f}
    dhx = sum(np.einsum("ji,jm->im", parameters["W" + k], d[k]) for k in "fico")
    out["dh_prev"], out["dxt"] = dhx[:n_h], dhx[n_h:]
    for k in "fico":
        out["dW" + k] = np.einsum("im,jm->ij", d[k], hx)
        out["db" + k] = np.einsum("im->i", d[k])[:, None]
    return out
