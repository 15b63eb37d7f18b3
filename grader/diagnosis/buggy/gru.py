"""The GRU of the contract (NNDL: reset before the product) with the named mistakes in the set ``bug`` made.

Equations (correct form; every weight acts on a concatenation with h first)::

    z = σ(Wz·[h;x] + bz),   r = σ(Wr·[h;x] + br),   h̃ = tanh(Wh·[r ⊙ h; x] + bh)
    h_next = z ⊙ h_prev + (1 − z) ⊙ h̃,   yt_pred = softmax(Wy·h_next + by)

`gru_reset_after` computes h̃ = tanh(Wh_x·x + r ⊙ (Wh_h·h) + bh) (PyTorch's form), with Wh_h, Wh_x the
h- and x-columns of Wh. A mistake in the forward pass also changes the backward functions: they return
the exact gradient of the buggy forward. Shapes: xt ``(n_x, m)``, x ``(n_x, m, T)``, h ``(n_h, m)``,
W* ``(n_h, n_h + n_x)``, b* ``(n_h, 1)``.
"""
import numpy as np

# What a notebook's test cell leaves behind as globals (n_x = 3, n_h = 5, n_y = 2): the
# `uses_notebook_globals` variant reads these instead of `parameters`.
Wz = np.random.default_rng(201).standard_normal((5, 8))
bz = np.random.default_rng(202).standard_normal((5, 1))
Wr = np.random.default_rng(203).standard_normal((5, 8))
br = np.random.default_rng(204).standard_normal((5, 1))
Wh = np.random.default_rng(205).standard_normal((5, 8))
bh = np.random.default_rng(206).standard_normal((5, 1))
Wy = np.random.default_rng(109).standard_normal((2, 5))  # the same output layer as the LSTM's
by = np.random.default_rng(110).standard_normal((2, 1))

GRU_GRADIENTS = ("dWz", "dbz", "dWr", "dbr", "dWh", "dbh")


def _gru_params(parameters, bug):
    """The weights the function works with: ``parameters``, or the notebook's globals."""
    if "uses_notebook_globals" in bug:
        return {"Wz": Wz, "bz": bz, "Wr": Wr, "br": br, "Wh": Wh, "bh": bh, "Wy": Wy, "by": by}
    return parameters


def _sigmoid(a):
    return 0.5 * (1.0 + np.tanh(0.5 * a))


def _gru_softmax(z, bug):
    """Softmax over axis 0 (the classes); over axis 1 (the examples) for `softmax_axis`."""
    axis = 1 if "softmax_axis" in bug else 0
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _gru_join(h, x, bug):
    """[h; x], or [x; h] for `concat_x_first`."""
    return np.vstack((x, h)) if "concat_x_first" in bug else np.vstack((h, x))


def _gru_split(d, n_h, bug):
    """Undo :func:`_gru_join` on a gradient (rows) or a weight (columns, pass ``W.T``): (h part, x part)."""
    if "concat_x_first" in bug:
        n_x = d.shape[0] - n_h
        return d[n_x:], d[:n_x]
    return d[:n_h], d[n_h:]


def _gru_activation(gate, bug):
    """"sigmoid" or "tanh" for the update gate z, the reset gate r or the candidate h."""
    if gate == "h":
        return "sigmoid" if "candidate_sigmoid" in bug else "tanh"
    return "tanh" if "gate_activation_swapped:" + gate in bug else "sigmoid"


def _gru_activate(name, a):
    return _sigmoid(a) if name == "sigmoid" else np.tanh(a)


def _gru_gate_derivative(gate, value, name, bug):
    """d value / d pre-activation, written with the value (σ' = s(1 − s), tanh' = 1 − t²)."""
    if "missing_gate_derivative:" + gate in bug:
        return 1.0
    if "missing_sigmoid_derivative" in bug and name == "sigmoid":
        return 1.0
    if "double_tanh_candidate" in bug and gate == "h":
        return 1.0 - np.tanh(value) ** 2
    return value * (1.0 - value) if name == "sigmoid" else 1.0 - value * value


def _gru_bias_sum(da, bug):
    """db = Σ over the examples of da, kept (n_h, 1); the `bias_grad_axis` forms get it wrong."""
    if "bias_grad_axis:no_keepdims" in bug:
        return np.sum(da, axis=1)
    if "bias_grad_axis:axis0" in bug:
        return np.sum(da, axis=0, keepdims=True)
    return np.sum(da, axis=1, keepdims=True)


def _gru_gates(xt, h_prev, P, bug):
    """One step's concatenation and activated gates {"z", "r", "h"} (h is the candidate h̃)."""
    n_h = h_prev.shape[0]
    concat = _gru_join(h_prev, xt, bug)
    z = _gru_activate(_gru_activation("z", bug), P["Wz"] @ concat + P["bz"])
    r = _gru_activate(_gru_activation("r", bug), P["Wr"] @ concat + P["br"])
    if "gru_reset_after" in bug:
        Wh_h, Wh_x = (w.T for w in _gru_split(P["Wh"].T, n_h, bug))
        a_h = Wh_x @ xt + r * (Wh_h @ h_prev) + P["bh"]
    else:
        a_h = P["Wh"] @ _gru_join(r * h_prev, xt, bug) + P["bh"]
    return concat, {"z": z, "r": r, "h": _gru_activate(_gru_activation("h", bug), a_h)}


def _keep(z, bug):
    """The share of h_prev kept in h_next: z, or 1 − z for `gru_z_swapped`."""
    return 1.0 - z if "gru_z_swapped" in bug else z


def buggy_gru_cell_forward(xt, h_prev, parameters, bug=frozenset()):
    """One step: returns (h_next, yt_pred)."""
    P = _gru_params(parameters, bug)
    _, G = _gru_gates(xt, h_prev, P, bug)
    keep = _keep(G["z"], bug)
    if "state_aliasing:shifted" in bug:
        h_next = h_prev  # the caller's array, updated in place below: the caller's state changes too
        h_next *= keep
        h_next += (1.0 - keep) * G["h"]
    else:
        h_next = keep * h_prev + (1.0 - keep) * G["h"]
    return h_next, _gru_softmax(P["Wy"] @ h_next + P["by"], bug)


def buggy_gru_cell_backward(dh_next, xt, h_prev, parameters, bug=frozenset()):
    """Gradients of one step for ∂L/∂h_next = dh_next.

    Equations: da_z = dh ⊙ (h_prev − h̃) ⊙ σ'(z), da_h = dh ⊙ (1 − z) ⊙ tanh'(h̃),
    [d(r⊙h); dx_h] = Whᵀ·da_h, da_r = d(r⊙h) ⊙ h_prev ⊙ σ'(r),
    dh_prev = dh ⊙ z + d(r⊙h) ⊙ r + (Wzᵀ·da_z + Wrᵀ·da_r)[h part], dW* = da_*·(its input)ᵀ.
    """
    P = _gru_params(parameters, bug)
    n_h = h_prev.shape[0]
    concat, G = _gru_gates(xt, h_prev, P, bug)
    z, r, cand = G["z"], G["r"], G["h"]
    keep = _keep(z, bug)
    dkeep = dh_next * (h_prev - cand)
    dz = -dkeep if "gru_z_swapped" in bug else dkeep
    da_z = dz * _gru_gate_derivative("z", z, _gru_activation("z", bug), bug)
    da_h = dh_next * (1.0 - keep) * _gru_gate_derivative("h", cand, _gru_activation("h", bug), bug)
    if "gru_reset_after" in bug:
        Wh_h, Wh_x = (w.T for w in _gru_split(P["Wh"].T, n_h, bug))
        d_inner = da_h * r  # gradient of Wh_h·h_prev
        dWh_h, dWh_x = d_inner @ h_prev.T, da_h @ xt.T
        dWh = _gru_join(dWh_h.T, dWh_x.T, bug).T
        if "weights_from_gradients" in bug:
            Wh_h, Wh_x = dWh_h, dWh_x
        da_r_up = da_h * (Wh_h @ h_prev)
        dh_prev = dh_next * keep + Wh_h.T @ d_inner
        dxt = Wh_x.T @ da_h
    else:
        dWh = da_h @ _gru_join(r * h_prev, xt, bug).T
        W = dWh if "weights_from_gradients" in bug else P["Wh"]
        d_rh, dxt = _gru_split(W.T @ da_h, n_h, bug)
        da_r_up = d_rh * h_prev
        dh_prev = dh_next * keep + d_rh * r
    da_r = da_r_up * _gru_gate_derivative("r", r, _gru_activation("r", bug), bug)
    grads = {"dWh": dWh, "dbh": _gru_bias_sum(da_h, bug)}
    for gate, da in (("z", da_z), ("r", da_r)):
        dW = da @ concat.T
        grads["dW" + gate] = dW
        grads["db" + gate] = _gru_bias_sum(da, bug)
        W = dW if "weights_from_gradients" in bug else P["W" + gate]
        d_h, d_x = _gru_split(W.T @ da, n_h, bug)
        dh_prev = dh_prev + d_h
        dxt = dxt + d_x
    out = {"dxt": dxt, "dh_prev": dh_prev}
    out.update({key: grads[key] for key in GRU_GRADIENTS})
    return out


def buggy_gru_forward(x, h0, parameters, bug=frozenset()):
    """The cell over a sequence from h0: returns (h, y), each ``(·, m, T)``."""
    n_x, m, T = x.shape
    n_h = h0.shape[0]
    n_y = _gru_params(parameters, bug)["Wy"].shape[0]
    h = np.zeros((n_h, m, T))
    y = np.zeros((n_y, m, T))
    h_prev = np.zeros_like(h0) if "h0_zeros" in bug else h0
    for t in range(T):
        h_next, y[:, :, t] = buggy_gru_cell_forward(x[:, :, t], h_prev, parameters, bug)
        h[:, :, t] = h_next
        h_prev = h[:, :, t]  # a view into the output: harmless unless the cell updates h_prev in place
    if "state_aliasing:last" in bug:  # one array updated in place and stored at every step: all show the last
        h[:, :, :] = h[:, :, -1:]
    return h, y


def buggy_gru_backward(dh, x, h0, parameters, bug=frozenset()):
    """Back-propagation through time over the student's own forward pass.

    For t = T−1 … 0: the step gets dh[:, :, t] + dh_prev of step t + 1; dW* and db* are summed over
    the steps.
    """
    h, _ = buggy_gru_forward(x, h0, parameters, bug)
    n_x, m, T = x.shape
    n_h = h.shape[0]
    dx = np.zeros((n_x, m, T))
    grads = {}
    dh_later = np.zeros((n_h, m))
    first_h = np.zeros_like(h0) if "h0_zeros" in bug or "h0_zeros:backward" in bug else h0
    for t in range(T - 1, -1, -1):
        h_prev = h[:, :, t - 1] if t > 0 else first_h
        dh_t = dh[:, :, t] if "no_dh_accumulation" in bug else dh[:, :, t] + dh_later
        step = buggy_gru_cell_backward(dh_t, x[:, :, t], h_prev, parameters, bug)
        dx[:, :, t] = step["dxt"]
        for key in GRU_GRADIENTS:
            if key not in grads or "overwrite_param_grads" in bug:
                grads[key] = step[key]
            else:
                grads[key] = grads[key] + step[key]
        dh_later = step["dh_prev"]
    out = {"dx": dx, "dh0": dh_later}
    out.update(grads)
    return out
