"""Do pre-activations of ±1000 leave every answer-key function finite and silent?

Overflow, invalid operations and division by zero raise (np.errstate) and any warning is an error;
underflow to 0 (exp(−1000)) is exact enough and stays allowed, as in numpy's defaults.
"""
from __future__ import annotations

import warnings

import numpy as np
import pytest

from .answer_key_cases_support import gru_parameters, lstm_parameters, residual_parameters, rng_for
from solutions import (
    clip_by_global_norm, gru_backward, gru_cell_backward, gru_cell_forward, gru_forward, lstm_backward,
    lstm_cell_backward, lstm_cell_forward, lstm_forward, residual_rnn_backward, residual_rnn_forward,
    residual_rnn_step_jacobian, sigmoid, softmax,
)

n_x, n_h, n_y, m, T = 3, 4, 2, 6, 3


def huge(rng, shape):
    """Values of ±1000 (random signs), so that gates saturate both ways."""
    return 1000.0 * np.where(rng.random(shape) < 0.5, -1.0, 1.0)


def saturated(p, rng):
    return {k: huge(rng, v.shape) if k.startswith("b") else v * 50.0 for k, v in p.items()}


def all_finite(value):
    if isinstance(value, dict):
        return all(all_finite(v) for v in value.values())
    if isinstance(value, tuple):
        return all(all_finite(v) for v in value)
    return bool(np.all(np.isfinite(value)))


def calls():
    rng = rng_for("stability")
    x = huge(rng, (n_x, m, T))
    h0, c0 = np.tanh(rng.standard_normal((n_h, m))), rng.standard_normal((n_h, m))
    dh = rng.standard_normal((n_h, m, T))
    lstm = saturated(lstm_parameters(rng, n_x, n_h, n_y), rng)
    lstm["Wy"], lstm["by"] = lstm["Wy"] * 20.0, huge(rng, (n_y, 1))
    gru = saturated(gru_parameters(rng, n_x, n_h, n_y), rng)
    gru_bhh = saturated(gru_parameters(rng, n_x, n_h, n_y, bhh=True), rng)
    res = saturated(residual_parameters(rng, n_x, n_h), rng)
    xt, dht = x[:, :, 0], dh[:, :, 0]
    return {
        "sigmoid": lambda: sigmoid(huge(rng, (5, 7))),
        "softmax": lambda: softmax(huge(rng, (5, 7))),
        "lstm_cell_forward": lambda: lstm_cell_forward(xt, h0, c0, lstm),
        "lstm_cell_backward": lambda: lstm_cell_backward(dht, dht, xt, h0, c0, lstm),
        "lstm_forward": lambda: lstm_forward(x, h0, lstm),
        "lstm_backward": lambda: lstm_backward(dh, x, h0, lstm),
        "gru_cell_forward": lambda: gru_cell_forward(xt, h0, gru),
        "gru_cell_backward": lambda: gru_cell_backward(dht, xt, h0, gru),
        "gru_forward": lambda: gru_forward(x, h0, gru),
        "gru_backward": lambda: gru_backward(dh, x, h0, gru),
        "gru_forward-reset_after": lambda: gru_forward(x, h0, gru_bhh, variant="reset_after"),
        "gru_backward-reset_after": lambda: gru_backward(dh, x, h0, gru_bhh, variant="reset_after"),
        "residual_rnn_forward": lambda: residual_rnn_forward(x, h0, res),
        "residual_rnn_backward": lambda: residual_rnn_backward(dh, x, h0, res),
        "residual_rnn_step_jacobian": lambda: residual_rnn_step_jacobian(xt, h0, res),
        "clip_by_global_norm": lambda: clip_by_global_norm({"a": huge(rng, (3, 3)) * 1e300, "b": np.ones(2)}, 5.0),
    }


CALLS = calls()


@pytest.mark.parametrize("name", list(CALLS))
def test_saturated_inputs_raise_no_warning_and_stay_finite(name):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            value = CALLS[name]()
    assert all_finite(value)


def test_extreme_activations_are_exact():
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        assert sigmoid(np.array([-1000.0, 0.0, 1000.0])).tolist() == [0.0, 0.5, 1.0]
        assert softmax(np.array([[1000.0, -1000.0], [-1000.0, -1000.0]])).tolist() == [[1.0, 0.5], [0.0, 0.5]]
