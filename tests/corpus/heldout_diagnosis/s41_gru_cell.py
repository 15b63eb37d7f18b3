"""GRU cell; the reset gate scales the recurrent contribution U_h h (as in PyTorch)."""
import numpy as np


def sigmoid(x):
    return 0.5 * (1 + np.tanh(0.5 * x))


def softmax(x):
    e = np.exp(x - x.max(0, keepdims=True))
    return e / e.sum(0, keepdims=True)


def _parts(xt, h_prev, p):
    n_h = h_prev.shape[0]
    hx = np.vstack([h_prev, xt])
    z = sigmoid(p["Wz"] @ hx + p["bz"])
    r = sigmoid(p["Wr"] @ hx + p["br"])
    Uh_h = p["Wh"][:, :n_h] @ h_prev
    n = np.tanh(p["Wh"][:, n_h:] @ xt + r * Uh_h + p["bh"])
    return hx, z, r, Uh_h, n


def gru_cell_forward(xt, h_prev, parameters):
    _, z, r, _, n = _parts(xt, h_prev, parameters)
    h_next = z * h_prev + (1 - z) * n
    return h_next, softmax(parameters["Wy"] @ h_next + parameters["by"])


def gru_cell_backward(dh_next, xt, h_prev, parameters):
    p = parameters
    n_h = h_prev.shape[0]
    hx, z, r, Uh_h, n = _parts(xt, h_prev, p)
    dz = dh_next * (h_prev - n) * z * (1 - z)
    dn = dh_next * (1 - z) * (1 - n ** 2)
    dr = dn * Uh_h * r * (1 - r)
    d_Uh_h = dn * r
    dhx = p["Wz"].T @ dz + p["Wr"].T @ dr
    dWh = np.hstack([d_Uh_h @ h_prev.T, dn @ xt.T])
    return {"dxt": dhx[n_h:] + p["Wh"][:, n_h:].T @ dn,
            "dh_prev": dhx[:n_h] + p["Wh"][:, :n_h].T @ d_Uh_h + dh_next * z,
            "dWz": dz @ hx.T, "dbz": dz.sum(1, keepdims=True),
            "dWr": dr @ hx.T, "dbr": dr.sum(1, keepdims=True),
            "dWh": dWh, "dbh": dn.sum(1, keepdims=True)}
