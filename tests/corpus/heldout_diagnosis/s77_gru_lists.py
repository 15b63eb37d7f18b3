import numpy as np


def sigmoid(a):
    return np.exp(np.minimum(a, 0)) / (1 + np.exp(-np.abs(a)))


def softmax(a):
    a = a - a.max(axis=0, keepdims=True)
    return np.exp(a) / np.exp(a).sum(axis=0, keepdims=True)


def gru_cell_forward(xt, h_prev, parameters):
    n_h = h_prev.shape[0]
    W_zr = np.vstack([parameters["Wz"], parameters["Wr"]])
    b_zr = np.vstack([parameters["bz"], parameters["br"]])
    zr = sigmoid(W_zr @ np.vstack([h_prev, xt]) + b_zr)
    z, r = zr[:n_h], zr[n_h:]
    cand = np.tanh(parameters["Wh"] @ np.vstack([r * h_prev, xt]) + parameters["bh"])
    h_next = cand + z * (h_prev - cand)          # = z h_prev + (1 - z) cand
    return h_next, softmax(parameters["Wy"] @ h_next + parameters["by"])


def gru_cell_backward(dh_next, xt, h_prev, parameters):
    n_h = h_prev.shape[0]
    W_zr = np.vstack([parameters["Wz"], parameters["Wr"]])
    b_zr = np.vstack([parameters["bz"], parameters["br"]])
    hx = np.vstack([h_prev, xt])
    zr = sigmoid(W_zr @ hx + b_zr)
    z, r = zr[:n_h], zr[n_h:]
    rhx = np.vstack([r * h_prev, xt])
    cand = np.tanh(parameters["Wh"] @ rhx + parameters["bh"])
    d_cand_pre = dh_next * (1 - z) * (1 - cand ** 2)
    d_rhx = parameters["Wh"].T @ d_cand_pre
    d_z_pre = dh_next * (h_prev - cand) * z * (1 - z)
    d_r_pre = d_rhx[:n_h] * h_prev * r * (1 - r)
    d_zr = np.vstack([d_z_pre, d_r_pre])
    d_hx = W_zr.T @ d_zr
    dW_zr = d_zr @ hx.T
    return {"dxt": d_hx[n_h:] + d_rhx[n_h:],
            "dh_prev": d_hx[:n_h] + d_rhx[:n_h] * r + dh_next * z,
            "dWz": dW_zr[:n_h], "dbz": d_z_pre.sum(axis=1, keepdims=True),
            "dWr": dW_zr[n_h:], "dbr": d_r_pre.sum(axis=1, keepdims=True),
            "dWh": d_cand_pre @ rhx.T, "dbh": d_cand_pre.sum(axis=1, keepdims=True)}


def gru_forward(x, h0, parameters):
    h_list, y_list = [], []
    h_t = h0
    for t in range(x.shape[2]):
        h_t, y_t = gru_cell_forward(x[:, :, t], h_t, parameters)
        h_list.append(h_t)
        y_list.append(y_t)
    return np.stack(h_list, 2), np.stack(y_list, 2)


def gru_backward(dh, x, h0, parameters):
    h, _ = gru_forward(x, h0, parameters)
    previous = [h0] + [h[:, :, t] for t in range(x.shape[2] - 1)]
    dx_list = []
    sums = {}
    upstream = np.zeros_like(h0)
    for t in reversed(range(x.shape[2])):
        g = gru_cell_backward(dh[:, :, t] + upstream, x[:, :, t], previous[t], parameters)
        upstream = g["dh_prev"]
        dx_list.insert(0, g["dxt"])
        for k in ("dWz", "dbz", "dWr", "dbr", "dWh", "dbh"):
            sums[k] = g[k] if k not in sums else sums[k] + g[k]
    return {"dx": np.stack(dx_list, 2), "dh0": upstream, **sums}
