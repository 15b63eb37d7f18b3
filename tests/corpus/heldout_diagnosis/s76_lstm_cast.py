"""LSTM step and BPTT. Everything is cast to float64 on entry (my data loader gives float32)."""
import numpy as np


def sigmoid(x):
    return np.divide(1.0, 1.0 + np.exp(-x))


def softmax(x):
    m = np.max(x, axis=0, keepdims=True)
    e = np.exp(x - m)
    return e / np.sum(e, axis=0, keepdims=True)


def _f64(*arrays):
    return [np.asarray(a).astype(np.float64) for a in arrays]


def _weights(parameters):
    P = {k: np.asarray(v).astype(np.float64) for k, v in parameters.items()}
    P.update({k + "T": P[k].T for k in ("Wf", "Wi", "Wc", "Wo")})
    return P


def lstm_cell_forward(xt, h_prev, c_prev, parameters):
    xt, h_prev, c_prev = _f64(xt, h_prev, c_prev)
    P = _weights(parameters)
    hx = np.concatenate((h_prev, xt), axis=0)
    ft = sigmoid(np.dot(P["Wf"], hx) + P["bf"])
    it = sigmoid(np.dot(P["Wi"], hx) + P["bi"])
    gt = np.tanh(np.dot(P["Wc"], hx) + P["bc"])
    ot = sigmoid(np.dot(P["Wo"], hx) + P["bo"])
    c_next = np.add(np.multiply(ft, c_prev), np.multiply(it, gt))
    h_next = np.multiply(ot, np.tanh(c_next))
    return h_next, c_next, softmax(np.dot(P["Wy"], h_next) + P["by"])


def lstm_cell_backward(dh_next, dc_next, xt, h_prev, c_prev, parameters):
    dh_next, dc_next, xt, h_prev, c_prev = _f64(dh_next, dc_next, xt, h_prev, c_prev)
    P = _weights(parameters)
    n_h = h_prev.shape[0]
    hx = np.concatenate((h_prev, xt), axis=0)
    ft = sigmoid(np.dot(P["Wf"], hx) + P["bf"])
    it = sigmoid(np.dot(P["Wi"], hx) + P["bi"])
    gt = np.tanh(np.dot(P["Wc"], hx) + P["bc"])
    ot = sigmoid(np.dot(P["Wo"], hx) + P["bo"])
    c_next = ft * c_prev + it * gt
    tanh_c = np.tanh(c_next)
    dc = dc_next + dh_next * ot * (1.0 - np.square(tanh_c))
    d_af = dc * c_prev * ft * (1.0 - ft)
    d_ai = dc * gt * it * (1.0 - it)
    d_ag = dc * it * (1.0 - np.square(gt))
    d_ao = dh_next * tanh_c * ot * (1.0 - ot)
    d_hx = (np.dot(P["WfT"], d_af) + np.dot(P["WiT"], d_ai) + np.dot(P["WcT"], d_ag)
            + np.dot(P["WoT"], d_ao))
    hxT = hx.T
    return {"dxt": d_hx[n_h:], "dh_prev": d_hx[:n_h], "dc_prev": dc * ft,
            "dWf": np.dot(d_af, hxT), "dbf": np.sum(d_af, axis=1, keepdims=True),
            "dWi": np.dot(d_ai, hxT), "dbi": np.sum(d_ai, axis=1, keepdims=True),
            "dWc": np.dot(d_ag, hxT), "dbc": np.sum(d_ag, axis=1, keepdims=True),
            "dWo": np.dot(d_ao, hxT), "dbo": np.sum(d_ao, axis=1, keepdims=True)}
