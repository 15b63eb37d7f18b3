import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def softmax(x):
    e = np.exp(x - np.max(x, axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def gru_cell_forward(xt, h_prev, parameters):
    hx = np.concatenate([h_prev, xt])
    z = sigmoid(parameters["Wz"] @ hx + parameters["bz"])
    r = sigmoid(parameters["Wr"] @ hx + parameters["br"])
    h_tilde = np.tanh(parameters["Wh"] @ np.concatenate([r * h_prev, xt]) + parameters["bh"])
    h_next = z * h_prev + (1 - z) * h_tilde
    return h_next, softmax(parameters["Wy"] @ h_next + parameters["by"])


def gru_cell_backward(dh_next, xt, h_prev, parameters):
    n_h = h_prev.shape[0]
    Wz, Wr, Wh = parameters["Wz"], parameters["Wr"], parameters["Wh"]
    hx = np.concatenate([h_prev, xt])
    z = sigmoid(Wz @ hx + parameters["bz"])
    r = sigmoid(Wr @ hx + parameters["br"])
    rhx = np.concatenate([r * h_prev, xt])
    h_tilde = np.tanh(Wh @ rhx + parameters["bh"])
    da_z = dh_next * (h_prev - h_tilde) * z * (1 - z)
    da_h = dh_next * (1 - z) * (1 - h_tilde ** 2)
    d_rhx = Wh.T @ da_h
    da_r = d_rhx[:n_h] * h_prev * r * (1 - r)
    d_hx = Wz.T @ da_z + Wr.T @ da_r
    return {
        "dxt": d_hx[n_h:] + d_rhx[n_h:],
        "dh_prev": dh_next * z + d_rhx[:n_h] * r + d_hx[:n_h],
        "dWz": da_z @ hx.T, "dbz": da_z.sum(axis=1, keepdims=True),
        "dWr": da_r @ hx.T, "dbr": da_r.sum(axis=1, keepdims=True),
        "dWh": da_h @ rhx.T, "dbh": da_h.sum(axis=1, keepdims=True),
    }


def gru_forward(x, h0, parameters):
    T = x.shape[2]
    h = np.empty((h0.shape[0], x.shape[1], T))
    y = np.empty((parameters["Wy"].shape[0], x.shape[1], T))
    h_prev = h0
    for t in range(T):
        h_prev, y_t = gru_cell_forward(x[:, :, t], h_prev, parameters)
        h[:, :, t], y[:, :, t] = h_prev, y_t
    return h, y


def gru_backward(dh, x, h0, parameters):
    h, _ = gru_forward(x, h0, parameters)
    n_h, m, T = h.shape
    # h_{t-1} for every t: the initial state is the start of the sequence
    h_shift = np.zeros_like(h)
    h_shift[:, :, 1:] = h[:, :, :-1]
    totals = {k: 0 for k in ("dWz", "dbz", "dWr", "dbr", "dWh", "dbh")}
    dx = np.zeros_like(x)
    g_h = np.zeros((n_h, m))
    for t in reversed(range(T)):
        g = gru_cell_backward(dh[:, :, t] + g_h, x[:, :, t], h_shift[:, :, t], parameters)
        g_h = g["dh_prev"]
        dx[:, :, t] = g["dxt"]
        for k in totals:
            totals[k] = totals[k] + g[k]
    return {"dx": dx, "dh0": g_h, **totals}
