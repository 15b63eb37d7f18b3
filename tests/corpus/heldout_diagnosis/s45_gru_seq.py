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
    states, outputs = [], []
    h_t = h0
    for x_t in np.moveaxis(x, -1, 0):
        h_t, y_t = gru_cell_forward(x_t, h_t, parameters)
        states.append(h_t)
        outputs.append(y_t)
    return np.stack(states, axis=-1), np.stack(outputs, axis=-1)


def gru_backward(dh, x, h0, parameters):
    h, _ = gru_forward(x, h0, parameters)
    T = x.shape[-1]
    dx = np.zeros_like(x)
    carry = np.zeros_like(h0)
    dWz = dbz = dWr = dbr = dWh = dbh = None
    for t in range(T - 1, -1, -1):
        prev = h[..., t - 1] if t > 0 else h0
        g = gru_cell_backward(dh[..., t] + carry, x[..., t], prev, parameters)
        dx[..., t] = g["dxt"]
        carry = g["dh_prev"]
        dWz, dbz = g["dWz"], g["dbz"]
        dWr, dbr = g["dWr"], g["dbr"]
        dWh, dbh = g["dWh"], g["dbh"]
    return {"dx": dx, "dh0": carry, "dWz": dWz, "dbz": dbz, "dWr": dWr, "dbr": dbr, "dWh": dWh, "dbh": dbh}
