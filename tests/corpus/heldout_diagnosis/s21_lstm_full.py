"""LSTM, all gates in one (4 n_h, n_h + n_x) matrix; inputs converted to float64 first."""
import numpy as np

ORDER = ("f", "i", "c", "o")


def sigmoid(x):
    return np.exp(-np.logaddexp(0.0, -x))


def softmax(x):
    x = x - x.max(axis=0, keepdims=True)
    np.exp(x, out=x)
    x /= x.sum(axis=0, keepdims=True)
    return x


def _big(parameters):
    W = np.concatenate([np.asarray(parameters["W" + g], dtype=np.float64) for g in ORDER])
    b = np.concatenate([np.asarray(parameters["b" + g], dtype=np.float64) for g in ORDER])
    return W, b


def _step(xt, h_prev, c_prev, W, b):
    n = h_prev.shape[0]
    hx = np.concatenate([h_prev, xt])
    a = W @ hx + b
    gates = np.empty_like(a)
    gates[:2 * n] = sigmoid(a[:2 * n])
    gates[2 * n:3 * n] = np.tanh(a[2 * n:3 * n])
    gates[3 * n:] = sigmoid(a[3 * n:])
    f, i, g, o = np.split(gates, 4)
    c = f * c_prev + i * g
    return hx, f, i, g, o, c, o * np.tanh(c)


def lstm_cell_forward(xt, h_prev, c_prev, parameters):
    xt, h_prev, c_prev = (np.asarray(v, dtype=np.float64) for v in (xt, h_prev, c_prev))
    W, b = _big(parameters)
    *_, c_next, h_next = _step(xt, h_prev, c_prev, W, b)
    return h_next, c_next, softmax(parameters["Wy"] @ h_next + parameters["by"])


def _cell_grads(dh, dc_in, step, c_prev, W):
    hx, f, i, g, o, c, _ = step
    tc = np.tanh(c)
    dc = dc_in + dh * o * (1 - tc * tc)
    da = np.concatenate([dc * c_prev * f * (1 - f), dc * g * i * (1 - i),
                         dc * i * (1 - g * g), dh * tc * o * (1 - o)])
    return da, W.T @ da, dc * f, hx


def lstm_cell_backward(dh_next, dc_next, xt, h_prev, c_prev, parameters):
    dh_next, dc_next, xt, h_prev, c_prev = (np.asarray(v, dtype=np.float64)
                                            for v in (dh_next, dc_next, xt, h_prev, c_prev))
    n = h_prev.shape[0]
    W, b = _big(parameters)
    step = _step(xt, h_prev, c_prev, W, b)
    da, dhx, dc_prev, hx = _cell_grads(dh_next, dc_next, step, c_prev, W)
    dW, db = da @ hx.T, da.sum(axis=1, keepdims=True)
    out = {"dxt": dhx[n:], "dh_prev": dhx[:n], "dc_prev": dc_prev}
    for k, g in enumerate(ORDER):
        out["dW" + g], out["db" + g] = dW[k * n:(k + 1) * n], db[k * n:(k + 1) * n]
    return out


def lstm_forward(x, h0, parameters):
    x, h0 = np.asarray(x, dtype=np.float64), np.asarray(h0, dtype=np.float64)
    W, b = _big(parameters)
    n, m, T = h0.shape[0], x.shape[1], x.shape[2]
    h, c = np.empty((n, m, T)), np.empty((n, m, T))
    y = np.empty((parameters["Wy"].shape[0], m, T))
    hp, cp = h0, np.zeros((n, m))
    for t in range(T):
        *_, cp, hp = _step(x[:, :, t], hp, cp, W, b)
        h[:, :, t], c[:, :, t] = hp, cp
        y[:, :, t] = softmax(parameters["Wy"] @ hp + parameters["by"])
    return h, y, c


def lstm_backward(dh, x, h0, parameters):
    dh, x, h0 = (np.asarray(v, dtype=np.float64) for v in (dh, x, h0))
    W, b = _big(parameters)
    n, m, T = h0.shape[0], x.shape[1], x.shape[2]
    steps, hp, cp = [], h0, np.zeros((n, m))
    for t in range(T):
        s = _step(x[:, :, t], hp, cp, W, b)
        steps.append((s, cp))
        cp, hp = s[5], s[6]
    dW, db, dx = np.zeros_like(W), np.zeros_like(b), np.zeros_like(x)
    dh_carry, dc_carry = np.zeros((n, m)), np.zeros((n, m))
    for t in range(T - 1, -1, -1):
        s, c_prev = steps[t]
        da, dhx, dc_carry, hx = _cell_grads(dh[:, :, t] + dh_carry, dc_carry, s, c_prev, W)
        dW += da @ hx.T
        db += da.sum(axis=1, keepdims=True)
        dx[:, :, t] = dhx[n:]
        dh_carry = dhx[:n]
    out = {"dx": dx, "dh0": dh_carry}
    for k, g in enumerate(ORDER):
        out["dW" + g], out["db" + g] = dW[k * n:(k + 1) * n].copy(), db[k * n:(k + 1) * n].copy()
    return out
