"""Does every backward of the answer key agree with central finite differences (float64)?

Each case draws random upstream gradients and non-zero biases; the loss is
L = Σ ⟨upstream, output⟩ over the outputs the backward differentiates, and every returned
gradient must match the numerical one to a relative error ≤ 1e-6 (scale of the whole tensor).
"""
from __future__ import annotations

import numpy as np
import pytest

from .answer_key_cases_support import (
    GRU_KEYS, LSTM_KEYS, SHAPE_IDS, SHAPES, gru_parameters, lstm_parameters, residual_parameters, rng_for,
)
from .answer_key_fd_support import numerical_gradient, relative_error
from solutions import (
    gru_backward, gru_cell_backward, gru_cell_forward, gru_forward, lstm_backward, lstm_cell_backward,
    lstm_cell_forward, lstm_forward, residual_rnn_backward, residual_rnn_forward, residual_rnn_step_jacobian,
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
def test_lstm_cell_backward(shape):
    name, n_x, n_h, n_y, m, _ = shape
    rng = rng_for("lstm_cell" + name)
    p = lstm_parameters(rng, n_x, n_h, n_y)
    xt, h_prev, c_prev = rng.standard_normal((n_x, m)), rng.standard_normal((n_h, m)), rng.standard_normal((n_h, m))
    dh, dc = rng.standard_normal((n_h, m)), rng.standard_normal((n_h, m))
    grads = lstm_cell_backward(dh, dc, xt, h_prev, c_prev, p)
    wrt = {"dxt": xt, "dh_prev": h_prev, "dc_prev": c_prev, **{"d" + k: p[k] for k in LSTM_KEYS}}
    assert_matches_fd(grads, lambda: lstm_cell_forward(xt, h_prev, c_prev, p)[:2], (dh, dc), wrt)


@pytest.mark.parametrize("shape", SHAPES, ids=SHAPE_IDS)
def test_lstm_backward(shape):
    name, n_x, n_h, n_y, m, T = shape
    rng = rng_for("lstm" + name)
    p = lstm_parameters(rng, n_x, n_h, n_y)
    x, h0, dh = rng.standard_normal((n_x, m, T)), rng.standard_normal((n_h, m)), rng.standard_normal((n_h, m, T))
    grads = lstm_backward(dh, x, h0, p)
    wrt = {"dx": x, "dh0": h0, **{"d" + k: p[k] for k in LSTM_KEYS}}
    assert_matches_fd(grads, lambda: lstm_forward(x, h0, p)[0], dh, wrt)


GRU_VARIANTS = [("reset_before", False), ("reset_after", False), ("reset_after", True)]
GRU_VARIANT_IDS = ["reset_before", "reset_after", "reset_after+bhh"]


@pytest.mark.parametrize("variant,bhh", GRU_VARIANTS, ids=GRU_VARIANT_IDS)
@pytest.mark.parametrize("shape", SHAPES, ids=SHAPE_IDS)
def test_gru_cell_backward(shape, variant, bhh):
    name, n_x, n_h, n_y, m, _ = shape
    rng = rng_for("gru_cell" + name + variant + str(bhh))
    p = gru_parameters(rng, n_x, n_h, n_y, bhh=bhh)
    xt, h_prev, dh = rng.standard_normal((n_x, m)), rng.standard_normal((n_h, m)), rng.standard_normal((n_h, m))
    grads = gru_cell_backward(dh, xt, h_prev, p, variant=variant)
    keys = GRU_KEYS + (("bhh",) if bhh else ())
    wrt = {"dxt": xt, "dh_prev": h_prev, **{"d" + k: p[k] for k in keys}}
    assert_matches_fd(grads, lambda: gru_cell_forward(xt, h_prev, p, variant=variant)[0], dh, wrt)


@pytest.mark.parametrize("variant,bhh", GRU_VARIANTS, ids=GRU_VARIANT_IDS)
@pytest.mark.parametrize("shape", SHAPES, ids=SHAPE_IDS)
def test_gru_backward(shape, variant, bhh):
    name, n_x, n_h, n_y, m, T = shape
    rng = rng_for("gru" + name + variant + str(bhh))
    p = gru_parameters(rng, n_x, n_h, n_y, bhh=bhh)
    x, h0, dh = rng.standard_normal((n_x, m, T)), rng.standard_normal((n_h, m)), rng.standard_normal((n_h, m, T))
    grads = gru_backward(dh, x, h0, p, variant=variant)
    keys = GRU_KEYS + (("bhh",) if bhh else ())
    wrt = {"dx": x, "dh0": h0, **{"d" + k: p[k] for k in keys}}
    assert_matches_fd(grads, lambda: gru_forward(x, h0, p, variant=variant)[0], dh, wrt)


@pytest.mark.parametrize("shape", SHAPES, ids=SHAPE_IDS)
def test_residual_rnn_backward(shape):
    name, n_x, n_h, _, m, T = shape
    rng = rng_for("residual" + name)
    p = residual_parameters(rng, n_x, n_h)
    x, h0, dh = rng.standard_normal((n_x, m, T)), rng.standard_normal((n_h, m)), rng.standard_normal((n_h, m, T))
    grads = residual_rnn_backward(dh, x, h0, p)
    wrt = {"dx": x, "dh0": h0, "dU": p["U"], "dW": p["W"], "db": p["b"]}
    assert_matches_fd(grads, lambda: residual_rnn_forward(x, h0, p), dh, wrt)


@pytest.mark.parametrize("shape", SHAPES, ids=SHAPE_IDS)
def test_residual_rnn_step_jacobian(shape):
    """Column j of J[k] is ∂h_t[:, k]/∂h_{t−1}[j, k], by central differences of one step."""
    name, n_x, n_h, _, m, _ = shape
    rng = rng_for("jacobian" + name)
    p = residual_parameters(rng, n_x, n_h, scale=1.5)
    xt, h_prev = rng.standard_normal((n_x, m)), rng.standard_normal((n_h, m))
    J = residual_rnn_step_jacobian(xt, h_prev, p)
    assert J.shape == (m, n_h, n_h)
    step = lambda: residual_rnn_forward(xt[:, :, None], h_prev, p)[:, :, 0]  # noqa: E731
    for k in range(m):
        for j in range(n_h):
            upstream = np.zeros((n_h, m))
            numeric = np.empty(n_h)
            for i in range(n_h):
                upstream[:] = 0.0
                upstream[i, k] = 1.0
                numeric[i] = numerical_gradient(step, h_prev, upstream)[j, k]
            err = relative_error(J[k][:, j], numeric)
            assert err <= THRESHOLD, f"J[{k}][:, {j}]: relative error {err:.2e}"


def test_finite_differences_detect_a_wrong_gradient():
    """The check itself can fail: a gradient off by the bias doubling numpy-ml's fixture hid."""
    rng = rng_for("self-check")
    p = lstm_parameters(rng, 2, 3, 2)
    xt, h_prev, c_prev = rng.standard_normal((2, 4)), rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    dh, dc = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    grads = lstm_cell_backward(dh, dc, xt, h_prev, c_prev, p)
    numeric = numerical_gradient(lambda: lstm_cell_forward(xt, h_prev, c_prev, p)[:2], p["bf"], (dh, dc))
    assert relative_error(grads["dbf"], numeric) <= THRESHOLD
    assert relative_error(2.0 * grads["dbf"], numeric) > 0.1
