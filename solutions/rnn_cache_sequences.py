"""Answer key of ``rnn-step-by-step``, whole sequences: a plain ``for t in range(T_x)`` over the
cells of :mod:`solutions.rnn_cache_cells`, forward keeping every step's cache, backward reading them
in reverse.

Shapes: x ``(n_x, m, T_x)``, a0 ``(n_a, m)``, a and c ``(n_a, m, T_x)``, y ``(n_y, m, T_x)``;
``[:, :, t]`` is step t. A sequence's caches are ``(list of the T_x cell caches, x)`` where x is a
copy of the input (it shares memory with no other array).

Back-propagation through time: the loss L is given by its gradient on every hidden state,
``da[:, :, t] = ∂ℓ/∂a_t`` (the y path is not part of L). Going from t = T_x−1 down to 0, the upstream
gradient of step t is its own ``da[:, :, t]`` plus what step t+1 sent back to a_t (and, for the
LSTM, to c_t)::

    da_next_t = da[:, :, t] + da_prevt            (da_prevt = 0 at t = T_x−1)
    dc_next_t = dc_prevt                          (dc_prevt = 0 at t = T_x−1; c0 = 0 in the forward)
    grads_t   = cell backward(da_next_t, [dc_next_t,] caches[t])
    da_prevt, dc_prevt = grads_t["da_prev"], grads_t["dc_prev"]

``dx[:, :, t]`` is step t's dxt, ``da0`` the last ``da_prevt`` (no dc0: c0 is not an input) and
every parameter gradient is the sum of the steps' gradients.
"""
from __future__ import annotations

import numpy as np

from solutions._common import as_float64
from solutions.rnn_cache_cells import (
    LSTM_CELL_CACHE, RNN_CELL_CACHE, cache_entries, lstm_cell_backward, lstm_cell_forward,
    output_parameters, own_copy, rnn_cell_backward, rnn_cell_forward, rnn_parameters, same_shape,
)

#: A sequence's caches: the list of cell caches, then the input x.
SEQUENCE_CACHES = ("caches", "x")


def rnn_forward(x, a0, parameters):
    """The simple RNN over a sequence (cell equations in :mod:`solutions.rnn_cache_cells`).

    Shapes: x ``(n_x, m, T_x)``, a0 ``(n_a, m)``. Returns ``(a (n_a, m, T_x), y_pred (n_y, m, T_x),
    caches)`` with ``caches = ([cache_0, …, cache_{T_x−1}], x)``.
    """
    x = own_copy("x", x, 3)
    a0 = as_float64("a0", a0, 2)
    n_x, m, T_x = x.shape
    _, _, Wya, _, _ = rnn_parameters(parameters, n_x)
    a = np.empty((a0.shape[0], m, T_x))
    y_pred = np.empty((Wya.shape[0], m, T_x))
    caches = []
    a_next = a0
    for t in range(T_x):
        a_next, yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)
        a[:, :, t] = a_next
        y_pred[:, :, t] = yt_pred
        caches.append(cache)
    return a, y_pred, (caches, x)


def lstm_forward(x, a0, parameters):
    """The LSTM over a sequence with c0 = 0 (cell equations in :mod:`solutions.rnn_cache_cells`).

    Shapes: x ``(n_x, m, T_x)``, a0 ``(n_a, m)``. Returns ``(a (n_a, m, T_x), y (n_y, m, T_x),
    c (n_a, m, T_x), caches)`` with ``caches = ([cache_0, …, cache_{T_x−1}], x)``.
    """
    x = own_copy("x", x, 3)
    a0 = as_float64("a0", a0, 2)
    n_x, m, T_x = x.shape
    n_a = a0.shape[0]
    Wy, _ = output_parameters(parameters, n_a)
    a, c = np.empty((n_a, m, T_x)), np.empty((n_a, m, T_x))
    y = np.empty((Wy.shape[0], m, T_x))
    caches = []
    a_next, c_next = a0, np.zeros((n_a, m))
    for t in range(T_x):
        a_next, c_next, yt, cache = lstm_cell_forward(x[:, :, t], a_next, c_next, parameters)
        a[:, :, t] = a_next
        c[:, :, t] = c_next
        y[:, :, t] = yt
        caches.append(cache)
    return a, y, c, (caches, x)


def _cell_caches(caches, cell_layout, producer: str) -> list:
    """The list of cell caches of a sequence's ``caches = (list, x)``, each of ``cell_layout``."""
    cell_caches, _ = cache_entries(caches, SEQUENCE_CACHES, producer)
    if not isinstance(cell_caches, (list, tuple)) or not cell_caches:
        raise ValueError(f"caches[0] must be the non-empty list of cell caches that {producer} returns")
    for cache in cell_caches:
        cache_entries(cache, cell_layout, producer)
    return list(cell_caches)


def _upstream(da, cell_caches) -> np.ndarray:
    """``da`` as float64 ``(n_a, m, T_x)``, the shape of the hidden states the caches describe."""
    n_a, m = np.shape(cell_caches[0][0])
    return same_shape("da", da, (n_a, m, len(cell_caches)))


def rnn_backward(da, caches):
    """Back-propagation through time for the simple RNN (equations in the module docstring).

    Shapes: da ``(n_a, m, T_x)``; caches as :func:`rnn_forward` returns them. Returns a dict with
    ``dx (n_x, m, T_x)``, ``da0 (n_a, m)``, ``dWax (n_a, n_x)``, ``dWaa (n_a, n_a)``, ``dba (n_a, 1)``.
    """
    cell_caches = _cell_caches(caches, RNN_CELL_CACHE, "rnn_forward")
    da = _upstream(da, cell_caches)
    n_a, m, T_x = da.shape
    n_x = np.shape(cell_caches[0][2])[0]
    dx = np.empty((n_x, m, T_x))
    total = {"dWax": np.zeros((n_a, n_x)), "dWaa": np.zeros((n_a, n_a)), "dba": np.zeros((n_a, 1))}
    da_prevt = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        grads = rnn_cell_backward(da[:, :, t] + da_prevt, cell_caches[t])
        dx[:, :, t] = grads["dxt"]
        da_prevt = grads["da_prev"]
        for key in total:
            total[key] += grads[key]
    return {"dx": dx, "da0": da_prevt, **total}


def lstm_backward(da, caches):
    """Back-propagation through time for the LSTM (equations in the module docstring).

    Shapes: da ``(n_a, m, T_x)``; caches as :func:`lstm_forward` returns them. Returns a dict with
    ``dx (n_x, m, T_x)``, ``da0 (n_a, m)``, ``dWf, dWi, dWc, dWo (n_a, n_a + n_x)``,
    ``dbf, dbi, dbc, dbo (n_a, 1)``.
    """
    cell_caches = _cell_caches(caches, LSTM_CELL_CACHE, "lstm_forward")
    da = _upstream(da, cell_caches)
    n_a, m, T_x = da.shape
    n_x = np.shape(cell_caches[0][8])[0]
    dx = np.empty((n_x, m, T_x))
    total = {"dW" + g: np.zeros((n_a, n_a + n_x)) for g in "fico"}
    total.update({"db" + g: np.zeros((n_a, 1)) for g in "fico"})
    da_prevt, dc_prevt = np.zeros((n_a, m)), np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        grads = lstm_cell_backward(da[:, :, t] + da_prevt, dc_prevt, cell_caches[t])
        dx[:, :, t] = grads["dxt"]
        da_prevt, dc_prevt = grads["da_prev"], grads["dc_prev"]
        for key in total:
            total[key] += grads[key]
    return {"dx": dx, "da0": da_prevt, **total}
