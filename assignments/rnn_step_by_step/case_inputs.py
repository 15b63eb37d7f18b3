"""Input generators of rnn-step-by-step, named in spec.toml as ``case_inputs:<function>``.

A generator is ``f(shape, rng) -> tuple`` of positional arguments. ``shape`` holds ``n_x`` (input
size), ``n_a`` (hidden size), ``n_y`` (output size), ``m`` (examples, the columns), ``T`` (steps,
sequences only) and optionally ``scale`` (a factor on the recurrent weights and biases: 30 saturates
tanh and the gates). A backward's ``cache``/``caches`` is made by the student's own forward (and by the
answer key's), so its generator returns, in that argument's place, the forward's inputs in the
forward's parameter order: ``(da_next, xt, a_prev, parameters)`` for ``rnn_cell_backward(da_next, cache)``.

Every array is fresh float64; biases are away from zero (a zero bias hides a doubled-bias bug);
weights are N(0, 1/fan_in)·scale so that pre-activations are O(1) at scale 1.
"""
import numpy as np


def _sizes(shape, name, keys):
    missing = [k for k in keys if k not in shape]
    if missing:
        raise ValueError(f"generator {name!r} needs shape keys {', '.join(keys)}; missing {', '.join(missing)}")
    values = [shape[k] for k in keys]
    if any(isinstance(v, bool) or int(v) != v or v < 1 for v in values):
        raise ValueError(f"generator {name!r}: {', '.join(keys)} must be positive integers, got {dict(shape)}")
    return [int(v) for v in values]


def _weight(rng, rows, cols, scale):
    return rng.standard_normal((rows, cols)) * (scale / np.sqrt(cols))


def _bias(rng, rows, scale):
    magnitude = rng.uniform(0.1, 0.6, size=(rows, 1))
    return np.where(rng.random((rows, 1)) < 0.5, -magnitude, magnitude) * scale


def rnn_parameters(rng, n_x, n_a, n_y, scale=1.0):
    """``Wax (n_a, n_x)``, ``Waa (n_a, n_a)``, ``Wya (n_y, n_a)``, ``ba (n_a, 1)``, ``by (n_y, 1)``."""
    return {"Wax": _weight(rng, n_a, n_x, scale), "Waa": _weight(rng, n_a, n_a, scale),
            "Wya": _weight(rng, n_y, n_a, 1.0), "ba": _bias(rng, n_a, scale), "by": _bias(rng, n_y, 1.0)}


def lstm_parameters(rng, n_x, n_a, n_y, scale=1.0):
    """``W<g> (n_a, n_a + n_x)``, ``b<g> (n_a, 1)`` for g in f, i, c, o; ``Wy (n_y, n_a)``, ``by (n_y, 1)``."""
    params = {}
    for gate in "fico":
        params["W" + gate] = _weight(rng, n_a, n_a + n_x, scale)
        params["b" + gate] = _bias(rng, n_a, scale)
    params["Wy"] = _weight(rng, n_y, n_a, 1.0)
    params["by"] = _bias(rng, n_y, 1.0)
    return params


def _scale(shape):
    return float(shape.get("scale", 1.0))


def rnn_cell_forward(shape, rng):
    """``(xt (n_x, m), a_prev (n_a, m), parameters)``."""
    n_x, n_a, n_y, m = _sizes(shape, "rnn_cell_forward", ("n_x", "n_a", "n_y", "m"))
    xt, a_prev = rng.standard_normal((n_x, m)), np.tanh(rng.standard_normal((n_a, m)))
    return xt, a_prev, rnn_parameters(rng, n_x, n_a, n_y, _scale(shape))


def rnn_forward(shape, rng):
    """``(x (n_x, m, T), a0 (n_a, m), parameters)``."""
    n_x, n_a, n_y, m, T = _sizes(shape, "rnn_forward", ("n_x", "n_a", "n_y", "m", "T"))
    x, a0 = rng.standard_normal((n_x, m, T)), np.tanh(rng.standard_normal((n_a, m)))
    return x, a0, rnn_parameters(rng, n_x, n_a, n_y, _scale(shape))


def lstm_cell_forward(shape, rng):
    """``(xt (n_x, m), a_prev (n_a, m), c_prev (n_a, m), parameters)``."""
    n_x, n_a, n_y, m = _sizes(shape, "lstm_cell_forward", ("n_x", "n_a", "n_y", "m"))
    xt, a_prev = rng.standard_normal((n_x, m)), np.tanh(rng.standard_normal((n_a, m)))
    c_prev = rng.standard_normal((n_a, m))
    return xt, a_prev, c_prev, lstm_parameters(rng, n_x, n_a, n_y, _scale(shape))


def lstm_forward(shape, rng):
    """``(x (n_x, m, T), a0 (n_a, m), parameters)``."""
    n_x, n_a, n_y, m, T = _sizes(shape, "lstm_forward", ("n_x", "n_a", "n_y", "m", "T"))
    x, a0 = rng.standard_normal((n_x, m, T)), np.tanh(rng.standard_normal((n_a, m)))
    return x, a0, lstm_parameters(rng, n_x, n_a, n_y, _scale(shape))


def rnn_cell_backward(shape, rng):
    """``(da_next (n_a, m), xt, a_prev, parameters)``: the cache's forward inputs in its place."""
    n_a, m = _sizes(shape, "rnn_cell_backward", ("n_a", "m"))
    da_next = rng.standard_normal((n_a, m))
    return (da_next, *rnn_cell_forward(shape, rng))


def rnn_backward(shape, rng):
    """``(da (n_a, m, T), x, a0, parameters)``: the caches' forward inputs in their place."""
    n_a, m, T = _sizes(shape, "rnn_backward", ("n_a", "m", "T"))
    da = rng.standard_normal((n_a, m, T))
    return (da, *rnn_forward(shape, rng))


def lstm_cell_backward(shape, rng):
    """``(da_next (n_a, m), dc_next (n_a, m), xt, a_prev, c_prev, parameters)``."""
    n_a, m = _sizes(shape, "lstm_cell_backward", ("n_a", "m"))
    da_next, dc_next = rng.standard_normal((n_a, m)), rng.standard_normal((n_a, m))
    return (da_next, dc_next, *lstm_cell_forward(shape, rng))


def lstm_backward(shape, rng):
    """``(da (n_a, m, T), x, a0, parameters)``: the caches' forward inputs in their place."""
    n_a, m, T = _sizes(shape, "lstm_backward", ("n_a", "m", "T"))
    da = rng.standard_normal((n_a, m, T))
    return (da, *lstm_forward(shape, rng))
