"""Evaluate a SymPy expression at a point with mpmath, walking the tree (no lambdify, no exec).

Only the node types the parser can produce (and what SymPy's automatic evaluation turns them
into: Abs, sign, E) are known; anything else is an error of the checker, not of the student.
Values are real: a complex intermediate, a non-positive log argument or a magnitude beyond
``10**LIMIT_EXP10`` makes the whole value *undefined* (:class:`Undefined`), so that a hostile
``exp(exp(exp(x)))`` costs microseconds instead of building huge numbers.
"""
from __future__ import annotations

import mpmath
import sympy

from solutions.symbolic import sigmoid

LIMIT_EXP10 = 300
_MAX_EXP_ARG = 690.0  # exp(690) ≈ 1e299


class Undefined(ArithmeticError):
    """The expression has no finite real value at this point."""


class UnsupportedNode(TypeError):
    """A node the evaluator does not know (a bug in the checker, reported as ``error``)."""


def make_context(dps: int = 30) -> mpmath.MPContext:
    """A private mpmath context: grading threads must not share mpmath's global precision."""
    ctx = mpmath.MPContext()
    ctx.dps = dps
    return ctx


def evaluate(expr: sympy.Expr, point: dict, ctx: mpmath.MPContext):
    """Value of ``expr`` with ``point`` = {symbol name: number}; raises :class:`Undefined`."""
    values = {name: ctx.mpf(v) for name, v in point.items()}
    limit = ctx.mpf(10) ** LIMIT_EXP10
    return _eval(expr, values, ctx, limit)


def _check(v, ctx, limit):
    if isinstance(v, mpmath.ctx_mp_python.mpc) or not ctx.isfinite(v) or abs(v) > limit:
        raise Undefined()
    return v


def _eval(e, values, ctx, limit):
    if e.is_Symbol:
        return values[e.name]
    if e.is_Integer:
        return _check(ctx.mpf(int(e.p)), ctx, limit)
    if e.is_Rational:
        return _check(ctx.mpf(int(e.p)) / int(e.q), ctx, limit)
    if e.is_Float:
        return _check(ctx.mpf(e._mpf_), ctx, limit)
    if e is sympy.E:
        return ctx.e
    args = [_eval(a, values, ctx, limit) for a in e.args]
    if e.is_Add:
        out = ctx.fsum(args)
    elif e.is_Mul:
        out = ctx.fprod(args)
    elif e.is_Pow:
        base, exponent = args
        if base == 0 and exponent < 0:
            raise Undefined()
        if base < 0 and not ctx.isint(exponent):
            raise Undefined()
        if base != 0 and abs(exponent * ctx.log10(abs(base))) > LIMIT_EXP10:
            raise Undefined()
        out = ctx.power(base, exponent)
    elif isinstance(e, sympy.exp):
        if args[0] > _MAX_EXP_ARG:
            raise Undefined()
        out = ctx.exp(args[0])
    elif isinstance(e, sympy.log):
        if args[0] <= 0:
            raise Undefined()
        out = ctx.log(args[0])
    elif isinstance(e, sympy.tanh):
        out = ctx.tanh(args[0])
    elif isinstance(e, sigmoid):
        a = args[0]
        # 1/(1 + exp(−a)) without exponentiating a large positive number
        out = 1 / (1 + ctx.exp(-a)) if a >= 0 else ctx.exp(a) / (1 + ctx.exp(a))
    elif isinstance(e, (sympy.sinh, sympy.cosh)):
        if abs(args[0]) > _MAX_EXP_ARG:
            raise Undefined()
        out = ctx.sinh(args[0]) if isinstance(e, sympy.sinh) else ctx.cosh(args[0])
    elif isinstance(e, sympy.Abs):
        out = abs(args[0])
    elif isinstance(e, sympy.sign):
        out = ctx.sign(args[0])
    else:
        raise UnsupportedNode(type(e).__name__)
    return _check(out, ctx, limit)
