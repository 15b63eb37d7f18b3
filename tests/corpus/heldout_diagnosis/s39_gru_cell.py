import numpy as np


def sigmoid(u):
    return 1.0 / (1.0 + np.exp(-u))


def softmax(u):
    u = np.exp(u - u.max(axis=0, keepdims=True))
    return u / u.sum(axis=0, keepdims=True)


def _forward_parts(xt, h_prev, P):
    n_h = h_prev.shape[0]
    Uz, Wz = P["Wz"][:, :n_h], P["Wz"][:, n_h:]
    Ur, Wr = P["Wr"][:, :n_h], P["Wr"][:, n_h:]
    Uh, Wh = P["Wh"][:, :n_h], P["Wh"][:, n_h:]
    z = sigmoid(Uz @ h_prev + Wz @ xt + P["bz"])
    r = sigmoid(Ur @ h_prev + Wr @ xt + P["br"])
    n = np.tanh(Uh @ (r * h_prev) + Wh @ xt + P["bh"])
    return (Uz, Wz, Ur, Wr, Uh, Wh), z, r, n


def gru_cell_forward(xt, h_prev, parameters):
    _, z, r, n = _forward_parts(xt, h_prev, parameters)
    h_next = z * h_prev + (1 - z) * n
    return h_next, softmax(parameters["Wy"] @ h_next + parameters["by"])


def gru_cell_backward(dh_next, xt, h_prev, parameters):
    (Uz, Wz, Ur, Wr, Uh, Wh), z, r, n = _forward_parts(xt, h_prev, parameters)
    dz = dh_next * (h_prev - n) * z * (1 - z)
    dn = dh_next * (1 - z)                       # through the candidate
    d_rh = Uh.T @ dn
    dr = d_rh * h_prev * r * (1 - r)
    dh_prev = dh_next * z + d_rh * r + Uz.T @ dz + Ur.T @ dr
    dxt = Wz.T @ dz + Wr.T @ dr + Wh.T @ dn
    return {
        "dxt": dxt, "dh_prev": dh_prev,
        "dWz": np.hstack([dz @ h_prev.T, dz @ xt.T]), "dbz": dz.sum(1, keepdims=True),
        "dWr": np.hstack([dr @ h_prev.T, dr @ xt.T]), "dbr": dr.sum(1, keepdims=True),
        "dWh": np.hstack([dn @ (r * h_prev).T, dn @ xt.T]), "dbh": dn.sum(1, keepdims=True),
    }
