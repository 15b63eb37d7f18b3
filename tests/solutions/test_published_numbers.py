"""Does the answer key reproduce deeplearning.ai's published numbers ("Building your Recurrent
Neural Network – Step by Step", seed 1; their a_next/a0/da_prev are our h_next/h0/dh_prev)?

Inputs are drawn in the notebook's order: xt (or x), a_prev (or a0), [c_prev], Wf, bf, Wi, bi,
Wo, bo, Wc, bc, Wy, by, then the upstream gradients.
"""
from __future__ import annotations

import numpy as np
import pytest

from solutions import lstm_backward, lstm_cell_backward, lstm_cell_forward, lstm_forward

TOL = 1e-8


def draw_gates(n_h=5, n_x=3):
    p = {}
    for name in ("f", "i", "o", "c"):            # the notebook draws Wo, bo before Wc, bc
        p["W" + name] = np.random.randn(n_h, n_h + n_x)
        p["b" + name] = np.random.randn(n_h, 1)
    return p


@pytest.fixture
def cell_inputs():
    np.random.seed(1)
    xt, h_prev, c_prev = np.random.randn(3, 10), np.random.randn(5, 10), np.random.randn(5, 10)
    p = draw_gates()
    p["Wy"], p["by"] = np.random.randn(2, 5), np.random.randn(2, 1)
    return xt, h_prev, c_prev, p


def test_lstm_cell_forward_published(cell_inputs):
    h_next, c_next, yt = lstm_cell_forward(*cell_inputs)
    np.testing.assert_allclose(h_next[4], [-0.66408471, 0.0036921, 0.02088357, 0.22834167, -0.85575339,
                                           0.00138482, 0.76566531, 0.34631421, -0.00215674, 0.43827275], atol=1e-8)
    np.testing.assert_allclose(c_next[2], [0.63267805, 1.00570849, 0.35504474, 0.20690913, -1.64566718,
                                           0.11832942, 0.76449811, -0.0981561, -0.74348425, -0.26810932], atol=1e-8)
    np.testing.assert_allclose(yt[1], [0.79913913, 0.15986619, 0.22412122, 0.15606108, 0.97057211,
                                       0.31146381, 0.00943007, 0.12666353, 0.39380172, 0.07828381], atol=1e-8)
    assert (h_next.shape, c_next.shape, yt.shape) == ((5, 10), (5, 10), (2, 10))


def test_lstm_cell_backward_published(cell_inputs):
    dh_next, dc_next = np.random.randn(5, 10), np.random.randn(5, 10)
    g = lstm_cell_backward(dh_next, dc_next, *cell_inputs)
    published = [
        (g["dxt"][1][2], 3.23055911511), (g["dh_prev"][2][3], -0.0639621419711),
        (g["dc_prev"][2][3], 0.797522038797), (g["dWf"][3][1], -0.147954838164),
        (g["dWi"][1][2], 1.05749805523), (g["dWc"][3][1], 2.30456216369), (g["dWo"][1][2], 0.331311595289),
        (g["dbf"][4, 0], 0.18864637), (g["dbi"][4, 0], -0.40142491), (g["dbc"][4, 0], 0.25587763),
        (g["dbo"][4, 0], 0.13893342),
    ]
    for got, expected in published:
        assert got == pytest.approx(expected, abs=TOL)
    assert g["dxt"].shape == (3, 10) and g["dc_prev"].shape == (5, 10) and g["dWf"].shape == (5, 8)


def test_lstm_forward_published():
    np.random.seed(1)
    x, h0 = np.random.randn(3, 10, 7), np.random.randn(5, 10)
    p = draw_gates()
    p["Wy"], p["by"] = np.random.randn(2, 5), np.random.randn(2, 1)
    h, y, c = lstm_forward(x, h0, p)
    assert h[4][3][6] == pytest.approx(0.172117767533, abs=TOL)
    assert y[1][4][3] == pytest.approx(0.95087346185, abs=TOL)
    assert c[1][2][1] == pytest.approx(-0.855544916718, abs=TOL)
    assert (h.shape, y.shape, c.shape) == ((5, 10, 7), (2, 10, 7), (5, 10, 7))


def test_lstm_backward_published_2021():
    """The 2021 notebook draws x with T = 7 but da with T = 4 and back-propagates only the first
    4 steps; our lstm_backward on x[:, :, :4] is the same computation."""
    np.random.seed(1)
    x, h0 = np.random.randn(3, 10, 7), np.random.randn(5, 10)
    p = draw_gates()
    p["Wy"], p["by"] = np.zeros((2, 5)), np.zeros((2, 1))
    dh = np.random.randn(5, 10, 4)
    g = lstm_backward(dh, x[:, :, :4], h0, p)
    np.testing.assert_allclose(g["dx"][1][2], [0.00218254, 0.28205375, -0.48292508, -0.43281115], atol=1e-8)
    published = [
        (g["dh0"][2][3], 0.312770310257), (g["dWf"][3][1], -0.0809802310938), (g["dWi"][1][2], 0.40512433093),
        (g["dWc"][3][1], -0.0793746735512), (g["dWo"][1][2], 0.038948775763),
        (g["dbf"][4, 0], -0.15745657), (g["dbi"][4, 0], -0.50848333), (g["dbc"][4, 0], -0.42510818),
        (g["dbo"][4, 0], -0.17958196),
    ]
    for got, expected in published:
        assert got == pytest.approx(expected, abs=TOL)
    assert g["dx"].shape == (3, 10, 4) and g["dh0"].shape == (5, 10)
