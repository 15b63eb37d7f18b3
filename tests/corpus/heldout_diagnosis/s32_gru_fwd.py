import numpy as np


def sigmoid(v):
    return 1.0 / (1.0 + np.exp(-v))


def softmax(v):
    ev = np.exp(v - np.max(v, axis=0))
    return ev / np.sum(ev, axis=0)


def gru_cell_forward(xt, h_prev, parameters):
    n_h = h_prev.shape[0]
    Wz, Wr, Wh = parameters["Wz"], parameters["Wr"], parameters["Wh"]
    Uz, Vz = Wz[:, :n_h], Wz[:, n_h:]
    Ur, Vr = Wr[:, :n_h], Wr[:, n_h:]
    Uh, Vh = Wh[:, :n_h], Wh[:, n_h:]
    z = sigmoid(Uz @ h_prev + Vz @ xt + parameters["bz"])
    r = sigmoid(Ur @ h_prev + Vr @ xt + parameters["br"])
    hc = np.tanh(Vh @ xt + r * (Uh @ h_prev) + parameters["bh"])
    h_next = z * h_prev + (1 - z) * hc
    return h_next, softmax(parameters["Wy"] @ h_next + parameters["by"])


def gru_forward(x, h0, parameters):
    hs, ys = [], []
    h = h0
    for t in range(x.shape[2]):
        h, yt = gru_cell_forward(x[:, :, t], h, parameters)
        hs.append(h)
        ys.append(yt)
    return np.stack(hs, axis=2), np.stack(ys, axis=2)
