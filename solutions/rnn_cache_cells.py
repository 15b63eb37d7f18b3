"""Answer key of ``rnn-step-by-step``, one time step: cells whose forward returns a cache and whose
backward reads it (the convention of the widely taught "RNN step by step" homework).

Conventions: columns are examples, ``a`` is the hidden state, softmax over axis 0, every LSTM weight
acts on the concatenation ``[a_prev; xt]`` (a_prev rows first), float64 throughout.

Simple RNN cell::

    a_next  = tanh(Waa·a_prev + Wax·xt + ba)
    yt_pred = softmax(Wya·a_next + by)
    cache   = (a_next, a_prev, xt, parameters)

LSTM cell::

    ft  = σ(Wf·[a_prev; xt] + bf)          forget gate
    it  = σ(Wi·[a_prev; xt] + bi)          update (input) gate
    cct = tanh(Wc·[a_prev; xt] + bc)       candidate cell
    ot  = σ(Wo·[a_prev; xt] + bo)          output gate
    c_next  = ft ⊙ c_prev + it ⊙ cct
    a_next  = ot ⊙ tanh(c_next)
    yt_pred = softmax(Wy·a_next + by)
    cache   = (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)

Shapes: xt ``(n_x, m)``, a and c ``(n_a, m)``; RNN: Wax ``(n_a, n_x)``, Waa ``(n_a, n_a)``,
Wya ``(n_y, n_a)``, ba ``(n_a, 1)``, by ``(n_y, 1)``; LSTM: Wf, Wi, Wc, Wo ``(n_a, n_a + n_x)``,
bf, bi, bc, bo ``(n_a, 1)``, Wy ``(n_y, n_a)``, by ``(n_y, 1)``.

Every array in a cache owns its memory (a copy, shared with no output, no other cache and no
caller's array), and ``parameters`` is the very dict the caller passed: a cache the key builds can be
handed to any backward, which may even write into it, without changing another step's cache.
The LSTM reuses the gate block of :mod:`solutions.lstm` (one matrix product for all four gates).
"""
from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np

from solutions._common import as_float64, check_weight, take_parameters
from solutions.activations import softmax
from solutions.lstm import LSTMStep, lstm_step, lstm_step_backward, stack_lstm_weights

#: The documented cache layouts: the names of the tuple's entries, in order.
RNN_CELL_CACHE = ("a_next", "a_prev", "xt", "parameters")
LSTM_CELL_CACHE = ("a_next", "c_next", "a_prev", "c_prev", "ft", "it", "cct", "ot", "xt", "parameters")

#: Gradient keys in the contract's order.
RNN_CELL_GRADS = ("dxt", "da_prev", "dWax", "dWaa", "dba")
LSTM_CELL_GRADS = ("dxt", "da_prev", "dc_prev", "dWf", "dWi", "dWc", "dWo", "dbf", "dbi", "dbc", "dbo")


def cache_entries(cache, layout: Sequence[str], producer: str) -> tuple:
    """The entries of ``cache`` when it is a tuple (or list) of ``len(layout)`` entries; otherwise a
    ValueError that names the layout and the function that produces it."""
    if not isinstance(cache, (tuple, list)) or len(cache) != len(layout):
        got = f"a {type(cache).__name__} of {len(cache)} entries" if isinstance(cache, (tuple, list)) \
            else f"a {type(cache).__name__}"
        raise ValueError(f"cache must be the tuple ({', '.join(layout)}) that {producer} returns, got {got}")
    return tuple(cache)


def own_copy(name: str, value, ndim: int) -> np.ndarray:
    """A float64 copy of ``value`` (``ndim`` dimensions) that shares memory with nothing."""
    return np.array(as_float64(name, value, ndim), dtype=np.float64, copy=True)


def same_shape(name: str, value, shape: tuple) -> np.ndarray:
    """``value`` as float64 with exactly ``shape``, or a ValueError that says which shape was expected."""
    array = as_float64(name, value, len(shape))
    if array.shape != shape:
        raise ValueError(f"{name} must have shape {shape}, got {array.shape}")
    return array


def rnn_parameters(parameters: Mapping[str, np.ndarray], n_x: int) -> list[np.ndarray]:
    """``[Wax, Waa, Wya, ba, by]`` as float64, their shapes checked against each other and ``n_x``."""
    Wax, Waa, Wya, ba, by = take_parameters(parameters, ["Wax", "Waa", "Wya", "ba", "by"])
    n_a, n_y = Waa.shape[0], Wya.shape[0]
    for name, w, shape in (("Wax", Wax, (n_a, n_x)), ("Waa", Waa, (n_a, n_a)), ("Wya", Wya, (n_y, n_a)),
                           ("ba", ba, (n_a, 1)), ("by", by, (n_y, 1))):
        check_weight(name, w, *shape)
    return [Wax, Waa, Wya, ba, by]


def output_parameters(parameters: Mapping[str, np.ndarray], n_a: int) -> tuple[np.ndarray, np.ndarray]:
    """``(Wy (n_y, n_a), by (n_y, 1))`` of the LSTM's prediction layer, shapes checked."""
    Wy, by = take_parameters(parameters, ["Wy", "by"])
    check_weight("Wy", Wy, Wy.shape[0], n_a)
    check_weight("by", by, Wy.shape[0], 1)
    return Wy, by


def rnn_cell_forward(xt, a_prev, parameters):
    """One step of the simple RNN (equations in the module docstring).

    Shapes: xt ``(n_x, m)``, a_prev ``(n_a, m)``. Returns ``(a_next (n_a, m), yt_pred (n_y, m),
    cache)`` with ``cache = (a_next, a_prev, xt, parameters)``.
    """
    xt = own_copy("xt", xt, 2)
    a_prev = own_copy("a_prev", a_prev, 2)
    Wax, Waa, Wya, ba, by = rnn_parameters(parameters, xt.shape[0])
    a_next = np.tanh(Waa @ a_prev + Wax @ xt + ba)
    yt_pred = softmax(Wya @ a_next + by)
    return a_next, yt_pred, (a_next.copy(), a_prev, xt, parameters)


def rnn_cell_backward(da_next, cache):
    """Gradients of one RNN step for L with ∂L/∂a_next = da_next (the y path is not part of L).

    Equations (dz = ∂L/∂z for z = Waa·a_prev + Wax·xt + ba; 1 − tanh²(z) written with a_next)::

        dz      = da_next ⊙ (1 − a_next²)
        dxt     = Waxᵀ·dz,        da_prev = Waaᵀ·dz
        dWax    = dz·xtᵀ,         dWaa    = dz·a_prevᵀ,       dba = Σ_columns dz

    Shapes: da_next ``(n_a, m)``; cache as :func:`rnn_cell_forward` returns it. Returns a dict with
    ``dxt (n_x, m)``, ``da_prev (n_a, m)``, ``dWax (n_a, n_x)``, ``dWaa (n_a, n_a)``, ``dba (n_a, 1)``.
    """
    a_next, a_prev, xt, parameters = cache_entries(cache, RNN_CELL_CACHE, "rnn_cell_forward")
    a_next, a_prev, xt = (as_float64(n, v, 2) for n, v in (("a_next", a_next), ("a_prev", a_prev), ("xt", xt)))
    Wax, Waa, _, _, _ = rnn_parameters(parameters, xt.shape[0])
    dz = same_shape("da_next", da_next, a_next.shape) * (1.0 - a_next * a_next)
    return {
        "dxt": Wax.T @ dz,
        "da_prev": Waa.T @ dz,
        "dWax": dz @ xt.T,
        "dWaa": dz @ a_prev.T,
        "dba": dz.sum(axis=1, keepdims=True),
    }


def lstm_cell_forward(xt, a_prev, c_prev, parameters):
    """One LSTM step (equations in the module docstring).

    The four gates are one product ``W·[a_prev; xt]`` with ``W = [Wf; Wi; Wo; Wc]`` (see
    :func:`solutions.lstm.lstm_step`). Shapes: xt ``(n_x, m)``, a_prev and c_prev ``(n_a, m)``.
    Returns ``(a_next (n_a, m), c_next (n_a, m), yt_pred (n_y, m), cache)`` with
    ``cache = (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)``.
    """
    xt = own_copy("xt", xt, 2)
    a_prev = own_copy("a_prev", a_prev, 2)
    c_prev = own_copy("c_prev", c_prev, 2)
    w = stack_lstm_weights(parameters, xt.shape[0])
    n_a = w.n_h
    c_prev = same_shape("c_prev", c_prev, a_prev.shape)
    u = w.W_half @ np.vstack((a_prev, xt))
    u += w.b_half
    a_next, c_next, tanh_c = (np.empty_like(a_prev) for _ in range(3))
    lstm_step(u, c_prev, c_next, tanh_c, a_next)                    # u becomes [ft; it; ot; cct]
    ft, it, ot, cct = (u[k * n_a:(k + 1) * n_a].copy() for k in range(4))
    Wy, by = output_parameters(parameters, n_a)
    yt_pred = softmax(Wy @ a_next + by)
    cache = (a_next.copy(), c_next.copy(), a_prev, c_prev, ft, it, cct, ot, xt, parameters)
    return a_next, c_next, yt_pred, cache


def lstm_cell_backward(da_next, dc_next, cache):
    """Gradients of one LSTM step for L with ∂L/∂a_next = da_next, ∂L/∂c_next = dc_next.

    Equations (the gate values are read from the cache; tanh(c_next) is recomputed from c_next)::

        dc    = dc_next + da_next ⊙ ot ⊙ (1 − tanh²(c_next))      full gradient on c_next
        dft̄   = dc ⊙ c_prev ⊙ ft ⊙ (1 − ft)                       (pre-activation gradients)
        dit̄   = dc ⊙ cct ⊙ it ⊙ (1 − it)
        dcct̄  = dc ⊙ it ⊙ (1 − cct²)
        dot̄   = da_next ⊙ tanh(c_next) ⊙ ot ⊙ (1 − ot)
        [da_prev; dxt] = Wfᵀ·dft̄ + Wiᵀ·dit̄ + Wcᵀ·dcct̄ + Woᵀ·dot̄
        dc_prev = dc ⊙ ft
        dW* = d*̄·[a_prev; xt]ᵀ,   db* = Σ_columns d*̄

    The y path (Wy, by) is not part of L. Shapes: da_next, dc_next ``(n_a, m)``; cache as
    :func:`lstm_cell_forward` returns it. Returns a dict with ``dxt (n_x, m)``, ``da_prev (n_a, m)``,
    ``dc_prev (n_a, m)``, ``dWf, dWi, dWc, dWo (n_a, n_a + n_x)``, ``dbf, dbi, dbc, dbo (n_a, 1)``.
    """
    entries = cache_entries(cache, LSTM_CELL_CACHE, "lstm_cell_forward")
    parameters = entries[-1]
    _, c_next, a_prev, c_prev, ft, it, cct, ot, xt = (
        as_float64(name, value, 2) for name, value in zip(LSTM_CELL_CACHE[:-1], entries[:-1]))
    w = stack_lstm_weights(parameters, xt.shape[0])
    n_a = w.n_h
    da_next = same_shape("da_next", da_next, c_next.shape)
    dc_next = same_shape("dc_next", dc_next, c_next.shape)
    gates = np.vstack((ft, it, ot, cct))                            # a fresh block, rows as in w.W
    dc_prev = lstm_step_backward(da_next, dc_next, LSTMStep(gates, c_prev, np.tanh(c_next)))
    dgates = gates                                                  # now [dft̄; dit̄; dot̄; dcct̄]
    dconcat = w.W.T @ dgates
    dW = dgates @ np.vstack((a_prev, xt)).T
    db = dgates.sum(axis=1, keepdims=True)
    rows = {gate: slice(k * n_a, (k + 1) * n_a) for k, gate in enumerate("fioc")}
    grads = {"dxt": dconcat[n_a:], "da_prev": dconcat[:n_a], "dc_prev": dc_prev}
    grads.update({"dW" + g: dW[rows[g]].copy() for g in "fico"})
    grads.update({"db" + g: db[rows[g]].copy() for g in "fico"})
    return grads
