"""The slowest honest nndl-ch6 submission we can think of: correct, but with no vectorisation.

Every function loops in Python over examples, units and inputs, reads NumPy arrays one element at a
time (each read makes a NumPy scalar) and computes with ``math`` on single floats. It is what a
student who has not met matrix products yet would write. ``bench_slow_honest.py`` grades it in the
sandbox and prints each call's time against its time limit.
"""
import math

import numpy as np


def sigmoid(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def softmax(z):
    e = np.exp(z - np.max(z, axis=0, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)


def _sig(v):
    return 0.5 * (1.0 + math.tanh(0.5 * v))


def _row_dot(W, j, values):
    total = 0.0
    for q in range(len(values)):
        total += W[j, q] * values[q]
    return total


def _column(a, k, t=None):
    if t is None:
        return [a[i, k] for i in range(a.shape[0])]
    return [a[i, k, t] for i in range(a.shape[0])]


def _softmax_column(Wy, by, h, y, k, t=None):
    logits = [by[q, 0] + _row_dot(Wy, q, h) for q in range(Wy.shape[0])]
    top = max(logits)
    e = [math.exp(v - top) for v in logits]
    s = sum(e)
    for q in range(len(e)):
        if t is None:
            y[q, k] = e[q] / s
        else:
            y[q, k, t] = e[q] / s


def _plus(a, b):
    out = np.zeros(a.shape)
    for j in range(a.shape[0]):
        for k in range(a.shape[1]):
            out[j, k] = a[j, k] + b[j, k]
    return out


def _slice(a, t):
    out = np.zeros(a.shape[:2])
    for j in range(a.shape[0]):
        for k in range(a.shape[1]):
            out[j, k] = a[j, k, t]
    return out


def _put(a, t, value):
    for j in range(a.shape[0]):
        for k in range(a.shape[1]):
            a[j, k, t] = value[j, k]


def _accumulate(total, part):
    for idx in np.ndindex(total.shape):
        total[idx] += part[idx]


# ------------------------------------------------------------------------------------ 6-3 residual

def residual_rnn_forward(x, h0, parameters):
    U, W, b = parameters["U"], parameters["W"], parameters["b"]
    n_h, m = h0.shape
    T = x.shape[2]
    h = np.zeros((n_h, m, T))
    for k in range(m):
        prev = _column(h0, k)
        for t in range(T):
            xt = _column(x, k, t)
            new = [prev[j] + math.tanh(_row_dot(U, j, prev) + _row_dot(W, j, xt) + b[j, 0]) for j in range(n_h)]
            for j in range(n_h):
                h[j, k, t] = new[j]
            prev = new
    return h


def residual_rnn_backward(dh, x, h0, parameters):
    U, W, b = parameters["U"], parameters["W"], parameters["b"]
    n_x, m, T = x.shape
    n_h = h0.shape[0]
    h = residual_rnn_forward(x, h0, parameters)
    dx = np.zeros((n_x, m, T))
    dU, dW, db = np.zeros(U.shape), np.zeros(W.shape), np.zeros(b.shape)
    dh0 = np.zeros((n_h, m))
    for k in range(m):
        dh_next = [0.0] * n_h
        for t in reversed(range(T)):
            prev = _column(h0, k) if t == 0 else _column(h, k, t - 1)
            xt = _column(x, k, t)
            g = [dh[j, k, t] + dh_next[j] for j in range(n_h)]
            dz = []
            for j in range(n_h):
                tz = math.tanh(_row_dot(U, j, prev) + _row_dot(W, j, xt) + b[j, 0])
                dz.append(g[j] * (1.0 - tz * tz))
            for j in range(n_h):
                for i in range(n_h):
                    dU[j, i] += dz[j] * prev[i]
                for i in range(n_x):
                    dW[j, i] += dz[j] * xt[i]
                db[j, 0] += dz[j]
            for i in range(n_x):
                dx[i, k, t] = sum(W[j, i] * dz[j] for j in range(n_h))
            dh_next = [g[i] + sum(U[j, i] * dz[j] for j in range(n_h)) for i in range(n_h)]
        for j in range(n_h):
            dh0[j, k] = dh_next[j]
    return {"dx": dx, "dh0": dh0, "dU": dU, "dW": dW, "db": db}


def residual_rnn_step_jacobian(xt, h_prev, parameters):
    U, W, b = parameters["U"], parameters["W"], parameters["b"]
    n_h, m = h_prev.shape
    J = np.zeros((m, n_h, n_h))
    for k in range(m):
        prev, x_k = _column(h_prev, k), _column(xt, k)
        for j in range(n_h):
            tz = math.tanh(_row_dot(U, j, prev) + _row_dot(W, j, x_k) + b[j, 0])
            for i in range(n_h):
                J[k, j, i] = (1.0 if i == j else 0.0) + (1.0 - tz * tz) * U[j, i]
    return J


def clip_by_global_norm(grads, max_norm):
    total = 0.0
    for g in grads.values():
        for idx in np.ndindex(np.shape(g)):
            total += float(g[idx]) ** 2
    global_norm = math.sqrt(total)
    scale = max_norm / global_norm if global_norm > max_norm else 1.0
    clipped = {}
    for key, g in grads.items():
        out = np.zeros(np.shape(g))
        for idx in np.ndindex(out.shape):
            out[idx] = g[idx] * scale
        clipped[key] = out
    return clipped, global_norm


# ------------------------------------------------------------------------------------ 6-5 GRU

def _gru_gates(p, prev, x_k):
    n_h = len(prev)
    concat = prev + x_k
    z = [_sig(_row_dot(p["Wz"], j, concat) + p["bz"][j, 0]) for j in range(n_h)]
    r = [_sig(_row_dot(p["Wr"], j, concat) + p["br"][j, 0]) for j in range(n_h)]
    concat_r = [r[j] * prev[j] for j in range(n_h)] + x_k
    h_tilde = [math.tanh(_row_dot(p["Wh"], j, concat_r) + p["bh"][j, 0]) for j in range(n_h)]
    return concat, z, r, concat_r, h_tilde


def gru_cell_forward(xt, h_prev, parameters):
    p = parameters
    n_h, m = h_prev.shape
    h_next, yt_pred = np.zeros((n_h, m)), np.zeros((p["Wy"].shape[0], m))
    for k in range(m):
        prev = _column(h_prev, k)
        _, z, _, _, h_tilde = _gru_gates(p, prev, _column(xt, k))
        for j in range(n_h):
            h_next[j, k] = z[j] * prev[j] + (1.0 - z[j]) * h_tilde[j]
        _softmax_column(p["Wy"], p["by"], _column(h_next, k), yt_pred, k)
    return h_next, yt_pred


def gru_cell_backward(dh_next, xt, h_prev, parameters):
    p = parameters
    n_h, m = h_prev.shape
    n_x = xt.shape[0]
    out = {"dxt": np.zeros((n_x, m)), "dh_prev": np.zeros((n_h, m))}
    for name in ("Wz", "bz", "Wr", "br", "Wh", "bh"):
        out["d" + name] = np.zeros(p[name].shape)
    for k in range(m):
        prev, x_k = _column(h_prev, k), _column(xt, k)
        concat, z, r, concat_r, h_tilde = _gru_gates(p, prev, x_k)
        dh = _column(dh_next, k)
        daz = [dh[j] * (prev[j] - h_tilde[j]) * z[j] * (1.0 - z[j]) for j in range(n_h)]
        dah = [dh[j] * (1.0 - z[j]) * (1.0 - h_tilde[j] ** 2) for j in range(n_h)]
        dconcat_r = [sum(p["Wh"][j, q] * dah[j] for j in range(n_h)) for q in range(n_h + n_x)]
        dar = [dconcat_r[j] * prev[j] * r[j] * (1.0 - r[j]) for j in range(n_h)]
        dconcat = [sum(p["Wz"][j, q] * daz[j] + p["Wr"][j, q] * dar[j] for j in range(n_h))
                   for q in range(n_h + n_x)]
        for j in range(n_h):
            out["dh_prev"][j, k] = dh[j] * z[j] + dconcat_r[j] * r[j] + dconcat[j]
            for q in range(n_h + n_x):
                out["dWz"][j, q] += daz[j] * concat[q]
                out["dWr"][j, q] += dar[j] * concat[q]
                out["dWh"][j, q] += dah[j] * concat_r[q]
            out["dbz"][j, 0] += daz[j]
            out["dbr"][j, 0] += dar[j]
            out["dbh"][j, 0] += dah[j]
        for i in range(n_x):
            out["dxt"][i, k] = dconcat[n_h + i] + dconcat_r[n_h + i]
    return out


def gru_forward(x, h0, parameters):
    n_h, m = h0.shape
    T = x.shape[2]
    h, y = np.zeros((n_h, m, T)), np.zeros((parameters["Wy"].shape[0], m, T))
    h_prev = h0
    for t in range(T):
        h_prev, yt = gru_cell_forward(_slice(x, t), h_prev, parameters)
        _put(h, t, h_prev)
        _put(y, t, yt)
    return h, y


def gru_backward(dh, x, h0, parameters):
    n_x, m, T = x.shape
    h, _ = gru_forward(x, h0, parameters)
    names = ("Wz", "bz", "Wr", "br", "Wh", "bh")
    grads = {k: np.zeros(parameters[k].shape) for k in names}
    dx = np.zeros((n_x, m, T))
    dh_prev = np.zeros(h0.shape)
    for t in reversed(range(T)):
        h_prev = h0 if t == 0 else _slice(h, t - 1)
        step = gru_cell_backward(_plus(_slice(dh, t), dh_prev), _slice(x, t), h_prev, parameters)
        _put(dx, t, step["dxt"])
        dh_prev = step["dh_prev"]
        for k in names:
            _accumulate(grads[k], step["d" + k])
    result = {"dx": dx, "dh0": dh_prev}
    result.update({"d" + k: v for k, v in grads.items()})
    return result


# ------------------------------------------------------------------------------------ 6-2P LSTM

def _lstm_gates(p, concat, j):
    f = _sig(_row_dot(p["Wf"], j, concat) + p["bf"][j, 0])
    i = _sig(_row_dot(p["Wi"], j, concat) + p["bi"][j, 0])
    cct = math.tanh(_row_dot(p["Wc"], j, concat) + p["bc"][j, 0])
    o = _sig(_row_dot(p["Wo"], j, concat) + p["bo"][j, 0])
    return f, i, cct, o


def lstm_cell_forward(xt, h_prev, c_prev, parameters):
    p = parameters
    n_h, m = h_prev.shape
    h_next, c_next = np.zeros((n_h, m)), np.zeros((n_h, m))
    yt_pred = np.zeros((p["Wy"].shape[0], m))
    for k in range(m):
        concat = _column(h_prev, k) + _column(xt, k)
        for j in range(n_h):
            f, i, cct, o = _lstm_gates(p, concat, j)
            c_next[j, k] = f * c_prev[j, k] + i * cct
            h_next[j, k] = o * math.tanh(c_next[j, k])
        _softmax_column(p["Wy"], p["by"], _column(h_next, k), yt_pred, k)
    return h_next, c_next, yt_pred


def lstm_cell_backward(dh_next, dc_next, xt, h_prev, c_prev, parameters):
    p = parameters
    n_h, m = h_prev.shape
    n_x = xt.shape[0]
    out = {"dxt": np.zeros((n_x, m)), "dh_prev": np.zeros((n_h, m)), "dc_prev": np.zeros((n_h, m))}
    for name in ("Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo", "bo"):
        out["d" + name] = np.zeros(p[name].shape)
    for k in range(m):
        concat = _column(h_prev, k) + _column(xt, k)
        dconcat = [0.0] * (n_h + n_x)
        for j in range(n_h):
            f, i, cct, o = _lstm_gates(p, concat, j)
            tc = math.tanh(f * c_prev[j, k] + i * cct)
            dc = dc_next[j, k] + dh_next[j, k] * o * (1.0 - tc * tc)
            da = {"o": dh_next[j, k] * tc * o * (1.0 - o), "f": dc * c_prev[j, k] * f * (1.0 - f),
                  "i": dc * cct * i * (1.0 - i), "c": dc * i * (1.0 - cct * cct)}
            out["dc_prev"][j, k] = dc * f
            for gate, d in da.items():
                W, dW = p["W" + gate], out["dW" + gate]
                for q in range(n_h + n_x):
                    dW[j, q] += d * concat[q]
                    dconcat[q] += W[j, q] * d
                out["db" + gate][j, 0] += d
        for j in range(n_h):
            out["dh_prev"][j, k] = dconcat[j]
        for i in range(n_x):
            out["dxt"][i, k] = dconcat[n_h + i]
    return out


def lstm_forward(x, h0, parameters):
    n_h, m = h0.shape
    T = x.shape[2]
    n_y = parameters["Wy"].shape[0]
    h, y, c = np.zeros((n_h, m, T)), np.zeros((n_y, m, T)), np.zeros((n_h, m, T))
    h_prev, c_prev = h0, np.zeros((n_h, m))
    for t in range(T):
        h_prev, c_prev, yt = lstm_cell_forward(_slice(x, t), h_prev, c_prev, parameters)
        _put(h, t, h_prev)
        _put(c, t, c_prev)
        _put(y, t, yt)
    return h, y, c


def lstm_backward(dh, x, h0, parameters):
    n_x, m, T = x.shape
    h, _, c = lstm_forward(x, h0, parameters)
    names = ("Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo", "bo")
    grads = {k: np.zeros(parameters[k].shape) for k in names}
    dx = np.zeros((n_x, m, T))
    dh_prev, dc_prev = np.zeros(h0.shape), np.zeros(h0.shape)
    for t in reversed(range(T)):
        h_prev = h0 if t == 0 else _slice(h, t - 1)
        c_prev = np.zeros(h0.shape) if t == 0 else _slice(c, t - 1)
        step = lstm_cell_backward(_plus(_slice(dh, t), dh_prev), dc_prev, _slice(x, t), h_prev, c_prev,
                                  parameters)
        _put(dx, t, step["dxt"])
        dh_prev, dc_prev = step["dh_prev"], step["dc_prev"]
        for k in names:
            _accumulate(grads[k], step["d" + k])
    result = {"dx": dx, "dh0": dh_prev}
    result.update({"d" + k: v for k, v in grads.items()})
    return result
