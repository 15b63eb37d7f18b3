"""GRU (NNDL 6.66-6.69) with the recurrent and input blocks kept apart and transposes prepared once."""
import numpy as np


def sigmoid(x):
    out = np.empty_like(x, dtype=np.float64)
    np.negative(x, out=out)
    np.exp(out, out=out)
    out += 1.0
    return np.reciprocal(out, out=out)


def softmax(x):
    shifted = x - x.max(axis=0, keepdims=True)
    ex = np.exp(shifted)
    return ex / ex.sum(axis=0, keepdims=True)


def _blocks(parameters, n_h):
    b = {}
    for g in "zrh":
        W = np.asarray(parameters["W" + g], dtype=np.float64)
        b["U" + g], b["V" + g] = W[:, :n_h], W[:, n_h:]
        b["UT" + g], b["VT" + g] = b["U" + g].T.copy(), b["V" + g].T.copy()
        b["b" + g] = np.asarray(parameters["b" + g], dtype=np.float64)
    return b


def _cell(xt, h_prev, B):
    z = sigmoid(B["Uz"] @ h_prev + B["Vz"] @ xt + B["bz"])
    r = sigmoid(B["Ur"] @ h_prev + B["Vr"] @ xt + B["br"])
    n = np.tanh(B["Uh"] @ (r * h_prev) + B["Vh"] @ xt + B["bh"])
    return z, r, n, z * h_prev + (1.0 - z) * n


def _cell_back(dh_next, xt, h_prev, B):
    z, r, n, _ = _cell(xt, h_prev, B)
    az = dh_next * (h_prev - n) * z * (1.0 - z)
    an = dh_next * (1.0 - z) * (1.0 - n * n)
    d_rh = B["UTh"] @ an
    ar = d_rh * h_prev * r * (1.0 - r)
    rh = r * h_prev
    dh_prev = dh_next * z + d_rh * r + B["UTz"] @ az + B["UTr"] @ ar
    dxt = B["VTz"] @ az + B["VTr"] @ ar + B["VTh"] @ an
    dW = {"z": np.hstack([az @ h_prev.T, az @ xt.T]),
          "r": np.hstack([ar @ h_prev.T, ar @ xt.T]),
          "h": np.hstack([an @ rh.T, an @ xt.T])}
    db = {"z": az.sum(axis=1, keepdims=True), "r": ar.sum(axis=1, keepdims=True),
          "h": an.sum(axis=1, keepdims=True)}
    return dxt, dh_prev, dW, db


def gru_cell_forward(xt, h_prev, parameters):
    B = _blocks(parameters, h_prev.shape[0])
    h_next = _cell(xt, h_prev, B)[3]
    return h_next, softmax(parameters["Wy"] @ h_next + parameters["by"])


def gru_cell_backward(dh_next, xt, h_prev, parameters):
    B = _blocks(parameters, h_prev.shape[0])
    dxt, dh_prev, dW, db = _cell_back(dh_next, xt, h_prev, B)
    out = {"dxt": dxt, "dh_prev": dh_prev}
    for g in "zrh":
        out["dW" + g], out["db" + g] = dW[g], db[g]
    return out


def gru_forward(x, h0, parameters):
    B = _blocks(parameters, h0.shape[0])
    T = x.shape[2]
    h = np.empty((h0.shape[0], x.shape[1], T))
    hp = h0
    for t in range(T):
        hp = _cell(x[:, :, t], hp, B)[3]
        h[:, :, t] = hp
    y = softmax(np.einsum("yh,hmt->ymt", parameters["Wy"], h) + parameters["by"][:, :, None])
    return h, y


def gru_backward(dh, x, h0, parameters):
    B = _blocks(parameters, h0.shape[0])
    h, _ = gru_forward(x, h0, parameters)
    prev = np.concatenate([h0[:, :, None], h[:, :, :-1]], axis=2)
    dx = np.zeros_like(x, dtype=np.float64)
    dW = {g: 0.0 for g in "zrh"}
    db = {g: 0.0 for g in "zrh"}
    carry = np.zeros_like(h0, dtype=np.float64)
    for t in range(x.shape[2] - 1, -1, -1):
        dxt, carry, dW_t, db_t = _cell_back(dh[:, :, t] + carry, x[:, :, t], prev[:, :, t], B)
        dx[:, :, t] = dxt
        for g in "zrh":
            dW[g] = dW[g] + dW_t[g]
            db[g] = db[g] + db_t[g]
    out = {"dx": dx, "dh0": carry}
    for g in "zrh":
        out["dW" + g], out["db" + g] = dW[g], db[g]
    return out
