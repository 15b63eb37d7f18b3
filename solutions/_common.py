"""Small helpers shared by the answer-key modules: input coercion, parameter look-up, sequence
layouts, and the products over all time steps."""
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


def upstream_sequence(dh, n_h: int, m: int, T: int) -> np.ndarray:
    """The upstream gradient of a sequence's hidden states as float64 ``(n_h, m, T)``, the shape of
    ``h``; anything else raises a ValueError that says which shape was expected."""
    dh = as_float64("dh", dh, 3)
    if dh.shape != (n_h, m, T):
        raise ValueError(f"dh must have the shape of h, ({n_h}, {m}, {T}), got {dh.shape}")
    return dh


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


def half_rows(w: np.ndarray, rows: int) -> np.ndarray:
    """A copy of ``w`` with its first ``rows`` rows multiplied by 0.5 (exact in floating point):
    the sigmoid gates' weights, so that σ(a) = (1 + tanh(a / 2)) / 2 needs no extra pass."""
    out = w.copy()
    out[:rows] *= 0.5
    return out


def time_major(x: np.ndarray) -> np.ndarray:
    """Copy a sequence ``(n, m, T)`` into a contiguous ``(T, n, m)`` array, so that step t is the
    contiguous block ``[t]``."""
    return np.ascontiguousarray(x.transpose(2, 0, 1))


def sequence_output(x: np.ndarray) -> np.ndarray:
    """Inverse of :func:`time_major`: ``(T, n, m)`` -> contiguous ``(n, m, T)``."""
    return np.ascontiguousarray(x.transpose(1, 2, 0))


def with_ones_row(x_tm: np.ndarray) -> np.ndarray:
    """``(T, n_x, m)`` -> ``(T, n_x + 1, m)`` with a last row of ones: the bias's input, so that
    ``[Wx | b]·[x; 1]`` adds the bias inside the product and ``Σ_t da·[x; 1]ᵀ`` yields ``[dWx | db]``."""
    T, n_x, m = x_tm.shape
    x1 = np.empty((T, n_x + 1, m))
    x1[:, :n_x] = x_tm
    x1[:, n_x] = 1.0
    return x1


def project_all_steps(wb: np.ndarray, x1: np.ndarray) -> np.ndarray:
    """Input projection of every step before the time loop: P[t] = Wx·x[t] + b = [Wx | b]·[x[t]; 1].

    Shapes: ``wb`` ``(r, n_x + 1)``, ``x1`` ``(T, n_x + 1, m)`` (:func:`with_ones_row`) -> ``(T, r, m)``.
    """
    # A strided wb (a column slice) would send the stacked matmul to numpy's non-BLAS loop.
    return np.matmul(np.ascontiguousarray(wb), x1)


def gradients_over_steps(da: np.ndarray, z: np.ndarray, w_x: np.ndarray | None = None,
                         chunk: int = 8) -> tuple[np.ndarray, np.ndarray | None]:
    """Σ_t da[t]·z[t]ᵀ and dx[:, :, t] = w_xᵀ·da[t], a few steps per matrix product.

    Steps are gathered ``chunk`` at a time into two small reused buffers instead of one copy of the
    whole sequence: on repeated calls, large short-lived arrays are handed back to the operating
    system and page-faulted in again, which costs more than the products themselves.

    Shapes: ``da`` ``(T, r, m)``, ``z`` ``(T, c, m)``, ``w_x`` ``(r, n_x)``. Returns
    ``(Σ_t da[t]·z[t]ᵀ (r, c), dx (n_x, m, T))``; dx is None when ``w_x`` is.
    """
    T, r, m = da.shape
    c = z.shape[1]
    total = np.zeros((r, c))
    if w_x is not None:
        w_xT = np.ascontiguousarray(w_x).T
        dx = np.empty((w_x.shape[1], m, T))
    else:
        dx = None
    k = min(chunk, T)
    buf_da, buf_z = np.empty((r, k, m)), np.empty((c, k, m))
    for t0 in range(0, T, k):
        t1 = min(t0 + k, T)
        n = t1 - t0
        a, b = buf_da[:, :n], buf_z[:, :n]
        a[...] = da[t0:t1].transpose(1, 0, 2)
        b[...] = z[t0:t1].transpose(1, 0, 2)
        a2, b2 = a.reshape(r, n * m), b.reshape(c, n * m)
        total += a2 @ b2.T
        if dx is not None:
            dx[:, :, t0:t1] = (w_xT @ a2).reshape(dx.shape[0], n, m).transpose(0, 2, 1)
    return total, dx
