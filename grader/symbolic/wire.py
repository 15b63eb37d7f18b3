"""SymPy expressions as JSON trees, to pass a reference expression to the worker process.

Only the node types of the symbolic items are known, and the tree is rebuilt node by node
(no ``sympify``, no ``eval``): ``["sym", name]``, ``["int", "12"]``, ``["rat", p, q]``,
``["float", mpf-string]``, ``["E"]``, ``[op, child, ...]`` with op in ``OPS``.
"""
from __future__ import annotations

import sympy

from solutions.symbolic import sigmoid, symbol

OPS = {
    "add": sympy.Add, "mul": sympy.Mul, "pow": sympy.Pow, "exp": sympy.exp, "log": sympy.log,
    "tanh": sympy.tanh, "sinh": sympy.sinh, "cosh": sympy.cosh, "sigmoid": sigmoid,
    "abs": sympy.Abs, "sign": sympy.sign,
}
_NAME_OF = {cls: name for name, cls in OPS.items()}


def to_json(e: sympy.Expr):
    if e.is_Symbol:
        return ["sym", e.name]
    if e.is_Integer:
        return ["int", str(int(e))]
    if e.is_Rational:
        return ["rat", str(int(e.p)), str(int(e.q))]
    if e.is_Float:
        return ["float", str(e)]
    if e is sympy.E:
        return ["E"]
    name = _NAME_OF.get(e.func)
    if name is None:
        raise TypeError(f"cannot send a {type(e).__name__} node to the symbolic worker")
    return [name] + [to_json(a) for a in e.args]


def from_json(tree) -> sympy.Expr:
    tag = tree[0]
    if tag == "sym":
        return symbol(tree[1])
    if tag == "int":
        return sympy.Integer(int(tree[1]))
    if tag == "rat":
        return sympy.Rational(int(tree[1]), int(tree[2]))
    if tag == "float":
        return sympy.Float(tree[1])
    if tag == "E":
        return sympy.E
    return OPS[tag](*(from_json(t) for t in tree[1:]))
