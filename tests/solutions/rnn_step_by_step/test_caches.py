"""Are the key's caches exactly the documented tuples, safe to hand to any backward, and are wrong
inputs refused with a message that says what was expected?

Layouts: ``rnn_cell_forward`` → ``(a_next, a_prev, xt, parameters)``; ``lstm_cell_forward`` →
``(a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)``; a sequence's ``caches`` →
``(list of the T_x cell caches, x)``. ``parameters`` is the very dict passed in; every array owns
its memory, so no array is shared by two steps, by a cache and an output, or with the caller.
"""
from __future__ import annotations

import itertools

import numpy as np
import pytest

from .cases_support import lstm_parameters, rng_for, rnn_parameters
from solutions.rnn_step_by_step import (
    LSTM_CELL_CACHE, RNN_CELL_CACHE, lstm_backward, lstm_cell_backward, lstm_cell_forward, lstm_forward,
    rnn_backward, rnn_cell_backward, rnn_cell_forward, rnn_forward,
)

n_x, n_a, n_y, m, T_x = 3, 4, 2, 5, 3


def run(kind):
    """(inputs, outputs, caches) of a sequence forward of ``kind``."""
    rng = rng_for("sbs-caches" + kind)
    x, a0 = rng.standard_normal((n_x, m, T_x)), rng.standard_normal((n_a, m))
    if kind == "rnn":
        p = rnn_parameters(rng, n_x, n_a, n_y)
        a, y, caches = rnn_forward(x, a0, p)
        return (x, a0, p), (a, y), caches
    p = lstm_parameters(rng, n_x, n_a, n_y)
    a, y, c, caches = lstm_forward(x, a0, p)
    return (x, a0, p), (a, y, c), caches


@pytest.mark.parametrize("kind", ["rnn", "lstm"])
def test_sequence_caches_follow_the_layout(kind):
    (x, a0, p), outputs, caches = run(kind)
    layout = RNN_CELL_CACHE if kind == "rnn" else LSTM_CELL_CACHE
    a, c = outputs[0], (outputs[2] if kind == "lstm" else None)
    assert isinstance(caches, tuple) and len(caches) == 2
    cell_caches, x_cached = caches
    assert isinstance(cell_caches, list) and len(cell_caches) == T_x
    np.testing.assert_array_equal(x_cached, x)
    for t, cache in enumerate(cell_caches):
        assert isinstance(cache, tuple) and len(cache) == len(layout)
        entry = dict(zip(layout, cache))
        assert entry["parameters"] is p
        np.testing.assert_array_equal(entry["a_next"], a[:, :, t])
        np.testing.assert_array_equal(entry["a_prev"], a[:, :, t - 1] if t else a0)
        np.testing.assert_array_equal(entry["xt"], x[:, :, t])
        if kind == "lstm":
            np.testing.assert_array_equal(entry["c_next"], c[:, :, t])
            np.testing.assert_array_equal(entry["c_prev"], c[:, :, t - 1] if t else np.zeros((n_a, m)))
            for gate in ("ft", "it", "cct", "ot"):
                assert entry[gate].shape == (n_a, m) and entry[gate].dtype == np.float64


@pytest.mark.parametrize("kind", ["rnn", "lstm"])
def test_no_array_is_shared(kind):
    inputs, outputs, (cell_caches, x_cached) = run(kind)
    arrays = [x_cached, *outputs, *inputs[:2], *(e for cache in cell_caches for e in cache[:-1])]
    for (i, u), (j, v) in itertools.combinations(enumerate(arrays), 2):
        assert not np.shares_memory(u, v), f"arrays {i} and {j} share memory"


@pytest.mark.parametrize("kind", ["rnn", "lstm"])
def test_backward_leaves_the_caches_as_they_were(kind):
    _, _, caches = run(kind)
    before = [[np.copy(e) for e in cache[:-1]] for cache in caches[0]]
    da = rng_for("sbs-da" + kind).standard_normal((n_a, m, T_x))
    first = (rnn_backward if kind == "rnn" else lstm_backward)(da, caches)
    second = (rnn_backward if kind == "rnn" else lstm_backward)(da, caches)
    for cache, saved in zip(caches[0], before):
        for got, expected in zip(cache[:-1], saved):
            np.testing.assert_array_equal(got, expected)
    for key in first:
        np.testing.assert_array_equal(first[key], second[key])


def test_cell_caches_own_their_inputs():
    """Writing into the caller's arrays after the forward does not change the cache."""
    rng = rng_for("sbs-own")
    p = lstm_parameters(rng, n_x, n_a, n_y)
    xt, a_prev, c_prev = rng.standard_normal((n_x, m)), rng.standard_normal((n_a, m)), rng.standard_normal((n_a, m))
    a_next, c_next, _, cache = lstm_cell_forward(xt, a_prev, c_prev, p)
    saved = [np.copy(e) for e in cache[:-1]]
    for array in (xt, a_prev, c_prev, a_next, c_next):
        array[...] = 0.0
    for got, expected in zip(cache[:-1], saved):
        np.testing.assert_array_equal(got, expected)


RNN_P = rnn_parameters(rng_for("sbs-errors"), n_x, n_a, n_y)
LSTM_P = lstm_parameters(rng_for("sbs-errors"), n_x, n_a, n_y)
GOOD_RNN_CACHE = rnn_cell_forward(np.ones((n_x, m)), np.ones((n_a, m)), RNN_P)[2]
GOOD_LSTM_CACHE = lstm_cell_forward(np.ones((n_x, m)), np.ones((n_a, m)), np.ones((n_a, m)), LSTM_P)[3]

ERRORS = [
    ("rnn-cell-short-cache", lambda: rnn_cell_backward(np.ones((n_a, m)), GOOD_RNN_CACHE[:3]),
     "cache must be the tuple (a_next, a_prev, xt, parameters) that rnn_cell_forward returns, "
     "got a tuple of 3 entries"),
    ("lstm-cell-dict-cache", lambda: lstm_cell_backward(np.ones((n_a, m)), np.ones((n_a, m)), {}),
     "cache must be the tuple (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters) that "
     "lstm_cell_forward returns, got a dict"),
    ("rnn-cell-da-shape", lambda: rnn_cell_backward(np.ones((n_a, m + 1)), GOOD_RNN_CACHE),
     f"da_next must have shape ({n_a}, {m}), got ({n_a}, {m + 1})"),
    ("lstm-da-with-other-T", lambda: lstm_backward(np.ones((n_a, m, 2)), ([GOOD_LSTM_CACHE] * 3, np.ones((n_x, m, 3)))),
     f"da must have shape ({n_a}, {m}, 3), got ({n_a}, {m}, 2)"),
    ("rnn-empty-caches", lambda: rnn_backward(np.ones((n_a, m, 1)), ([], np.ones((n_x, m, 1)))),
     "caches[0] must be the non-empty list of cell caches that rnn_forward returns"),
    ("rnn-missing-Waa", lambda: rnn_cell_forward(np.ones((n_x, m)), np.ones((n_a, m)),
                                                 {k: v for k, v in RNN_P.items() if k != "Waa"}),
     "\"parameters is missing 'Waa'; expected keys: Wax, Waa, Wya, ba, by\""),
    ("rnn-forward-2d-x", lambda: rnn_forward(np.ones((n_x, m)), np.ones((n_a, m)), RNN_P),
     "x must be a 3-D array, got shape (3, 5); columns are examples (x is (n_x, m) for one step and "
     "(n_x, m, T) for a sequence, hidden states are (n_h, m))."),
]


@pytest.mark.parametrize("call,message", [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS])
def test_errors_say_what_was_expected(call, message):
    with pytest.raises((ValueError, KeyError)) as info:
        call()
    assert str(info.value) == message


def test_backwards_read_their_cache_not_the_forward_again():
    """A backward uses the values in the cache it is given (that is what judging a backward on the
    key's cache means): change one entry and the gradients follow the documented formula on it."""
    rng = rng_for("sbs-reads-cache")
    xt, a_prev, c_prev = rng.standard_normal((n_x, m)), rng.standard_normal((n_a, m)), rng.standard_normal((n_a, m))
    da_next, dc_next = rng.standard_normal((n_a, m)), rng.standard_normal((n_a, m))
    cache = list(lstm_cell_forward(xt, a_prev, c_prev, LSTM_P)[3])
    cache[4] = rng.uniform(0.1, 0.9, (n_a, m))                         # another ft
    g = lstm_cell_backward(da_next, dc_next, tuple(cache))
    a_next, c_next, _, _, ft, it, cct, ot = cache[:8]
    dc = dc_next + da_next * ot * (1 - np.tanh(c_next) ** 2)
    np.testing.assert_allclose(g["dc_prev"], dc * ft, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(g["dbf"], (dc * c_prev * ft * (1 - ft)).sum(axis=1, keepdims=True), rtol=1e-12)

    rnn_cache = list(rnn_cell_forward(xt, a_prev, RNN_P)[2])
    rnn_cache[0] = rng.uniform(-0.9, 0.9, (n_a, m))                    # another a_next
    g = rnn_cell_backward(da_next, tuple(rnn_cache))
    dz = da_next * (1 - rnn_cache[0] ** 2)
    np.testing.assert_allclose(g["da_prev"], RNN_P["Waa"].T @ dz, rtol=1e-12)
    np.testing.assert_allclose(g["dWax"], dz @ xt.T, rtol=1e-12)
