"""Does the ``rnn-step-by-step`` key reproduce the expected outputs published with the course's
"Building your Recurrent Neural Network – Step by Step" notebook (seed 1), where they are right?

Inputs are drawn in each test cell's order (the numbers depend on it): RNN forward cells draw
Waa before Wax, RNN backward cells Wax before Waa; LSTM cells draw Wf, bf, Wi, bi, Wo, bo, Wc, bc (Wo
before Wc), then Wy, by, then the upstream gradients. Two published outputs are not the key's math,
and the tests below say why and what they are instead:

* the older (2018) notebook's ``rnn_cell_backward`` output comes from its test cell building the
  parameters with a stale ``ba`` (drawn in the ``rnn_forward`` cell) instead of the ``b`` it drew;
* the older notebook's ``lstm_backward`` output never carried ``da_prev``/``dc_prev`` from a step to
  the one before: the key does not match it, a no-carry variant does (except three bias gradients
  that no computation we know of reproduces).
"""
from __future__ import annotations

import numpy as np
import pytest

from solutions.rnn_step_by_step import (
    lstm_backward, lstm_cell_backward, lstm_cell_forward, lstm_forward, rnn_backward, rnn_cell_backward,
    rnn_cell_forward, rnn_forward,
)

TOL = 1e-8


def assert_published(pairs):
    for label, got, expected in pairs:
        np.testing.assert_allclose(got, expected, rtol=0, atol=TOL, err_msg=label)


def draw_rnn_forward(x_shape):
    """The forward cells' order: x, a0, Waa, Wax, Wya, ba, by."""
    np.random.seed(1)
    x, a0 = np.random.randn(*x_shape), np.random.randn(5, 10)
    Waa, Wax, Wya = np.random.randn(5, 5), np.random.randn(5, 3), np.random.randn(2, 5)
    ba, by = np.random.randn(5, 1), np.random.randn(2, 1)
    return x, a0, {"Waa": Waa, "Wax": Wax, "Wya": Wya, "ba": ba, "by": by}


def draw_rnn_backward(x_shape):
    """The backward cells' order: x, a0, Wax, Waa, Wya, ba (named b in the cell), by."""
    np.random.seed(1)
    x, a0 = np.random.randn(*x_shape), np.random.randn(5, 10)
    Wax, Waa, Wya = np.random.randn(5, 3), np.random.randn(5, 5), np.random.randn(2, 5)
    ba, by = np.random.randn(5, 1), np.random.randn(2, 1)
    return x, a0, {"Wax": Wax, "Waa": Waa, "Wya": Wya, "ba": ba, "by": by}


def draw_lstm(x_shape, with_c_prev, output_layer=True):
    np.random.seed(1)
    x, a0 = np.random.randn(*x_shape), np.random.randn(5, 10)
    c_prev = np.random.randn(5, 10) if with_c_prev else None
    p = {}
    for gate in "fioc":                                 # Wo, bo are drawn before Wc, bc
        p["W" + gate], p["b" + gate] = np.random.randn(5, 8), np.random.randn(5, 1)
    if output_layer:
        p["Wy"], p["by"] = np.random.randn(2, 5), np.random.randn(2, 1)
    else:                                               # the 2021 lstm_backward cell: zeros, no draw
        p["Wy"], p["by"] = np.zeros((2, 5)), np.zeros((2, 1))
    return x, a0, c_prev, p


def test_rnn_cell_forward_published():
    xt, a_prev, p = draw_rnn_forward((3, 10))
    a_next, yt_pred, cache = rnn_cell_forward(xt, a_prev, p)
    assert_published([
        ("a_next[4]", a_next[4], [0.59584544, 0.18141802, 0.61311866, 0.99808218, 0.85016201, 0.99980978,
                                  -0.18887155, 0.99815551, 0.6531151, 0.82872037]),
        ("yt_pred[1]", yt_pred[1], [0.9888161, 0.01682021, 0.21140899, 0.36817467, 0.98988387, 0.88945212,
                                    0.36920224, 0.9966312, 0.9982559, 0.17746526]),
    ])
    assert (a_next.shape, yt_pred.shape, len(cache)) == ((5, 10), (2, 10), 4)


def test_rnn_forward_published():
    x, a0, p = draw_rnn_forward((3, 10, 4))
    a, y_pred, caches = rnn_forward(x, a0, p)
    assert_published([
        ("a[4][1]", a[4][1], [-0.99999375, 0.77911235, -0.99861469, -0.99833267]),
        ("y_pred[1][3]", y_pred[1][3], [0.79560373, 0.86224861, 0.11118257, 0.81515947]),
        ("caches[1][1][3]", caches[1][1][3], [-1.1425182, -0.34934272, -0.20889423, 0.58662319]),
    ])
    assert (a.shape, y_pred.shape, len(caches)) == ((5, 10, 4), (2, 10, 4), 2)


def test_rnn_cell_backward_published_2021():
    xt, a_prev, p = draw_rnn_backward((3, 10))
    da_next = np.random.randn(5, 10)
    g = rnn_cell_backward(da_next, rnn_cell_forward(xt, a_prev, p)[2])
    assert_published([
        ("dxt[1][2]", g["dxt"][1][2], -1.3872130506), ("da_prev[2][3]", g["da_prev"][2][3], -0.152399493774),
        ("dWax[3][1]", g["dWax"][3][1], 0.410772824935), ("dWaa[1][2]", g["dWaa"][1][2], 1.15034506685),
        ("dba[4]", g["dba"][4], [0.20023491]),
    ])
    shapes = tuple(g[k].shape for k in ("dxt", "da_prev", "dWax", "dWaa", "dba"))
    assert shapes == ((3, 10), (5, 10), (5, 3), (5, 5), (5, 1))


V3_RNN_CELL_BACKWARD = [("dxt", (1, 2), -0.460564103059), ("da_prev", (2, 3), 0.0842968653807),
                        ("dWax", (3, 1), 0.393081873922), ("dWaa", (1, 2), -0.28483955787),
                        ("dba", (4, 0), 0.80517166)]


def test_rnn_cell_backward_v3_output_is_the_stale_ba_of_its_test_cell():
    """The 2018 notebook's numbers differ from the 2021 ones with the same draws: its test cell put
    the ``ba`` left over from the ``rnn_forward`` cell into the parameters. The key reproduces them
    exactly on that ``ba``, and not on the ``b`` the cell drew: the math is the same, the inputs were not."""
    _, _, stale = draw_rnn_forward((3, 10, 4))
    xt, a_prev, p = draw_rnn_backward((3, 10))
    da_next = np.random.randn(5, 10)
    drawn = rnn_cell_backward(da_next, rnn_cell_forward(xt, a_prev, p)[2])
    leftover = rnn_cell_backward(da_next, rnn_cell_forward(xt, a_prev, {**p, "ba": stale["ba"]})[2])
    assert_published([(f"{k}{idx}", leftover[k][idx], v) for k, idx, v in V3_RNN_CELL_BACKWARD])
    assert all(abs(drawn[k][idx] - v) > 1e-2 for k, idx, v in V3_RNN_CELL_BACKWARD)


def test_rnn_backward_published():
    x, a0, p = draw_rnn_backward((3, 10, 4))
    da = np.random.randn(5, 10, 4)
    g = rnn_backward(da, rnn_forward(x, a0, p)[2])
    assert_published([
        ("dx[1][2]", g["dx"][1][2], [-2.07101689, -0.59255627, 0.02466855, 0.01483317]),
        ("da0[2][3]", g["da0"][2][3], -0.314942375127), ("dWax[3][1]", g["dWax"][3][1], 11.2641044965),
        ("dWaa[1][2]", g["dWaa"][1][2], 2.30333312658), ("dba[4]", g["dba"][4], [-0.74747722]),
    ])
    assert (g["dx"].shape, g["da0"].shape) == ((3, 10, 4), (5, 10))


def test_lstm_cell_forward_published():
    xt, a_prev, c_prev, p = draw_lstm((3, 10), with_c_prev=True)
    a_next, c_next, yt, cache = lstm_cell_forward(xt, a_prev, c_prev, p)
    assert_published([
        ("a_next[4]", a_next[4], [-0.66408471, 0.0036921, 0.02088357, 0.22834167, -0.85575339, 0.00138482,
                                  0.76566531, 0.34631421, -0.00215674, 0.43827275]),
        ("c_next[2]", c_next[2], [0.63267805, 1.00570849, 0.35504474, 0.20690913, -1.64566718, 0.11832942,
                                  0.76449811, -0.0981561, -0.74348425, -0.26810932]),
        ("yt[1]", yt[1], [0.79913913, 0.15986619, 0.22412122, 0.15606108, 0.97057211, 0.31146381,
                          0.00943007, 0.12666353, 0.39380172, 0.07828381]),
        ("cache[1][3]", cache[1][3], [-0.16263996, 1.03729328, 0.72938082, -0.54101719, 0.02752074,
                                      -0.30821874, 0.07651101, -1.03752894, 1.41219977, -0.37647422]),
    ])
    assert (a_next.shape, c_next.shape, yt.shape, len(cache)) == ((5, 10), (5, 10), (2, 10), 10)


def test_lstm_forward_published():
    x, a0, _, p = draw_lstm((3, 10, 7), with_c_prev=False)
    a, y, c, caches = lstm_forward(x, a0, p)
    assert_published([
        ("a[4][3][6]", a[4][3][6], 0.172117767533), ("y[1][4][3]", y[1][4][3], 0.95087346185),
        ("caches[1][1][1]", caches[1][1][1], [0.82797464, 0.23009474, 0.76201118, -0.22232814, -0.20075807,
                                              0.18656139, 0.41005165]),
        ("c[1][2][1]", c[1][2][1], -0.855544916718),
    ])
    assert (a.shape, y.shape, c.shape, len(caches)) == ((5, 10, 7), (2, 10, 7), (5, 10, 7), 2)


def test_lstm_cell_backward_published():
    xt, a_prev, c_prev, p = draw_lstm((3, 10), with_c_prev=True)
    cache = lstm_cell_forward(xt, a_prev, c_prev, p)[3]
    da_next, dc_next = np.random.randn(5, 10), np.random.randn(5, 10)
    g = lstm_cell_backward(da_next, dc_next, cache)
    assert_published([
        ("dxt[1][2]", g["dxt"][1][2], 3.23055911511), ("da_prev[2][3]", g["da_prev"][2][3], -0.0639621419711),
        ("dc_prev[2][3]", g["dc_prev"][2][3], 0.797522038797), ("dWf[3][1]", g["dWf"][3][1], -0.147954838164),
        ("dWi[1][2]", g["dWi"][1][2], 1.05749805523), ("dWc[3][1]", g["dWc"][3][1], 2.30456216369),
        ("dWo[1][2]", g["dWo"][1][2], 0.331311595289), ("dbf[4]", g["dbf"][4], [0.18864637]),
        ("dbi[4]", g["dbi"][4], [-0.40142491]), ("dbc[4]", g["dbc"][4], [0.25587763]),
        ("dbo[4]", g["dbo"][4], [0.13893342]),
    ])
    assert (g["dxt"].shape, g["dc_prev"].shape, g["dWf"].shape) == ((3, 10), (5, 10), (5, 8))


@pytest.fixture
def lstm_backward_inputs():
    """The lstm_backward cell: the forward runs T_x = 7 steps but ``da`` has 4; the course's reference
    loops over ``da.shape[2]``, i.e. the first 4 caches, which is what the key gets here."""
    x, a0, _, p = draw_lstm((3, 10, 7), with_c_prev=False, output_layer=False)
    cell_caches, x_cached = lstm_forward(x, a0, p)[3]
    da = np.random.randn(5, 10, 4)
    return da, (cell_caches[:4], x_cached[:, :, :4])


def test_lstm_backward_published_2021(lstm_backward_inputs):
    g = lstm_backward(*lstm_backward_inputs)
    assert_published([
        ("dx[1][2]", g["dx"][1][2], [0.00218254, 0.28205375, -0.48292508, -0.43281115]),
        ("da0[2][3]", g["da0"][2][3], 0.312770310257), ("dWf[3][1]", g["dWf"][3][1], -0.0809802310938),
        ("dWi[1][2]", g["dWi"][1][2], 0.40512433093), ("dWc[3][1]", g["dWc"][3][1], -0.0793746735512),
        ("dWo[1][2]", g["dWo"][1][2], 0.038948775763), ("dbf[4]", g["dbf"][4], [-0.15745657]),
        ("dbi[4]", g["dbi"][4], [-0.50848333]), ("dbc[4]", g["dbc"][4], [-0.42510818]),
        ("dbo[4]", g["dbo"][4], [-0.17958196]),
    ])
    assert (g["dx"].shape, g["da0"].shape) == ((3, 10, 4), (5, 10))


#: The older notebook's published lstm_backward output (wrong: no carry through time).
V3_LSTM_BACKWARD = {
    "dx[1][2]": [-0.00173313, 0.08287442, -0.30545663, -0.43281115], "da0[2][3]": -0.095911501954,
    "dWf[3][1]": -0.0698198561274, "dWi[1][2]": 0.102371820249, "dWc[3][1]": -0.0624983794927,
    "dWo[1][2]": 0.0484389131444, "dbf[4]": [-0.0565788],
}
#: Its three bias gradients that not even the no-carry variant gives.
V3_LSTM_BACKWARD_UNEXPLAINED = {"dbi[4]": [-0.06997391], "dbc[4]": [-0.27441821], "dbo[4]": [0.16532821]}


def published_entries(g):
    return {
        "dx[1][2]": g["dx"][1][2], "da0[2][3]": g["da0"][2][3], "dWf[3][1]": g["dWf"][3][1],
        "dWi[1][2]": g["dWi"][1][2], "dWc[3][1]": g["dWc"][3][1], "dWo[1][2]": g["dWo"][1][2],
        "dbf[4]": g["dbf"][4], "dbi[4]": g["dbi"][4], "dbc[4]": g["dbc"][4], "dbo[4]": g["dbo"][4],
    }


def no_carry_lstm_backward(da, caches):
    """Every step on its own: upstream da[:, :, t] and dc = 0, nothing carried to step t−1."""
    cell_caches, x = caches
    n_a, m, T_x = da.shape
    dx, total = np.empty((x.shape[0], m, T_x)), {}
    for t in reversed(range(T_x)):
        g = lstm_cell_backward(da[:, :, t], np.zeros((n_a, m)), cell_caches[t])
        dx[:, :, t], da0 = g["dxt"], g["da_prev"]
        for key in (k for k in g if k.startswith(("dW", "db"))):
            total[key] = total.get(key, 0) + g[key]
    return {"dx": dx, "da0": da0, **total}


def test_lstm_backward_v3_output_never_carried_the_gradients(lstm_backward_inputs):
    """The key does not match the older notebook's lstm_backward output (its math carries da_prev and
    dc_prev, which is right: finite differences and autograd agree with it); a variant without the
    carry reproduces every printed value but dbi, dbc and dbo."""
    key = published_entries(lstm_backward(*lstm_backward_inputs))
    no_carry = published_entries(no_carry_lstm_backward(*lstm_backward_inputs))
    for label, expected in {**V3_LSTM_BACKWARD, **V3_LSTM_BACKWARD_UNEXPLAINED}.items():
        if label == "dx[1][2]":        # the last step has nothing to carry: only dx[1][2][:3] differ
            assert np.all(np.abs(key[label][:3] - np.asarray(expected)[:3]) > 1e-3), label
        else:
            assert np.all(np.abs(key[label] - np.asarray(expected)) > 1e-3), label
    assert_published([(label, no_carry[label], v) for label, v in V3_LSTM_BACKWARD.items()])
    for label, expected in V3_LSTM_BACKWARD_UNEXPLAINED.items():
        assert np.all(np.abs(no_carry[label] - np.asarray(expected)) > 1e-3), label
