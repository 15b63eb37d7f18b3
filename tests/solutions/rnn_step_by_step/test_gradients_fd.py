"""Does every backward of the ``rnn-step-by-step`` key agree with central finite differences?

Each backward reads the cache of the key's own forward on the same inputs; the loss is
L = Σ ⟨upstream, output⟩ over the outputs the backward differentiates (a_next, and c_next for the
LSTM cell; every a_t for a sequence, so the carry through time is part of what is checked), with
random upstream gradients and non-zero biases. Every returned gradient must match the numerical one to
a relative error ≤ 1e-6 (scale of the whole tensor).
"""
from __future__ import annotations

import numpy as np
import pytest

from ..answer_key_fd_support import numerical_gradient, relative_error
from .cases_support import LSTM_KEYS, RNN_KEYS, SHAPE_IDS, SHAPES, lstm_parameters, rng_for, rnn_parameters
from solutions.rnn_step_by_step import (
    lstm_backward, lstm_cell_backward, lstm_cell_forward, lstm_forward, rnn_backward, rnn_cell_backward,
    rnn_cell_forward, rnn_forward,
)

THRESHOLD = 1e-6


def assert_matches_fd(grads, f, upstream, wrt):
    """``wrt`` maps gradient names to the arrays they differentiate (perturbed in place)."""
    assert set(grads) == set(wrt), f"keys {sorted(grads)} != {sorted(wrt)}"
    for name, array in wrt.items():
        numeric = numerical_gradient(f, array, upstream)
        err = relative_error(grads[name], numeric)
        assert err <= THRESHOLD, f"{name}: relative error {err:.2e} > {THRESHOLD}"


@pytest.mark.parametrize("shape", SHAPES, ids=SHAPE_IDS)
def test_rnn_cell_backward(shape):
    name, n_x, n_a, n_y, m, _ = shape
    rng = rng_for("sbs-rnn-cell" + name)
    p = rnn_parameters(rng, n_x, n_a, n_y)
    xt, a_prev, da_next = rng.standard_normal((n_x, m)), rng.standard_normal((n_a, m)), rng.standard_normal((n_a, m))
    grads = rnn_cell_backward(da_next, rnn_cell_forward(xt, a_prev, p)[2])
    wrt = {"dxt": xt, "da_prev": a_prev, **{"d" + k: p[k] for k in RNN_KEYS}}
    assert_matches_fd(grads, lambda: rnn_cell_forward(xt, a_prev, p)[0], da_next, wrt)


@pytest.mark.parametrize("shape", SHAPES, ids=SHAPE_IDS)
def test_rnn_backward(shape):
    name, n_x, n_a, n_y, m, T_x = shape
    rng = rng_for("sbs-rnn" + name)
    p = rnn_parameters(rng, n_x, n_a, n_y)
    x, a0, da = rng.standard_normal((n_x, m, T_x)), rng.standard_normal((n_a, m)), rng.standard_normal((n_a, m, T_x))
    grads = rnn_backward(da, rnn_forward(x, a0, p)[2])
    wrt = {"dx": x, "da0": a0, **{"d" + k: p[k] for k in RNN_KEYS}}
    assert_matches_fd(grads, lambda: rnn_forward(x, a0, p)[0], da, wrt)


@pytest.mark.parametrize("shape", SHAPES, ids=SHAPE_IDS)
def test_lstm_cell_backward(shape):
    name, n_x, n_a, n_y, m, _ = shape
    rng = rng_for("sbs-lstm-cell" + name)
    p = lstm_parameters(rng, n_x, n_a, n_y)
    xt, a_prev, c_prev = rng.standard_normal((n_x, m)), rng.standard_normal((n_a, m)), rng.standard_normal((n_a, m))
    da_next, dc_next = rng.standard_normal((n_a, m)), rng.standard_normal((n_a, m))
    grads = lstm_cell_backward(da_next, dc_next, lstm_cell_forward(xt, a_prev, c_prev, p)[3])
    wrt = {"dxt": xt, "da_prev": a_prev, "dc_prev": c_prev, **{"d" + k: p[k] for k in LSTM_KEYS}}
    assert_matches_fd(grads, lambda: lstm_cell_forward(xt, a_prev, c_prev, p)[:2], (da_next, dc_next), wrt)


@pytest.mark.parametrize("shape", SHAPES, ids=SHAPE_IDS)
def test_lstm_backward(shape):
    name, n_x, n_a, n_y, m, T_x = shape
    rng = rng_for("sbs-lstm" + name)
    p = lstm_parameters(rng, n_x, n_a, n_y)
    x, a0, da = rng.standard_normal((n_x, m, T_x)), rng.standard_normal((n_a, m)), rng.standard_normal((n_a, m, T_x))
    grads = lstm_backward(da, lstm_forward(x, a0, p)[3])
    wrt = {"dx": x, "da0": a0, **{"d" + k: p[k] for k in LSTM_KEYS}}
    assert_matches_fd(grads, lambda: lstm_forward(x, a0, p)[0], da, wrt)


@pytest.mark.parametrize("backward", ["rnn", "lstm"])
def test_gradient_from_the_last_step_reaches_a0(backward):
    """With an upstream gradient on the last hidden state only, da0 and dx[:, :, 0] are still
    non-zero and equal the finite differences: the carry through time is what gets them there."""
    rng = rng_for("sbs-carry" + backward)
    n_x, n_a, n_y, m, T_x = 2, 3, 2, 2, 5
    x, a0 = rng.standard_normal((n_x, m, T_x)), rng.standard_normal((n_a, m))
    da = np.zeros((n_a, m, T_x))
    da[:, :, -1] = rng.standard_normal((n_a, m))
    if backward == "rnn":
        p = rnn_parameters(rng, n_x, n_a, n_y)
        forward, grads = (lambda: rnn_forward(x, a0, p)[0]), rnn_backward(da, rnn_forward(x, a0, p)[2])
    else:
        p = lstm_parameters(rng, n_x, n_a, n_y)
        forward, grads = (lambda: lstm_forward(x, a0, p)[0]), lstm_backward(da, lstm_forward(x, a0, p)[3])
    assert np.max(np.abs(grads["da0"])) > 1e-3 and np.max(np.abs(grads["dx"][:, :, 0])) > 1e-3
    assert relative_error(grads["da0"], numerical_gradient(forward, a0, da)) <= THRESHOLD
    assert relative_error(grads["dx"], numerical_gradient(forward, x, da)) <= THRESHOLD
