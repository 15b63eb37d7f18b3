"""Buggy implementations of the cache-style contract (assignment ``rnn-step-by-step``).

Conventions: columns are examples; ``a`` is the hidden state ``(n_a, m)``; ``x`` is ``(n_x, m, T_x)``;
softmax over axis 0; LSTM weights act on ``[a_prev; xt]``. A forward returns its outputs without its
cache (the matcher compares outputs; the cache is checked by its layout elsewhere); a backward reads
the documented cache layouts::

    rnn cell cache  (a_next, a_prev, xt, parameters)
    lstm cell cache (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)
    caches          (list of the T_x cell caches, x)

``bug=None`` gives the answer key's result; ``bug`` is a set of ``mistake[:form]`` flags (two mistakes
compose: ``{"no_bptt_carry", "missing_gate_derivative:f"}``) or a string joining them with ``+``.
Standalone: numpy only (see ``buggy/__init__.py``).
"""
import numpy as np


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _softmax(z, axis=0):
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def _bugs(bug):
    """``{mistake: form}`` of ``bug``: a set of flags (``{"no_bptt_carry", "missing_gate_derivative:f"}``,
    as the matcher composes them), or one string, several joined by ``+``."""
    parts = bug.split("+") if isinstance(bug, str) else list(bug or ())
    out = {}
    for part in parts:
        if part:
            name, _, form = part.partition(":")
            out[name] = form
    return out


# ------------------------------------------------------------------------------------------- RNN
def buggy_rnn_cell_forward(xt, a_prev, parameters, bug=None):
    """a_next = tanh(Waa a_prev + Wax xt + ba), yt_pred = softmax(Wya a_next + by)."""
    p = parameters
    a_next = np.tanh(p["Waa"] @ a_prev + p["Wax"] @ xt + p["ba"])
    yt = _softmax(p["Wya"] @ a_next + p["by"], axis=1 if "softmax_axis" in _bugs(bug) else 0)
    return a_next, yt


def buggy_rnn_forward(x, a0, parameters, bug=None):
    """a (n_a, m, T_x), y_pred (n_y, m, T_x) over the cell; h0_zeros starts from zeros."""
    n_x, m, T = x.shape
    n_y = parameters["Wya"].shape[0]
    a, y = np.zeros((a0.shape[0], m, T)), np.zeros((n_y, m, T))
    a_next = np.zeros_like(a0) if "h0_zeros" in _bugs(bug) else a0
    for t in range(T):
        a_next, yt = buggy_rnn_cell_forward(x[:, :, t], a_next, parameters, bug)
        a[:, :, t], y[:, :, t] = a_next, yt
    return a, y


def _tanh_factor(a_next, bug):
    """d tanh(z)/dz written with a_next = tanh(z); the forms of missing_tanh_derivative."""
    form = _bugs(bug).get("missing_tanh_derivative")
    if form is None:
        return 1.0 - a_next ** 2
    return {"tanh_of_output": 1.0 - np.tanh(a_next) ** 2, "squared": a_next ** 2,
            "one_minus_tanh": 1.0 - np.tanh(a_next), "left_out": np.ones_like(a_next)}[form]


def buggy_rnn_cell_backward(da_next, cache, bug=None):
    a_next, a_prev, xt, p = cache
    dz = da_next * _tanh_factor(a_next, bug)
    axis_bug = "bias_grad_axis" in _bugs(bug)
    W = {"Wax": p["Wax"], "Waa": p["Waa"]}
    grads = {"dWax": dz @ xt.T, "dWaa": dz @ a_prev.T,
             "dba": np.sum(dz, axis=1) if axis_bug else np.sum(dz, axis=1, keepdims=True)}
    if "weights_from_gradients" in _bugs(bug):
        W = {"Wax": grads["dWax"], "Waa": grads["dWaa"]}
    grads["dxt"] = W["Wax"].T @ dz
    grads["da_prev"] = W["Waa"].T @ dz
    return grads


def buggy_rnn_backward(da, caches, bug=None):
    """Through time: the upstream gradient of step t is da[:, :, t] + da_prevt (carried)."""
    steps, x = caches
    n_a, m, T = da.shape
    dx = np.zeros(x.shape)
    sums = {k: 0.0 for k in ("dWax", "dWaa", "dba")}
    da_prevt = np.zeros((n_a, m))
    bugs = _bugs(bug)
    for t in reversed(range(T)):
        # no_bptt_carry (da_prevt never updated) and no_dh_accumulation (not added) agree here
        alone = "no_dh_accumulation" in bugs or "no_bptt_carry" in bugs
        upstream = da[:, :, t] if alone else da[:, :, t] + da_prevt
        g = buggy_rnn_cell_backward(upstream, steps[t], bug)
        dx[:, :, t] = g["dxt"]
        da_prevt = g["da_prev"]
        _accumulate(sums, g, bugs)
    return {"dx": dx, "da0": da_prevt, **sums}


def _accumulate(sums: dict, g: dict, bugs: dict) -> None:
    """Σ_t of the parameter gradients; overwrite_param_grads: ``dW = g`` (assign) or ``dW += dW + g``."""
    form = bugs.get("overwrite_param_grads")
    for k in sums:
        if form == "assign":
            sums[k] = g[k]
        elif form is not None:
            sums[k] = 2 * sums[k] + g[k]
        else:
            sums[k] = sums[k] + g[k]


# ------------------------------------------------------------------------------------------ LSTM
def _concat(a_prev, xt, bug):
    return np.concatenate([xt, a_prev] if "concat_x_first" in _bugs(bug) else [a_prev, xt], axis=0)


def buggy_lstm_cell_forward(xt, a_prev, c_prev, parameters, bug=None):
    p = parameters
    concat = _concat(a_prev, xt, bug)
    ft = _sigmoid(p["Wf"] @ concat + p["bf"])
    it = _sigmoid(p["Wi"] @ concat + p["bi"])
    cct = np.tanh(p["Wc"] @ concat + p["bc"])
    ot = _sigmoid(p["Wo"] @ concat + p["bo"])
    c_next = ft * c_prev + it * cct
    a_next = ot * np.tanh(c_next)
    yt = _softmax(p["Wy"] @ a_next + p["by"], axis=1 if "softmax_axis" in _bugs(bug) else 0)
    return a_next, c_next, yt


def buggy_lstm_forward(x, a0, parameters, bug=None):
    """a, y, c over the cell with c0 = 0; h0_zeros starts a from zeros; state_aliasing makes c the
    same array as a."""
    n_x, m, T = x.shape
    n_a, n_y = a0.shape[0], parameters["Wy"].shape[0]
    a, c, y = np.zeros((n_a, m, T)), np.zeros((n_a, m, T)), np.zeros((n_y, m, T))
    if "state_aliasing" in _bugs(bug):  # `c = a`: one array, each step's c overwrites its a
        c = a
    a_next = np.zeros_like(a0) if "h0_zeros" in _bugs(bug) else a0
    c_next = np.zeros((n_a, m))
    for t in range(T):
        a_next, c_next, yt = buggy_lstm_cell_forward(x[:, :, t], a_next, c_next, parameters, bug)
        a[:, :, t], c[:, :, t], y[:, :, t] = a_next, c_next, yt
    return a, y, c


def buggy_lstm_cell_backward(da_next, dc_next, cache, bug=None):
    """Gates' gradients from dc = dc_next + da_next·ot·(1 − tanh²(c_next)); missing_gate_derivative:
    form f, i, o or c drops that gate's σ′ (tanh′ for c); missing_sigmoid_derivative drops σ′ of
    all three gates; double_tanh_candidate writes the candidate's derivative 1 − tanh²(c̃)."""
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, p = cache
    n_a = a_next.shape[0]
    bugs = _bugs(bug)
    tc = np.tanh(c_next)
    dc = dc_next + da_next * ot * (1.0 - tc ** 2)

    def slope(gate, value, tanh=False):
        if bugs.get("missing_gate_derivative") == gate or ("missing_sigmoid_derivative" in bugs and not tanh):
            return 1.0
        if tanh and "double_tanh_candidate" in bugs:
            return 1.0 - np.tanh(value) ** 2
        return 1.0 - value ** 2 if tanh else value * (1.0 - value)

    dot = da_next * tc * slope("o", ot)
    dcct = dc * it * slope("c", cct, tanh=True)
    dit = dc * cct * slope("i", it)
    dft = dc * c_prev * slope("f", ft)
    concat = np.concatenate([a_prev, xt], axis=0)
    grads = {}
    for gate, d in (("f", dft), ("i", dit), ("c", dcct), ("o", dot)):
        grads[f"dW{gate}"] = d @ concat.T
        grads[f"db{gate}"] = np.sum(d, axis=1) if "bias_grad_axis" in bugs else np.sum(d, axis=1, keepdims=True)
    W = {g: (grads[f"dW{g}"] if "weights_from_gradients" in bugs else p[f"W{g}"]) for g in "fico"}
    dconcat = W["f"].T @ dft + W["i"].T @ dit + W["c"].T @ dcct + W["o"].T @ dot
    grads["da_prev"], grads["dxt"] = dconcat[:n_a], dconcat[n_a:]
    gate = it if "gate_swapped_in_dc_prev" in bugs else ot
    grads["dc_prev"] = dc_next * ft + gate * (1.0 - tc ** 2) * ft * da_next
    return grads


def buggy_lstm_backward(da, caches, bug=None):
    """Through time: at step t the upstream gradients are da[:, :, t] + da_prevt and dc_prevt.
    no_bptt_carry: neither is carried (da0 is then step 0's da_prev); no_dh_accumulation: dc is
    carried, da_prevt is not added."""
    steps, x = caches
    n_a, m, T = da.shape
    bugs = _bugs(bug)
    dx = np.zeros(x.shape)
    sums = {f"{k}{g}": 0.0 for k in ("dW", "db") for g in "fico"}
    da_prevt, dc_prevt = np.zeros((n_a, m)), np.zeros((n_a, m))
    g = None
    for t in reversed(range(T)):
        if "no_bptt_carry" in bugs:
            g = buggy_lstm_cell_backward(da[:, :, t], np.zeros((n_a, m)), steps[t], bug)
        elif "no_dh_accumulation" in bugs:
            g = buggy_lstm_cell_backward(da[:, :, t], dc_prevt, steps[t], bug)
        else:
            g = buggy_lstm_cell_backward(da[:, :, t] + da_prevt, dc_prevt, steps[t], bug)
        dx[:, :, t] = g["dxt"]
        da_prevt, dc_prevt = g["da_prev"], g["dc_prev"]
        _accumulate(sums, g, bugs)
    return {"dx": dx, "da0": da_prevt, **sums}
