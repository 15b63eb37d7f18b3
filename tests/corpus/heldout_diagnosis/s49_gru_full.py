# GRU, one training example at a time (vectors, not matrices), with einsum for the products.
import numpy as np


def sigmoid(v):
    return 1.0 / (1.0 + np.exp(-v))


def softmax(v):
    e = np.exp(v - v.max())
    return e / e.sum()


def _vec_step(x, h, P):
    hx = np.concatenate([h, x])
    z = sigmoid(np.einsum("ij,j->i", P["Wz"], hx) + P["bz"].ravel())
    r = sigmoid(np.einsum("ij,j->i", P["Wr"], hx) + P["br"].ravel())
    rhx = np.concatenate([r * h, x])
    n = np.tanh(np.einsum("ij,j->i", P["Wh"], rhx) + P["bh"].ravel())
    return hx, rhx, z, r, n, z * h + (1 - z) * n


def gru_cell_forward(xt, h_prev, parameters):
    m = xt.shape[1]
    h_next = np.zeros(h_prev.shape)
    y = np.zeros((parameters["Wy"].shape[0], m))
    for k in range(m):
        h_next[:, k] = _vec_step(xt[:, k], h_prev[:, k], parameters)[-1]
        y[:, k] = softmax(np.einsum("ij,j->i", parameters["Wy"], h_next[:, k]) + parameters["by"].ravel())
    return h_next, y


def gru_cell_backward(dh_next, xt, h_prev, parameters):
    n_h, m = h_prev.shape
    out = {"dxt": np.zeros(xt.shape), "dh_prev": np.zeros(h_prev.shape)}
    for g in "zrh":
        out["dW" + g] = np.zeros(parameters["W" + g].shape)
        out["db" + g] = np.zeros(parameters["b" + g].shape)
    for k in range(m):
        hx, rhx, z, r, n, _ = _vec_step(xt[:, k], h_prev[:, k], parameters)
        g = dh_next[:, k]
        az = g * (h_prev[:, k] - n) * z * (1 - z)
        an = g * (1 - z) * (1 - n ** 2)
        drhx = np.einsum("ij,i->j", parameters["Wh"], an)
        ar = drhx[:n_h] * h_prev[:, k] * r * (1 - r)
        dhx = np.einsum("ij,i->j", parameters["Wz"], az) + np.einsum("ij,i->j", parameters["Wr"], ar)
        out["dh_prev"][:, k] = dhx[:n_h] + drhx[:n_h] * r + g * z
        out["dxt"][:, k] = dhx[n_h:] + drhx[n_h:]
        for name, a, inp in (("z", az, hx), ("r", ar, hx), ("h", an, rhx)):
            out["dW" + name] += np.einsum("i,j->ij", a, inp)
            out["db" + name] += a[:, None]
    return out


def gru_forward(x, h0, parameters):
    n_x, m, T = x.shape
    h = np.zeros((h0.shape[0], m, T))
    y = np.zeros((parameters["Wy"].shape[0], m, T))
    cur = h0.copy()
    for t in range(T):
        cur, y[:, :, t] = gru_cell_forward(x[:, :, t], cur, parameters)
        h[:, :, t] = cur
    return h, y


def gru_backward(dh, x, h0, parameters):
    h, _ = gru_forward(x, h0, parameters)
    T = x.shape[2]
    result = {"dx": np.zeros(x.shape)}
    for g in "zrh":
        result["dW" + g] = np.zeros(parameters["W" + g].shape)
        result["db" + g] = np.zeros(parameters["b" + g].shape)
    running = np.zeros(h0.shape)
    for t in range(T)[::-1]:
        step = gru_cell_backward(dh[:, :, t] + running, x[:, :, t], h[:, :, t - 1] if t else h0, parameters)
        result["dx"][:, :, t] = step["dxt"]
        running = step["dh_prev"]
        for g in "zrh":
            result["dW" + g] += step["dW" + g]
            result["db" + g] += step["db" + g]
    result["dh0"] = running
    return result
