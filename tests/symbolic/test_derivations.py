"""Do the SymPy derivations give the textbook formulas, and do they agree with the NumPy key?

Oracles: hand-written formulas of the exercises (checked symbolically and at points), central
finite differences of the forward equations, and the NumPy answer key (``solutions``) on random
points, to 1e-10.
"""
import numpy as np
import pytest
import sympy

import solutions
from solutions import symbolic as S

sig = S.sigmoid
u, w, b, h, x = S.symbols("u w b h x")
dh, dc, f, i, o, g, c_prev = S.symbols("dh dc f i o g c_prev")
C = f * c_prev + i * g


def _zero(expr) -> bool:
    return sympy.simplify(expr.rewrite(sympy.exp)) == 0


@pytest.mark.parametrize("name, expected, names", [
    ("residual_dh", 1 + u * (1 - sympy.tanh(u * h + w * x + b) ** 2), "u w b h x"),
    ("lstm_dc_prev", (dc + dh * o * (1 - sympy.tanh(C) ** 2)) * f, "dh dc f i o g c_prev"),
    ("lstm_dforget", (dc + dh * o * (1 - sympy.tanh(C) ** 2)) * c_prev * f * (1 - f),
     "dh dc f i o g c_prev"),
], ids=["residual_dh", "lstm_dc_prev", "lstm_dforget"])
def test_reference_equals_textbook_formula_in_declared_symbols(name, expected, names):
    ref = getattr(S, name)()
    assert ref.free_symbols <= set(S.symbols(names))
    assert _zero(ref - expected)


def test_gru_dh_prev_matches_the_hand_derivation_and_uses_the_declared_symbols():
    names = "h x wz uz bz wr ur br wh uh bh"
    hh, xx, wz, uz, bz, wr, ur, br, wh, uh, bh = S.symbols(names)
    z, r = sig(wz * xx + uz * hh + bz), sig(wr * xx + ur * hh + br)
    n = sympy.tanh(wh * xx + uh * r * hh + bh)
    hand = z + (1 - z) * (1 - n ** 2) * uh * (r + hh * r * (1 - r) * ur) + (hh - n) * z * (1 - z) * uz
    ref = S.gru_dh_prev()
    assert ref.free_symbols == set(S.symbols(names))
    rng = np.random.default_rng(3)
    for _ in range(20):
        point = dict(zip(S.symbols(names), rng.uniform(-2, 2, 11)))
        assert abs(float((ref - hand).subs(point).rewrite(sympy.exp))) < 1e-12


def test_preactivation_grads_of_every_gate():
    grads = S.lstm_preactivation_grads()
    back = dc + dh * o * (1 - sympy.tanh(C) ** 2)
    assert _zero(grads["a_i"] - back * g * i * (1 - i))
    assert _zero(grads["a_g"] - back * i * (1 - g ** 2))
    assert _zero(grads["a_o"] - dh * sympy.tanh(C) * o * (1 - o))


def test_sigmoid_differentiates_to_sigma_times_one_minus_sigma_and_evaluates():
    a = S.symbol("a")
    assert sympy.diff(sig(a), a) == sig(a) * (1 - sig(a))
    assert _zero(sympy.diff(sig(a), a) - sympy.diff(1 / (1 + sympy.exp(-a)), a))
    assert float(sig(sympy.Rational(3, 10)).evalf()) == pytest.approx(1 / (1 + np.exp(-0.3)), abs=1e-15)


def test_residual_dh_agrees_with_central_differences():
    step = sympy.lambdify((u, w, b, h, x), S.residual_step())
    deriv = sympy.lambdify((u, w, b, h, x), S.residual_dh())
    rng = np.random.default_rng(0)
    for vals in rng.uniform(-2, 2, (10, 5)):
        eps = 1e-6
        fd = (step(*vals[:3], vals[3] + eps, vals[4]) - step(*vals[:3], vals[3] - eps, vals[4])) / (2 * eps)
        assert abs(fd - deriv(*vals)) < 1e-8


# --- cross-check with the NumPy answer key ---------------------------------------------------

SHAPES = [dict(n_x=3, n_h=4, m=5), dict(n_x=1, n_h=1, m=1), dict(n_x=2, n_h=3, m=1)]
SHAPE_IDS = ["n_x=3,n_h=4,m=5", "n_x=1,n_h=1,m=1", "n_x=2,n_h=3,m=1"]


def _lstm_inputs(rng, n_x, n_h, m):
    p = {k: rng.standard_normal((n_h, n_h + n_x)) for k in ("Wf", "Wi", "Wc", "Wo")}
    p.update({k: rng.standard_normal((n_h, 1)) for k in ("bf", "bi", "bc", "bo")})
    p["Wy"], p["by"] = rng.standard_normal((2, n_h)), rng.standard_normal((2, 1))
    return [rng.standard_normal((n_h, m)), rng.standard_normal((n_h, m)),
            rng.standard_normal((n_x, m)), rng.standard_normal((n_h, m)),
            rng.standard_normal((n_h, m)), p]


def _gru_inputs(rng, n_x, n_h, m):
    p = {k: rng.standard_normal((n_h, n_h + n_x)) for k in ("Wz", "Wr", "Wh")}
    p.update({k: rng.standard_normal((n_h, 1)) for k in ("bz", "br", "bh")})
    p["Wy"], p["by"] = rng.standard_normal((2, n_h)), rng.standard_normal((2, 1))
    return [rng.standard_normal((n_h, m)), rng.standard_normal((n_x, m)),
            rng.standard_normal((n_h, m)), p]


@pytest.mark.parametrize("shape", SHAPES, ids=SHAPE_IDS)
def test_lstm_cell_backward_from_sympy_matches_numpy_key(shape):
    args = _lstm_inputs(np.random.default_rng(11), **shape)
    key, ours = solutions.lstm_cell_backward(*args), S.lstm_cell_backward_symbolic(*args)
    assert set(key) == set(ours)
    for name in key:
        np.testing.assert_allclose(ours[name], key[name], rtol=0, atol=1e-10, err_msg=name)


@pytest.mark.parametrize("shape", SHAPES, ids=SHAPE_IDS)
def test_gru_cell_backward_from_sympy_matches_numpy_key(shape):
    args = _gru_inputs(np.random.default_rng(12), **shape)
    key, ours = solutions.gru_cell_backward(*args), S.gru_cell_backward_symbolic(*args)
    assert set(key) == set(ours)
    for name in key:
        np.testing.assert_allclose(ours[name], key[name], rtol=0, atol=1e-10, err_msg=name)


@pytest.mark.parametrize("shape", SHAPES, ids=SHAPE_IDS)
def test_residual_jacobian_from_sympy_matches_numpy_key(shape):
    rng = np.random.default_rng(13)
    n_x, n_h, m = shape["n_x"], shape["n_h"], shape["m"]
    p = {"U": rng.standard_normal((n_h, n_h)), "W": rng.standard_normal((n_h, n_x)),
         "b": rng.standard_normal((n_h, 1))}
    args = [rng.standard_normal((n_x, m)), rng.standard_normal((n_h, m)), p]
    J = S.residual_step_jacobian_symbolic(*args)
    assert J.shape == (m, n_h, n_h)
    np.testing.assert_allclose(J, solutions.residual_rnn_step_jacobian(*args), rtol=0, atol=1e-10)


def test_scalar_references_match_numpy_key_in_the_one_unit_case():
    """n_h = n_x = 1, one example: each item's reference is a number of the NumPy backward."""
    rng = np.random.default_rng(14)
    for _ in range(5):
        dh_next, dc_next, xt, h_prev, c_prev_, p = _lstm_inputs(rng, 1, 1, 1)
        key = solutions.lstm_cell_backward(dh_next, dc_next, xt, h_prev, c_prev_, p)
        cat = np.vstack([h_prev, xt])
        gates = {k: solutions.sigmoid(p["W" + k] @ cat + p["b" + k]).item() for k in "fio"}
        gates["g"] = np.tanh(p["Wc"] @ cat + p["bc"]).item()
        point = {dh: dh_next.item(), dc: dc_next.item(), c_prev: c_prev_.item(),
                 **{S.symbol(k): v for k, v in gates.items()}}
        assert abs(float(S.lstm_dc_prev().subs(point)) - key["dc_prev"].item()) < 1e-10
        assert abs(float(S.lstm_dforget().subs(point)) - key["dbf"].item()) < 1e-10

        dh_next, xt, h_prev, p = _gru_inputs(rng, 1, 1, 1)
        key = solutions.gru_cell_backward(np.ones_like(dh_next), xt, h_prev, p)
        (uz, wz), (ur, wr), (uh, wh) = (p[k][0] for k in ("Wz", "Wr", "Wh"))
        values = dict(h=h_prev.item(), x=xt.item(), wz=wz, uz=uz, bz=p["bz"].item(), wr=wr, ur=ur,
                      br=p["br"].item(), wh=wh, uh=uh, bh=p["bh"].item())
        ref = S.gru_dh_prev().subs({S.symbol(k): v for k, v in values.items()})
        assert abs(float(ref.rewrite(sympy.exp)) - key["dh_prev"].item()) < 1e-10

        U, W, bb = rng.standard_normal((1, 1)), rng.standard_normal((1, 1)), rng.standard_normal((1, 1))
        xt, h_prev = rng.standard_normal((1, 1)), rng.standard_normal((1, 1))
        J = solutions.residual_rnn_step_jacobian(xt, h_prev, {"U": U, "W": W, "b": bb})
        ref = S.residual_dh().subs({u: U.item(), w: W.item(), b: bb.item(), h: h_prev.item(), x: xt.item()})
        assert abs(float(ref) - J.item()) < 1e-10
