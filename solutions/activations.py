"""Numerically stable activations shared by the answer key.

Every function accepts arrays of any shape and returns float64; none of them warns for
pre-activations as large as ±1000 (nothing is ever exponentiated with a positive argument).
"""
from __future__ import annotations

import numpy as np


def sigmoid(x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Logistic function σ(x) = 1 / (1 + exp(−x)), elementwise, without overflow.

    Equations::

        σ(x) = (1 + tanh(x / 2)) / 2

    tanh saturates instead of overflowing, so ±1000 give exactly 0 and 1 with no warning; the
    absolute error is at most about 2e-16 everywhere (the identity is exact, only rounding differs),
    and one tanh is about twice as fast as the branch-free exp(−|x|) form.

    Shapes: any; the result has the shape of ``x``. ``out`` (same shape, float64; may be ``x``
    itself) receives the result when given, so that callers activate a slice of a gate block in place.
    """
    x = np.asarray(x, dtype=np.float64)
    result = np.multiply(x, 0.5, out=out)
    np.tanh(result, out=result)
    return sigmoid_from_tanh_half(result)


def sigmoid_from_tanh_half(t: np.ndarray) -> np.ndarray:
    """In place: turn t = tanh(a / 2) into σ(a) = (1 + t) / 2, and return it.

    The recurrent cells halve the sigmoid gates' rows of their stacked weights once per call
    (exact in binary floating point), so that a single tanh activates every gate of a step and this
    finishes the sigmoid ones. Shapes: any.
    """
    t *= 0.5
    t += 0.5
    return t


def softmax(z: np.ndarray) -> np.ndarray:
    """Softmax over axis 0 (columns are examples), stable by subtracting each column's max.

    Equations::

        softmax(z)[k, j] = exp(z[k, j] − max_k' z[k', j]) / Σ_k'' exp(z[k'', j] − max_k' z[k', j])

    Shapes: ``z`` is ``(n_y, m)`` or ``(n_y, m, T)``; the result has the same shape and each
    column (each ``[:, j]`` or ``[:, j, t]``) sums to 1.
    """
    z = np.asarray(z, dtype=np.float64)
    e = z - z.max(axis=0, keepdims=True)
    np.exp(e, out=e)
    e /= e.sum(axis=0, keepdims=True)
    return e


def dtanh_from_output(t: np.ndarray) -> np.ndarray:
    """Derivative of tanh written with its output: d tanh(a)/da = 1 − t², t = tanh(a).

    Shapes: any; same shape as ``t``.
    """
    return 1.0 - t * t


def dsigmoid_from_output(s: np.ndarray) -> np.ndarray:
    """Derivative of σ written with its output: dσ(a)/da = s ⊙ (1 − s), s = σ(a).

    Shapes: any; same shape as ``s``.
    """
    return s * (1.0 - s)
