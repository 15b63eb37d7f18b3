"""Small helpers shared by the answer-key modules: input coercion, parameter look-up, and the
one-GEMM sums over time steps."""
from __future__ import annotations

from typing import Iterable, Mapping

import numpy as np


def as_float64(name: str, value, ndim: int) -> np.ndarray:
    """Return ``value`` as a float64 array with ``ndim`` dimensions, or raise a ValueError that names it."""
    array = np.asarray(value, dtype=np.float64)
    if array.ndim != ndim:
        raise ValueError(
            f"{name} must be a {ndim}-D array, got shape {array.shape}; columns are examples "
            f"(x is (n_x, m) for one step and (n_x, m, T) for a sequence, hidden states are (n_h, m))."
        )
    return array


def take_parameters(parameters: Mapping[str, np.ndarray], names: Iterable[str]) -> list[np.ndarray]:
    """Fetch ``names`` from the parameters dict as float64 arrays; a missing key raises a KeyError
    listing the keys that are expected."""
    names = list(names)
    missing = [name for name in names if name not in parameters]
    if missing:
        raise KeyError(
            f"parameters is missing {', '.join(repr(n) for n in missing)}; expected keys: {', '.join(names)}"
        )
    return [np.asarray(parameters[name], dtype=np.float64) for name in names]


def check_weight(name: str, weight: np.ndarray, rows: int, cols: int) -> None:
    """Raise a ValueError when ``weight`` is not ``(rows, cols)``."""
    if weight.shape != (rows, cols):
        raise ValueError(f"{name} must have shape ({rows}, {cols}), got {weight.shape}")


def feature_major(x: np.ndarray) -> np.ndarray:
    """Copy a sequence ``(n, m, T)`` into a contiguous ``(n, T, m)`` array: step t is the block
    ``[:, t]`` (rows contiguous), and all steps side by side are the free reshape ``(n, T·m)``."""
    return np.ascontiguousarray(x.transpose(0, 2, 1))


def sequence_output(x: np.ndarray) -> np.ndarray:
    """Inverse of :func:`feature_major`: ``(n, T, m)`` -> contiguous ``(n, m, T)``."""
    return np.ascontiguousarray(x.transpose(0, 2, 1))


def steps_as_columns(x: np.ndarray) -> np.ndarray:
    """``(n, T, m)`` -> ``(n, T·m)``: every step side by side, so that a product over all steps is
    one matrix product (a view for the arrays built here, including ``h[:, :T]`` of an
    ``(n, T + 1, m)`` history)."""
    n, T, m = x.shape
    return x.reshape(n, T * m)


def sum_outer_over_steps(da: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Σ_t da[:, t] · z[:, t]ᵀ as one GEMM.

    Shapes: ``da`` ``(r, T, m)``, ``z`` ``(c, T, m)`` -> ``(r, c)``.
    """
    return steps_as_columns(da) @ steps_as_columns(z).T


def project_all_steps(w: np.ndarray, b: np.ndarray, x_fm: np.ndarray) -> np.ndarray:
    """Input projection of every step at once: P[:, t] = w · x[:, t] + b.

    Shapes: ``w`` ``(r, n_x)``, ``b`` ``(r, 1)``, ``x_fm`` ``(n_x, T, m)`` -> ``(r, T, m)``.
    """
    n_x, T, m = x_fm.shape
    p = w @ steps_as_columns(x_fm)
    p += b
    return p.reshape(w.shape[0], T, m)


def backprop_to_inputs(w: np.ndarray, da: np.ndarray) -> np.ndarray:
    """dx[:, :, t] = wᵀ · da[:, t] for every step, as one product.

    Shapes: ``w`` ``(r, n_x)``, ``da`` ``(r, T, m)`` -> ``dx (n_x, m, T)``.
    """
    r, T, m = da.shape
    return sequence_output((w.T @ steps_as_columns(da)).reshape(w.shape[1], T, m))
