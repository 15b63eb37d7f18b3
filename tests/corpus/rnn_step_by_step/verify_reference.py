"""An independent NumPy reference for the eight functions of the rnn-step-by-step corpus.

Written from the assignment contract only (not from the answer key): columns are examples,
``a`` is ``(n_a, m)``, ``x`` is ``(n_x, m, T)``, softmax over axis 0, ``concat = [a_prev; xt]``,
``c0 = 0`` in :func:`lstm_forward`.

RNN:  a_t = tanh(Waa a_{t-1} + Wax x_t + ba),  y_t = softmax(Wya a_t + by)
LSTM: f, i, o = σ(W·[a_prev; xt] + b),  cc = tanh(Wc·[a_prev; xt] + bc),
      c_t = f*c_{t-1} + i*cc,  a_t = o*tanh(c_t),  y_t = softmax(Wy a_t + by)

Backward functions return ∂L/∂(inputs, parameters) for the losses
    rnn_cell_backward:  L = Σ da_next ⊙ a_next
    lstm_cell_backward: L = Σ da_next ⊙ a_next + Σ dc_next ⊙ c_next
    rnn_backward, lstm_backward: L = Σ_t Σ da[:, :, t] ⊙ a_t
:func:`check_against_finite_differences` confirms all four with central differences.
"""
from __future__ import annotations

import numpy as np

GATES = ("f", "i", "c", "o")


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def softmax(z):
    """Softmax over axis 0 (one distribution per column)."""
    e = np.exp(z - np.max(z, axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def rnn_cell_forward(xt, a_prev, p):
    a_next = np.tanh(p["Waa"] @ a_prev + p["Wax"] @ xt + p["ba"])
    yt_pred = softmax(p["Wya"] @ a_next + p["by"])
    return a_next, yt_pred, (a_next, a_prev, xt, p)


def rnn_forward(x, a0, p):
    n_x, m, T = x.shape
    n_a, n_y = a0.shape[0], p["Wya"].shape[0]
    a, y = np.zeros((n_a, m, T)), np.zeros((n_y, m, T))
    caches, a_t = [], a0
    for t in range(T):
        a_t, y[:, :, t], cache = rnn_cell_forward(x[:, :, t], a_t, p)
        a[:, :, t] = a_t
        caches.append(cache)
    return a, y, (caches, x)


def lstm_cell_forward(xt, a_prev, c_prev, p):
    z = np.concatenate([a_prev, xt], axis=0)
    ft = sigmoid(p["Wf"] @ z + p["bf"])
    it = sigmoid(p["Wi"] @ z + p["bi"])
    cct = np.tanh(p["Wc"] @ z + p["bc"])
    ot = sigmoid(p["Wo"] @ z + p["bo"])
    c_next = ft * c_prev + it * cct
    a_next = ot * np.tanh(c_next)
    yt_pred = softmax(p["Wy"] @ a_next + p["by"])
    return a_next, c_next, yt_pred, (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, p)


def lstm_forward(x, a0, p):
    n_x, m, T = x.shape
    n_a, n_y = a0.shape[0], p["Wy"].shape[0]
    a, c, y = np.zeros((n_a, m, T)), np.zeros((n_a, m, T)), np.zeros((n_y, m, T))
    a_t, c_t, caches = a0, np.zeros((n_a, m)), []
    for t in range(T):
        a_t, c_t, y[:, :, t], cache = lstm_cell_forward(x[:, :, t], a_t, c_t, p)
        a[:, :, t], c[:, :, t] = a_t, c_t
        caches.append(cache)
    return a, y, c, (caches, x)


def rnn_cell_backward(da_next, cache):
    a_next, a_prev, xt, p = cache
    dz = da_next * (1.0 - a_next ** 2)            # tanh'(z) = 1 - tanh(z)^2 = 1 - a_next^2
    return {"dxt": p["Wax"].T @ dz, "da_prev": p["Waa"].T @ dz,
            "dWax": dz @ xt.T, "dWaa": dz @ a_prev.T, "dba": dz.sum(axis=1, keepdims=True)}


def rnn_backward(da, caches):
    cache_list, x = caches
    n_x, m, T = x.shape
    p = cache_list[0][3]
    out = {"dx": np.zeros_like(x), "dWax": np.zeros_like(p["Wax"]),
           "dWaa": np.zeros_like(p["Waa"]), "dba": np.zeros_like(p["ba"])}
    carry = np.zeros_like(da[:, :, 0])
    for t in reversed(range(T)):
        g = rnn_cell_backward(da[:, :, t] + carry, cache_list[t])
        out["dx"][:, :, t] = g["dxt"]
        for k in ("dWax", "dWaa", "dba"):
            out[k] += g[k]
        carry = g["da_prev"]
    out["da0"] = carry
    return out


def lstm_cell_backward(da_next, dc_next, cache):
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, p = cache
    n_a = a_next.shape[0]
    tc = np.tanh(c_next)
    dc = dc_next + da_next * ot * (1.0 - tc ** 2)  # full gradient reaching c_next
    dpre = {"o": da_next * tc * ot * (1.0 - ot),
            "c": dc * it * (1.0 - cct ** 2),
            "i": dc * cct * it * (1.0 - it),
            "f": dc * c_prev * ft * (1.0 - ft)}
    z = np.concatenate([a_prev, xt], axis=0)
    dz = sum(p["W" + g].T @ dpre[g] for g in GATES)
    out = {"dxt": dz[n_a:], "da_prev": dz[:n_a], "dc_prev": dc * ft}
    for g in GATES:
        out["dW" + g] = dpre[g] @ z.T
        out["db" + g] = dpre[g].sum(axis=1, keepdims=True)
    return out


def lstm_backward(da, caches):
    cache_list, x = caches
    n_x, m, T = x.shape
    p = cache_list[0][9]
    out = {"dx": np.zeros_like(x)}
    for g in GATES:
        out["dW" + g] = np.zeros_like(p["W" + g])
        out["db" + g] = np.zeros_like(p["b" + g])
    da_carry = np.zeros_like(da[:, :, 0])
    dc_carry = np.zeros_like(da[:, :, 0])
    for t in reversed(range(T)):
        g = lstm_cell_backward(da[:, :, t] + da_carry, dc_carry, cache_list[t])
        out["dx"][:, :, t] = g["dxt"]
        for k in out:
            if k != "dx":
                out[k] += g[k]
        da_carry, dc_carry = g["da_prev"], g["dc_prev"]
    out["da0"] = da_carry
    return out


FUNCTIONS = {f.__name__: f for f in (rnn_cell_forward, rnn_forward, lstm_cell_forward, lstm_forward,
                                     rnn_cell_backward, rnn_backward, lstm_cell_backward,
                                     lstm_backward)}


# ---------------------------------------------------------------------------------------------
# Inputs

def rnn_params(rng, n_x, n_a, n_y):
    return {"Wax": rng.standard_normal((n_a, n_x)), "Waa": rng.standard_normal((n_a, n_a)) * 0.6,
            "Wya": rng.standard_normal((n_y, n_a)), "ba": rng.standard_normal((n_a, 1)),
            "by": rng.standard_normal((n_y, 1))}


def lstm_params(rng, n_x, n_a, n_y):
    p = {}
    for g in GATES:
        p["W" + g] = rng.standard_normal((n_a, n_a + n_x))
        p["b" + g] = rng.standard_normal((n_a, 1))
    p["Wy"] = rng.standard_normal((n_y, n_a))
    p["by"] = rng.standard_normal((n_y, 1))
    return p


def make_case(seed, n_x, n_a, n_y, m, T):
    """Every input any of the eight functions needs, drawn from one generator."""
    rng = np.random.default_rng(seed)
    return {"x": rng.standard_normal((n_x, m, T)), "a0": rng.standard_normal((n_a, m)),
            "c_prev": rng.standard_normal((n_a, m)), "rnn": rnn_params(rng, n_x, n_a, n_y),
            "lstm": lstm_params(rng, n_x, n_a, n_y), "da": rng.standard_normal((n_a, m, T)),
            "da_next": rng.standard_normal((n_a, m)), "dc_next": rng.standard_normal((n_a, m))}


# The producer of each backward's cache argument, its inputs, and where the cache sits in its outputs.
PRODUCERS = {
    "rnn_cell_backward": ("rnn_cell_forward", 2),
    "rnn_backward": ("rnn_forward", 2),
    "lstm_cell_backward": ("lstm_cell_forward", 3),
    "lstm_backward": ("lstm_forward", 3),
}
CACHE_INDEX = {"rnn_cell_forward": 2, "rnn_forward": 2, "lstm_cell_forward": 3, "lstm_forward": 3}


def forward_args(name, case):
    x, a0 = case["x"], case["a0"]
    return {"rnn_cell_forward": (x[:, :, 0], a0, case["rnn"]),
            "rnn_forward": (x, a0, case["rnn"]),
            "lstm_cell_forward": (x[:, :, 0], a0, case["c_prev"], case["lstm"]),
            "lstm_forward": (x, a0, case["lstm"])}[name]


def upstream_args(name, case):
    """The backward's arguments other than the cache (which comes last)."""
    return {"rnn_cell_backward": (case["da_next"],), "rnn_backward": (case["da"],),
            "lstm_cell_backward": (case["da_next"], case["dc_next"]),
            "lstm_backward": (case["da"],)}[name]


# ---------------------------------------------------------------------------------------------
# Finite-difference check of the reference itself

def _numeric_grad(loss, array, eps=1e-6):
    grad = np.zeros_like(array)
    for idx in np.ndindex(array.shape):
        keep = array[idx]
        array[idx] = keep + eps
        up = loss()
        array[idx] = keep - eps
        down = loss()
        array[idx] = keep
        grad[idx] = (up - down) / (2 * eps)
    return grad


def _rel_err(a, b):
    return float(np.max(np.abs(a - b)) / max(1e-8, float(np.max(np.abs(a) + np.abs(b)))))


def check_against_finite_differences(seed=5, n_x=3, n_a=4, n_y=2, m=3, T=3):
    """Return the worst relative error between each reference backward and central differences."""
    case = make_case(seed, n_x, n_a, n_y, m, T)
    x, a0, c0 = case["x"], case["a0"], case["c_prev"]
    pr, pl = case["rnn"], case["lstm"]
    da, dn, dcn = case["da"], case["da_next"], case["dc_next"]
    xt = x[:, :, 0]
    worst = {}

    def compare(name, grads, targets, loss):
        errs = [_rel_err(grads[key], _numeric_grad(loss, arr)) for key, arr in targets.items()]
        worst[name] = max(errs)

    compare("rnn_cell_backward", rnn_cell_backward(dn, rnn_cell_forward(xt, a0, pr)[2]),
            {"dxt": xt, "da_prev": a0, "dWax": pr["Wax"], "dWaa": pr["Waa"], "dba": pr["ba"]},
            lambda: float(np.sum(dn * rnn_cell_forward(xt, a0, pr)[0])))
    compare("rnn_backward", rnn_backward(da, rnn_forward(x, a0, pr)[2]),
            {"dx": x, "da0": a0, "dWax": pr["Wax"], "dWaa": pr["Waa"], "dba": pr["ba"]},
            lambda: float(np.sum(da * rnn_forward(x, a0, pr)[0])))

    def cell_loss():
        a_n, c_n = lstm_cell_forward(xt, a0, c0, pl)[:2]
        return float(np.sum(dn * a_n) + np.sum(dcn * c_n))
    targets = {"dxt": xt, "da_prev": a0, "dc_prev": c0}
    targets.update({k: pl[k] for k in pl if k[1] in GATES})
    targets = {("d" + k if k in pl else k): v for k, v in targets.items()}
    compare("lstm_cell_backward", lstm_cell_backward(dn, dcn, lstm_cell_forward(xt, a0, c0, pl)[3]),
            targets, cell_loss)
    targets = {"dx": x, "da0": a0}
    targets.update({"d" + k: pl[k] for k in pl if k[1] in GATES})
    compare("lstm_backward", lstm_backward(da, lstm_forward(x, a0, pl)[3]), targets,
            lambda: float(np.sum(da * lstm_forward(x, a0, pl)[0])))
    return worst
