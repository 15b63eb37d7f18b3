"""The reference derivation of exercises 6-3, 6-4 and 6-5 as language-neutral steps.

Each :class:`Step` pairs a prose key (texts in ``catalogue.py``) with a SymPy expression built
from the derivations of ``solutions.symbolic``; renderers print the expression (MathML or LaTeX),
so no formula on the page is typed by hand. Numbers quoted in the prose (eigenvalues, powers) are
computed here, with SymPy, and passed as fields.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import sympy

from solutions import symbolic as S
from solutions.derivation.mathml import Partial, ProductOver


@dataclass(frozen=True)
class Step:
    text: str  # key into the catalogue
    formula: sympy.Basic | None = None
    fields: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Section:
    key: str  # "6-3", "6-4", "6-5"
    title: str  # key into the catalogue
    steps: tuple


def _eq(lhs, rhs) -> sympy.Eq:
    return sympy.Eq(lhs, rhs, evaluate=False)


def _sym(name: str) -> sympy.Symbol:
    return S.symbol(name)


def _tidy(expr: sympy.Expr) -> sympy.Expr:
    """Common factors pulled out (c_prev·f·(1−f)·(dc + …)): the same expression, easier to read."""
    return sympy.factor_terms(expr)


def _residual_section() -> Section:
    steps = [
        Step("res_forward", _eq(_sym("h_t"), S.residual_step())),
        Step("res_scalar", _eq(Partial(_sym("h_t"), _sym("h_t-1")), S.residual_dh())),
    ]
    # Vector case with n_h = 2: SymPy's jacobian, then the check that it is I + diag(1 − tanh²)·U.
    J, (hv, xv, U, W, bv) = S.residual_jacobian_matrix(2, 1)
    zv = U * hv + W * xv + bv
    D = sympy.diag(*[1 - sympy.tanh(zk) ** 2 for zk in zv])
    if (J - (sympy.eye(2) + D * U)).expand() != sympy.zeros(2, 2):
        raise AssertionError("the residual Jacobian is not I + diag(1 - tanh^2) U")
    zs = sympy.Matrix([_sym("z_1"), _sym("z_2")])
    D_z = sympy.diag(*[1 - sympy.tanh(zk) ** 2 for zk in zs])
    steps.append(Step("res_matrix", _eq(_sym("J_t"), sympy.MatAdd(
        sympy.Identity(2), sympy.MatMul(sympy.ImmutableMatrix(D_z), sympy.ImmutableMatrix(U),
                                        evaluate=False), evaluate=False))))
    k, t, tau = sympy.symbols("k t tau", integer=True)
    steps.append(Step("res_chain", _eq(Partial(_sym("h_t"), _sym("h_k")),
                                       ProductOver(_sym("J_tau"), tau, k + 1, t))))
    # Eigenvalues: those of I + A are 1 + those of A, and powers compound them.
    A = sympy.Matrix([[sympy.Rational(3, 10), sympy.Rational(1, 10)],
                      [sympy.Rational(1, 10), sympy.Rational(2, 10)]])
    eig_a = sorted(A.eigenvals(), key=lambda e: float(e))
    eig_j = sorted((sympy.eye(2) + A).eigenvals(), key=lambda e: float(e))
    lam = _sym("lambda")
    growth = (1 + eig_a[-1]) ** 30
    steps.append(Step("res_eigen", _eq(_sym("mu"), 1 + lam), {
        "eig_a": ", ".join(f"{float(e):.3f}" for e in eig_a),
        "eig_j": ", ".join(f"{float(e):.3f}" for e in eig_j),
        "growth": f"{float(growth):.3g}",
        "plain": f"{float(eig_a[-1] ** 30):.3g}",
    }))
    steps.append(Step("res_compound", _eq(_sym("g_k"), (1 + lam) ** (t - k) * _sym("g_t"))))
    theta, norm_g = _sym("theta"), _sym("‖g‖")
    steps.append(Step("res_clip", _eq(_sym("g"), sympy.Min(1, theta / norm_g) * _sym("g"))))
    steps.append(Step("res_decay", _eq(_sym("L_reg"), _sym("L") + _sym("beta") / 2 * _sym("‖U‖") ** 2)))
    steps.append(Step("res_gating", _eq(Partial(_sym("h_t"), _sym("h_t-1")),
                                        S.gru_local_partials()["h"] + _sym("…"))))
    return Section("6-3", "title_63", tuple(steps))


def _lstm_section() -> Section:
    dh, dc, f, i, o, g, c_prev = S.symbols(" ".join(S.LSTM_GIVENS))
    c = S.lstm_cell_c()
    steps = [
        Step("lstm_forward_c", _eq(_sym("c_t"), c)),
        Step("lstm_forward_h", _eq(_sym("h_t"), o * sympy.tanh(_sym("c_t")))),
        Step("lstm_loss", _eq(_sym("L"), dh * _sym("h_t") + dc * _sym("c_t"))),
        Step("lstm_dc_prev", S.lstm_dc_prev()),
        Step("lstm_dc_prev_tidy", _eq(Partial(_sym("L"), _sym("c_t-1")), _tidy(S.lstm_dc_prev()))),
    ]
    grads = S.lstm_preactivation_grads()
    for gate in ("a_f", "a_i", "a_g", "a_o"):
        steps.append(Step("lstm_pre_" + gate, _eq(Partial(_sym("L"), _sym(gate)),
                                                  _tidy(grads[gate]))))
    params = S.lstm_param_grads()
    for k in S.LSTM_GATES:
        for p in (f"u_{k}", f"w_{k}", f"b_{k}"):
            steps.append(Step("lstm_param", _eq(Partial(_sym("L"), _sym(p)), _tidy(params[p])),
                              {"name": p}))
    steps.append(Step("lstm_inputs", _eq(Partial(_sym("L"), _sym("h_t-1")),
                                         _tidy(params["h_prev"]))))
    steps.append(Step("lstm_vector", None))
    steps.append(Step("lstm_additive", _eq(Partial(_sym("c_t"), _sym("c_t-1")),
                                           sympy.diff(c, c_prev))))
    k, t, tau = sympy.symbols("k t tau", integer=True)
    steps.append(Step("lstm_additive_chain", _eq(Partial(_sym("c_t"), _sym("c_k")),
                                                 ProductOver(_sym("f_tau"), tau, k + 1, t))))
    return Section("6-4", "title_64", tuple(steps))


def _gru_section() -> Section:
    h_t, z, r, n = S.gru_step()
    zs, rs, ns = S.symbols("z r n")
    steps = [
        Step("gru_forward_z", _eq(zs, z)),
        Step("gru_forward_r", _eq(rs, r)),
        Step("gru_forward_n", _eq(ns, n.xreplace({r: rs}))),
        Step("gru_forward_h", _eq(_sym("h_t"), S.gru_abbreviate(h_t))),
    ]
    dh_prev = S.gru_abbreviate(S.gru_dh_prev())
    steps.append(Step("gru_dh_prev", _eq(Partial(_sym("h_t"), _sym("h_t-1")), _tidy(dh_prev))))
    grads = S.gru_param_grads()
    for p in ("wz", "uz", "bz", "wr", "ur", "br", "wh", "uh", "bh"):
        steps.append(Step("gru_param", _eq(Partial(_sym("L"), _sym(p)), _tidy(grads[p])),
                          {"name": p}))
    steps.append(Step("gru_vector", None))
    steps.append(Step("gru_direct", _eq(Partial(_sym("h_t"), _sym("h_t-1")),
                                        S.gru_local_partials()["h"] + _sym("…"))))
    steps.append(Step("gru_saturated", _eq(Partial(_sym("h_t"), _sym("h_t-1")),
                                           sympy.simplify(dh_prev.subs(zs, 1)))))
    return Section("6-5", "title_65", tuple(steps))


@lru_cache(maxsize=None)
def sections() -> tuple:
    """The three sections (6-3, 6-4, 6-5), derived once per process."""
    return (_residual_section(), _lstm_section(), _gru_section())
