"""The LSTM of the contract with the named mistakes in the set ``bug`` made (empty: correct).

Equations (correct form; every weight acts on ``[h_prev; xt]``)::

    f = σ(Wf·[h;x] + bf),  i = σ(Wi·[h;x] + bi),  c̃ = tanh(Wc·[h;x] + bc),  o = σ(Wo·[h;x] + bo)
    c_next = f ⊙ c_prev + i ⊙ c̃,   h_next = o ⊙ tanh(c_next),   yt_pred = softmax(Wy·h_next + by)

A mistake in the forward pass also changes the backward functions: they return the exact gradient of
the buggy forward, as a student who makes the mistake consistently would. Shapes: xt ``(n_x, m)``,
x ``(n_x, m, T)``, h and c ``(n_h, m)``, W* ``(n_h, n_h + n_x)``, b* ``(n_h, 1)``.
"""
import numpy as np

# What a notebook's test cell leaves behind as globals (n_x = 3, n_h = 5, n_y = 2): the
# `uses_notebook_globals` variant reads these instead of `parameters`.
Wf = np.random.default_rng(101).standard_normal((5, 8))
bf = np.random.default_rng(102).standard_normal((5, 1))
Wi = np.random.default_rng(103).standard_normal((5, 8))
bi = np.random.default_rng(104).standard_normal((5, 1))
Wc = np.random.default_rng(105).standard_normal((5, 8))
bc = np.random.default_rng(106).standard_normal((5, 1))
Wo = np.random.default_rng(107).standard_normal((5, 8))
bo = np.random.default_rng(108).standard_normal((5, 1))
Wy = np.random.default_rng(109).standard_normal((2, 5))
by = np.random.default_rng(110).standard_normal((2, 1))

LSTM_GRADIENTS = ("dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo")


def _lstm_params(parameters, bug):
    """The weights the function works with: ``parameters``, or the notebook's globals."""
    if "uses_notebook_globals" in bug:
        return {"Wf": Wf, "bf": bf, "Wi": Wi, "bi": bi, "Wc": Wc, "bc": bc, "Wo": Wo, "bo": bo,
                "Wy": Wy, "by": by}
    return parameters


def _sigmoid(a):
    return 0.5 * (1.0 + np.tanh(0.5 * a))


def _softmax(z, bug):
    """Softmax over axis 0 (the classes); over axis 1 (the examples) for `softmax_axis`."""
    axis = 1 if "softmax_axis" in bug else 0
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _join(h, x, bug):
    """The concatenation every weight acts on: [h; x], or [x; h] for `concat_x_first`."""
    return np.vstack((x, h)) if "concat_x_first" in bug else np.vstack((h, x))


def _split(d, n_h, bug):
    """Undo :func:`_join` on a gradient: returns (the h part, the x part)."""
    if "concat_x_first" in bug:
        n_x = d.shape[0] - n_h
        return d[n_x:], d[:n_x]
    return d[:n_h], d[n_h:]


def _activation(gate, bug):
    """"sigmoid" or "tanh" for one of the gates f, i, c (the candidate c̃), o."""
    if gate == "c":
        return "sigmoid" if "candidate_sigmoid" in bug else "tanh"
    return "tanh" if "gate_activation_swapped:" + gate in bug else "sigmoid"


def _activate(name, a):
    return _sigmoid(a) if name == "sigmoid" else np.tanh(a)


def _gate_derivative(gate, value, name, bug):
    """d value / d pre-activation, written with the value (σ' = s(1 − s), tanh' = 1 − t²)."""
    if "missing_gate_derivative:" + gate in bug:
        return 1.0
    if "missing_sigmoid_derivative" in bug and name == "sigmoid":
        return 1.0
    if "double_tanh_candidate" in bug and gate == "c":
        return 1.0 - np.tanh(value) ** 2
    return value * (1.0 - value) if name == "sigmoid" else 1.0 - value * value


def _bias_sum(da, bug):
    """db = Σ over the examples of da, kept (n_h, 1); the `bias_grad_axis` forms get it wrong."""
    if "bias_grad_axis:no_keepdims" in bug:
        return np.sum(da, axis=1)
    if "bias_grad_axis:axis0" in bug:
        return np.sum(da, axis=0, keepdims=True)
    return np.sum(da, axis=1, keepdims=True)


def _lstm_gates(xt, h_prev, P, bug):
    """The concatenation and the activated gates {"f", "i", "c", "o"} of one step."""
    concat = _join(h_prev, xt, bug)
    gates = {}
    for gate in ("f", "i", "c", "o"):
        gates[gate] = _activate(_activation(gate, bug), P["W" + gate] @ concat + P["b" + gate])
    return concat, gates


def _squash_c(c, bug):
    """tanh(c) in h = o ⊙ tanh(c); c itself for `no_tanh_on_c`."""
    return c if "no_tanh_on_c" in bug else np.tanh(c)


def buggy_lstm_cell_forward(xt, h_prev, c_prev, parameters, bug=frozenset()):
    """One step: returns (h_next, c_next, yt_pred)."""
    P = _lstm_params(parameters, bug)
    _, G = _lstm_gates(xt, h_prev, P, bug)
    if "state_aliasing:shifted" in bug:
        c_next = c_prev  # the caller's array, updated in place below: the caller's state changes too
        c_next *= G["f"]
        c_next += G["i"] * G["c"]
    else:
        c_next = G["f"] * c_prev + G["i"] * G["c"]
    h_next = G["o"] * _squash_c(c_next, bug)
    yt_pred = _softmax(P["Wy"] @ h_next + P["by"], bug)
    return h_next, c_next, yt_pred


def buggy_lstm_cell_backward(dh_next, dc_next, xt, h_prev, c_prev, parameters, bug=frozenset()):
    """Gradients of one step for ∂L/∂h_next = dh_next, ∂L/∂c_next = dc_next.

    Equations: dc = dc_next + dh_next ⊙ o ⊙ tanh'(c_next); da_f = dc ⊙ c_prev ⊙ σ'(f),
    da_i = dc ⊙ c̃ ⊙ σ'(i), da_c = dc ⊙ i ⊙ tanh'(c̃), da_o = dh_next ⊙ tanh(c_next) ⊙ σ'(o);
    dW* = da_*·[h; x]ᵀ, db* = Σ_columns da_*, [dh_prev; dxt] = Σ W*ᵀ·da_*, dc_prev = dc ⊙ f.
    """
    P = _lstm_params(parameters, bug)
    n_h = h_prev.shape[0]
    concat, G = _lstm_gates(xt, h_prev, P, bug)
    f, i, g, o = G["f"], G["i"], G["c"], G["o"]
    tanh_c = _squash_c(f * c_prev + i * g, bug)
    dtanh_c = 1.0 if "no_tanh_on_c" in bug else 1.0 - tanh_c * tanh_c
    # `dc_missing_dh_path` leaves the path through h_next out of dc_prev only (form "dc_prev") or out
    # of dc itself, which then feeds every gate's gradient too (form "everywhere").
    dc = dc_next if "dc_missing_dh_path:everywhere" in bug else dc_next + dh_next * o * dtanh_c
    upstream = {"f": dc * c_prev, "i": dc * g, "c": dc * i, "o": dh_next * tanh_c}
    grads = {}
    dconcat = np.zeros_like(concat)
    for gate in ("f", "i", "c", "o"):
        da = upstream[gate] * _gate_derivative(gate, G[gate], _activation(gate, bug), bug)
        dW = da @ concat.T
        grads["dW" + gate] = dW
        grads["db" + gate] = _bias_sum(da, bug)
        W = dW if "weights_from_gradients" in bug else P["W" + gate]
        dconcat = dconcat + W.T @ da
    dh_prev, dxt = _split(dconcat, n_h, bug)
    dc_prev = dc_next * f if "dc_missing_dh_path:dc_prev" in bug else dc * f
    out = {"dxt": dxt, "dh_prev": dh_prev, "dc_prev": dc_prev}
    out.update({key: grads[key] for key in LSTM_GRADIENTS})
    return out


def buggy_lstm_forward(x, h0, parameters, bug=frozenset()):
    """The cell over a sequence from h0 and c0 = 0: returns (h, y, c), each ``(·, m, T)``."""
    n_x, m, T = x.shape
    n_h = h0.shape[0]
    n_y = _lstm_params(parameters, bug)["Wy"].shape[0]
    h = np.zeros((n_h, m, T))
    c = np.zeros((n_h, m, T))
    y = np.zeros((n_y, m, T))
    h_prev = np.zeros_like(h0) if "h0_zeros" in bug else h0
    c_prev = np.zeros((n_h, m))
    for t in range(T):
        h_prev, c_next, y[:, :, t] = buggy_lstm_cell_forward(x[:, :, t], h_prev, c_prev, parameters, bug)
        h[:, :, t] = h_prev
        c[:, :, t] = c_next
        c_prev = c[:, :, t]  # a view into the output: harmless unless the cell updates c_prev in place
    if "state_aliasing:last" in bug:  # one array updated in place and stored at every step: all show the last
        c[:, :, :] = c[:, :, -1:]
    return h, y, c


def buggy_lstm_backward(dh, x, h0, parameters, bug=frozenset()):
    """Back-propagation through time over the student's own forward pass (c0 = 0).

    For t = T−1 … 0: the step gets dh[:, :, t] + dh_prev and dc_prev of step t + 1; dW* and db* are
    summed over the steps.
    """
    h, _, c = buggy_lstm_forward(x, h0, parameters, bug)
    n_x, m, T = x.shape
    n_h = h.shape[0]
    dx = np.zeros((n_x, m, T))
    grads = {}
    dh_later = np.zeros((n_h, m))
    dc_later = np.zeros((n_h, m))
    first_h = np.zeros_like(h0) if "h0_zeros" in bug or "h0_zeros:backward" in bug else h0
    for t in range(T - 1, -1, -1):
        h_prev = h[:, :, t - 1] if t > 0 else first_h
        c_prev = c[:, :, t - 1] if t > 0 else np.zeros((n_h, m))
        if ("no_dh_accumulation" in bug or "no_bptt_carry" in bug):
            dh_t = dh[:, :, t]
        else:
            dh_t = dh[:, :, t] + dh_later
        dc_t = np.zeros((n_h, m)) if ("no_dc_carry" in bug or "no_bptt_carry" in bug) else dc_later
        step = buggy_lstm_cell_backward(dh_t, dc_t, x[:, :, t], h_prev, c_prev, parameters, bug)
        dx[:, :, t] = step["dxt"]
        for key in LSTM_GRADIENTS:
            if key not in grads or "overwrite_param_grads" in bug:
                grads[key] = step[key]
            else:
                grads[key] = grads[key] + step[key]
        dh_later, dc_later = step["dh_prev"], step["dc_prev"]
    out = {"dx": dx, "dh0": dh_later}
    out.update(grads)
    return out
