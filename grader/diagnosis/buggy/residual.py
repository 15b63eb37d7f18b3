"""The residual RNN of exercise 6-3 and gradient clipping, with the named mistakes in the set ``bug`` made.

Equations (correct form)::

    h_t = h_{t−1} + tanh(U·h_{t−1} + W·x_t + b)
    J[k] = ∂h_t/∂h_{t−1} (example k) = I + diag(1 − tanh²(z[:, k]))·U
    global_norm = sqrt(Σ_k ‖grads[k]‖²),  clipped[k] = grads[k]·max_norm/global_norm if global_norm > max_norm

Shapes: x ``(n_x, m, T)``, xt ``(n_x, m)``, h ``(n_h, m)``, U ``(n_h, n_h)``, W ``(n_h, n_x)``, b ``(n_h, 1)``.
"""
import numpy as np

# What a notebook's test cell leaves behind as globals (n_x = 3, n_h = 5): the
# `uses_notebook_globals` variant reads these instead of `parameters`.
U = np.random.default_rng(301).standard_normal((5, 5)) / np.sqrt(5.0)
W = np.random.default_rng(302).standard_normal((5, 3)) / np.sqrt(3.0)
b = np.random.default_rng(303).standard_normal((5, 1))


def _residual_params(parameters, bug):
    """(U, W, b) from ``parameters``, or the notebook's globals."""
    if "uses_notebook_globals" in bug:
        return U, W, b
    return parameters["U"], parameters["W"], parameters["b"]


def _residual_bias_sum(dz, bug):
    """db = Σ over the examples of dz, kept (n_h, 1); the `bias_grad_axis` forms get it wrong."""
    if "bias_grad_axis:no_keepdims" in bug:
        return np.sum(dz, axis=1)
    if "bias_grad_axis:axis0" in bug:
        return np.sum(dz, axis=0, keepdims=True)
    return np.sum(dz, axis=1, keepdims=True)


def buggy_residual_rnn_forward(x, h0, parameters, bug=frozenset()):
    """h ``(n_h, m, T)`` with h[:, :, t] = h_t."""
    U_, W_, b_ = _residual_params(parameters, bug)
    n_x, m, T = x.shape
    h = np.zeros((h0.shape[0], m, T))
    h_prev = np.zeros_like(h0) if "h0_zeros" in bug else h0
    for t in range(T):
        if "state_aliasing:shifted" in bug and t > 0:
            h_prev = h[:, :, t - 1]  # a view into the output, updated in place: slot t − 1 shows h_t
            h_prev += np.tanh(U_ @ h_prev + W_ @ x[:, :, t] + b_)
        elif "residual_missing_identity" in bug or "residual_missing_identity:everywhere" in bug:
            h_prev = np.tanh(U_ @ h_prev + W_ @ x[:, :, t] + b_)  # no skip connection: a plain RNN
        else:
            h_prev = h_prev + np.tanh(U_ @ h_prev + W_ @ x[:, :, t] + b_)
        h[:, :, t] = h_prev
    if "state_aliasing:last" in bug:  # one array updated in place and stored at every step: all show the last
        h[:, :, :] = h[:, :, -1:]
    return h


def buggy_residual_rnn_backward(dh, x, h0, parameters, bug=frozenset()):
    """Back-propagation through time: dz_t = dh_t ⊙ (1 − tanh²), dh_{t−1} = dh_t + Uᵀ·dz_t."""
    U_, W_, b_ = _residual_params(parameters, bug)
    h = buggy_residual_rnn_forward(x, h0, parameters, bug)
    n_x, m, T = x.shape
    n_h = h.shape[0]
    dx = np.zeros((n_x, m, T))
    grads = {}
    dh_later = np.zeros((n_h, m))
    first_h = np.zeros_like(h0) if "h0_zeros" in bug or "h0_zeros:backward" in bug else h0
    for t in range(T - 1, -1, -1):
        h_prev = h[:, :, t - 1] if t > 0 else first_h
        a = np.tanh(U_ @ h_prev + W_ @ x[:, :, t] + b_)
        dh_t = dh[:, :, t] if "no_dh_accumulation" in bug else dh[:, :, t] + dh_later
        dz = dh_t * (1.0 - a * a)
        step = {"dU": dz @ h_prev.T, "dW": dz @ x[:, :, t].T, "db": _residual_bias_sum(dz, bug)}
        for key in ("dU", "dW", "db"):
            if key not in grads or "overwrite_param_grads" in bug:
                grads[key] = step[key]
            else:
                grads[key] = grads[key] + step[key]
        # weights_from_gradients: the gradients summed so far stand where the weights belong
        W_in, U_in = (grads["dW"], grads["dU"]) if "weights_from_gradients" in bug else (W_, U_)
        dx[:, :, t] = W_in.T @ dz
        # residual_missing_identity: the carry lacks the identity, with the forward right ("carry") or
        # without the skip connection too ("everywhere", the exact gradient of a plain RNN)
        no_identity = "residual_missing_identity:carry" in bug or "residual_missing_identity:everywhere" in bug
        dh_later = U_in.T @ dz if no_identity else dh_t + U_in.T @ dz
    return {"dx": dx, "dh0": dh_later, "dU": grads["dU"], "dW": grads["dW"], "db": grads["db"]}


def buggy_residual_rnn_step_jacobian(xt, h_prev, parameters, bug=frozenset()):
    """J ``(m, n_h, n_h)``, J[k] = I + diag(1 − tanh²(z[:, k]))·U."""
    U_, W_, b_ = _residual_params(parameters, bug)
    a = np.tanh(U_ @ h_prev + W_ @ xt + b_)
    J = (1.0 - a * a).T[:, :, None] * U_[None, :, :]
    if "residual_missing_identity" not in bug:
        J = J + np.eye(U_.shape[0])
    return J


def buggy_clip_by_global_norm(grads, max_norm, bug=frozenset()):
    """(clipped, global_norm); `clip_per_tensor` scales each array by its own norm instead."""
    global_norm = float(np.sqrt(sum(float(np.sum(g * g)) for g in grads.values())))
    clipped = {}
    for name, g in grads.items():
        norm = float(np.sqrt(np.sum(g * g))) if "clip_per_tensor" in bug else global_norm
        clipped[name] = g * (max_norm / norm) if norm > max_norm else g * 1.0
    return clipped, global_norm
