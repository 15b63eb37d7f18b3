"""Built-in input generators, one per graded function and named like it.

A generator is ``f(shape, rng) -> tuple`` of positional arguments in the function's signature order.
``shape`` holds ``n_x`` (input size), ``n_h`` (hidden size), ``n_y`` (output size, LSTM/GRU only),
``m`` (examples, the columns), ``T`` (steps, sequence functions only), and optionally ``scale`` (a
factor on the gate weights and biases: 30 saturates the gates) and ``label`` (ignored here).

Every array is a fresh float64 array; biases are non-zero (a zero bias hides a doubled-bias bug);
upstream gradients (``dh_next``, ``dc_next``, ``dh``) come first, as the backward signatures order them.
Weights are N(0, 1/fan_in)·scale so that pre-activations are O(1) at scale 1.
"""
from __future__ import annotations

from typing import Callable, Mapping

import numpy as np

LSTM_GATES = ("f", "i", "c", "o")
GRU_GATES = ("z", "r", "h")


def _need(shape: Mapping, name: str, *keys: str) -> list[int]:
    missing = [k for k in keys if k not in shape]
    if missing:
        raise ValueError(
            f"generator {name!r} needs shape keys {', '.join(keys)}; missing {', '.join(missing)} in {dict(shape)}"
        )
    values = [shape[k] for k in keys]
    if any(not isinstance(v, int) or isinstance(v, bool) or v < 1 for v in values):
        raise ValueError(f"generator {name!r}: {', '.join(keys)} must be positive integers, got {dict(shape)}")
    return values


def _weight(rng: np.random.Generator, rows: int, cols: int, scale: float) -> np.ndarray:
    return rng.standard_normal((rows, cols)) * (scale / np.sqrt(cols))


def _bias(rng: np.random.Generator, rows: int, scale: float) -> np.ndarray:
    # Uniform away from zero in magnitude: |b| in [0.1, 0.6]·scale, random sign.
    magnitude = rng.uniform(0.1, 0.6, size=(rows, 1))
    return np.where(rng.random((rows, 1)) < 0.5, -magnitude, magnitude) * scale


def _gated_parameters(rng, gates, n_x, n_h, n_y, scale) -> dict[str, np.ndarray]:
    """``W<g> (n_h, n_h + n_x)``, ``b<g> (n_h, 1)`` per gate, then ``Wy (n_y, n_h)``, ``by (n_y, 1)``."""
    params: dict[str, np.ndarray] = {}
    for g in gates:
        params[f"W{g}"] = _weight(rng, n_h, n_h + n_x, scale)
        params[f"b{g}"] = _bias(rng, n_h, scale)
    params["Wy"] = _weight(rng, n_y, n_h, 1.0)
    params["by"] = _bias(rng, n_y, 1.0)
    return params


def _residual_parameters(rng, n_x, n_h, scale) -> dict[str, np.ndarray]:
    """``U (n_h, n_h)``, ``W (n_h, n_x)``, ``b (n_h, 1)``."""
    return {"U": _weight(rng, n_h, n_h, scale), "W": _weight(rng, n_h, n_x, scale), "b": _bias(rng, n_h, scale)}


def _scale(shape: Mapping) -> float:
    return float(shape.get("scale", 1.0))


# ------------------------------------------------------------------------------------------- LSTM


def lstm_cell_forward(shape: Mapping, rng: np.random.Generator) -> tuple:
    """``(xt (n_x, m), h_prev (n_h, m), c_prev (n_h, m), parameters)``."""
    n_x, n_h, n_y, m = _need(shape, "lstm_cell_forward", "n_x", "n_h", "n_y", "m")
    xt = rng.standard_normal((n_x, m))
    h_prev = np.tanh(rng.standard_normal((n_h, m)))
    c_prev = rng.standard_normal((n_h, m))
    return xt, h_prev, c_prev, _gated_parameters(rng, LSTM_GATES, n_x, n_h, n_y, _scale(shape))


def lstm_cell_backward(shape: Mapping, rng: np.random.Generator) -> tuple:
    """``(dh_next (n_h, m), dc_next (n_h, m), xt, h_prev, c_prev, parameters)``."""
    n_h, m = _need(shape, "lstm_cell_backward", "n_h", "m")
    dh_next = rng.standard_normal((n_h, m))
    dc_next = rng.standard_normal((n_h, m))
    return (dh_next, dc_next) + lstm_cell_forward(shape, rng)


def lstm_forward(shape: Mapping, rng: np.random.Generator) -> tuple:
    """``(x (n_x, m, T), h0 (n_h, m), parameters)``."""
    n_x, n_h, n_y, m, T = _need(shape, "lstm_forward", "n_x", "n_h", "n_y", "m", "T")
    x = rng.standard_normal((n_x, m, T))
    h0 = np.tanh(rng.standard_normal((n_h, m)))
    return x, h0, _gated_parameters(rng, LSTM_GATES, n_x, n_h, n_y, _scale(shape))


def lstm_backward(shape: Mapping, rng: np.random.Generator) -> tuple:
    """``(dh (n_h, m, T), x, h0, parameters)``."""
    n_h, m, T = _need(shape, "lstm_backward", "n_h", "m", "T")
    dh = rng.standard_normal((n_h, m, T))
    return (dh,) + lstm_forward(shape, rng)


# -------------------------------------------------------------------------------------------- GRU


def gru_cell_forward(shape: Mapping, rng: np.random.Generator) -> tuple:
    """``(xt (n_x, m), h_prev (n_h, m), parameters)``."""
    n_x, n_h, n_y, m = _need(shape, "gru_cell_forward", "n_x", "n_h", "n_y", "m")
    xt = rng.standard_normal((n_x, m))
    h_prev = np.tanh(rng.standard_normal((n_h, m)))
    return xt, h_prev, _gated_parameters(rng, GRU_GATES, n_x, n_h, n_y, _scale(shape))


def gru_cell_backward(shape: Mapping, rng: np.random.Generator) -> tuple:
    """``(dh_next (n_h, m), xt, h_prev, parameters)``."""
    n_h, m = _need(shape, "gru_cell_backward", "n_h", "m")
    dh_next = rng.standard_normal((n_h, m))
    return (dh_next,) + gru_cell_forward(shape, rng)


def gru_forward(shape: Mapping, rng: np.random.Generator) -> tuple:
    """``(x (n_x, m, T), h0 (n_h, m), parameters)``."""
    n_x, n_h, n_y, m, T = _need(shape, "gru_forward", "n_x", "n_h", "n_y", "m", "T")
    x = rng.standard_normal((n_x, m, T))
    h0 = np.tanh(rng.standard_normal((n_h, m)))
    return x, h0, _gated_parameters(rng, GRU_GATES, n_x, n_h, n_y, _scale(shape))


def gru_backward(shape: Mapping, rng: np.random.Generator) -> tuple:
    """``(dh (n_h, m, T), x, h0, parameters)``."""
    n_h, m, T = _need(shape, "gru_backward", "n_h", "m", "T")
    dh = rng.standard_normal((n_h, m, T))
    return (dh,) + gru_forward(shape, rng)


# ----------------------------------------------------------------------------------- residual RNN


def residual_rnn_forward(shape: Mapping, rng: np.random.Generator) -> tuple:
    """``(x (n_x, m, T), h0 (n_h, m), parameters)`` with ``U, W, b``."""
    n_x, n_h, m, T = _need(shape, "residual_rnn_forward", "n_x", "n_h", "m", "T")
    x = rng.standard_normal((n_x, m, T))
    h0 = rng.standard_normal((n_h, m))
    return x, h0, _residual_parameters(rng, n_x, n_h, _scale(shape))


def residual_rnn_backward(shape: Mapping, rng: np.random.Generator) -> tuple:
    """``(dh (n_h, m, T), x, h0, parameters)``."""
    n_h, m, T = _need(shape, "residual_rnn_backward", "n_h", "m", "T")
    dh = rng.standard_normal((n_h, m, T))
    return (dh,) + residual_rnn_forward(shape, rng)


def residual_rnn_step_jacobian(shape: Mapping, rng: np.random.Generator) -> tuple:
    """``(xt (n_x, m), h_prev (n_h, m), parameters)``."""
    n_x, n_h, m = _need(shape, "residual_rnn_step_jacobian", "n_x", "n_h", "m")
    xt = rng.standard_normal((n_x, m))
    h_prev = rng.standard_normal((n_h, m))
    return xt, h_prev, _residual_parameters(rng, n_x, n_h, _scale(shape))


# ------------------------------------------------------------------------------------------ clipping

# Gradient names and shapes (in terms of n_x, n_h, m) the clipping generator draws from.
_CLIP_TENSORS = (
    ("dWf", lambda n_x, n_h: (n_h, n_h + n_x)),
    ("dbf", lambda n_x, n_h: (n_h, 1)),
    ("dWy", lambda n_x, n_h: (n_x, n_h)),
    ("dh0", lambda n_x, n_h: (n_h, 3)),
    ("dx", lambda n_x, n_h: (n_x, 2, 3)),
    ("dU", lambda n_x, n_h: (n_h, n_h)),
)


def clip_by_global_norm(shape: Mapping, rng: np.random.Generator) -> tuple:
    """``(grads, max_norm)``: a dict of 2–5 arrays of various shapes and a float threshold.

    ``max_norm`` = global_norm · u with u ∈ [0.2, 0.9] or [1.1, 3.0] by a fair coin, so about half of
    the cases clip and none sits on the boundary. Optional shape keys: ``clip = true/false`` forces
    either side; ``zero_grads = true`` makes every array zero (global norm 0: nothing to divide by).
    ``n_x``/``n_h`` size the arrays (defaults 3 and 4); ``scale`` multiplies them (large gradients).
    """
    n_x = int(shape.get("n_x", 3))
    n_h = int(shape.get("n_h", 4))
    count = int(rng.integers(2, 6))
    chosen = sorted(rng.choice(len(_CLIP_TENSORS), size=count, replace=False))
    grads = {}
    for idx in chosen:
        name, dims = _CLIP_TENSORS[idx]
        grads[name] = rng.standard_normal(dims(n_x, n_h)) * (rng.uniform(0.5, 5.0) * _scale(shape))
    if shape.get("zero_grads"):
        grads = {k: np.zeros_like(v) for k, v in grads.items()}
        return grads, float(rng.uniform(0.5, 5.0))
    global_norm = float(np.sqrt(sum(float(np.sum(g * g)) for g in grads.values())))
    clip = shape.get("clip")
    if clip is None:
        clip = bool(rng.random() < 0.5)
    factor = rng.uniform(0.2, 0.9) if clip else rng.uniform(1.1, 3.0)
    return grads, float(global_norm * factor)


GENERATORS: dict[str, Callable[[Mapping, np.random.Generator], tuple]] = {
    f.__name__: f
    for f in (
        lstm_cell_forward,
        lstm_cell_backward,
        lstm_forward,
        lstm_backward,
        gru_cell_forward,
        gru_cell_backward,
        gru_forward,
        gru_backward,
        residual_rnn_forward,
        residual_rnn_backward,
        residual_rnn_step_jacobian,
        clip_by_global_norm,
    )
}
