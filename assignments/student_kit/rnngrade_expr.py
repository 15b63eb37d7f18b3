"""Static check of a symbolic answer: does the string parse as an expression in the allowed names?

Only Python's ``ast`` is used: the text is parsed, never evaluated. This file is shipped to students
unchanged (stdlib only, Python >= 3.9); the spec validator uses it for the spec's abbreviations too.
"""
from __future__ import annotations

import ast

FUNCTIONS = ("exp", "log", "sqrt", "tanh", "sigmoid", "sinh", "cosh")
MAX_LENGTH = 2000

_BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_UNARY = (ast.UAdd, ast.USub)


def expression_problems(text, names, functions=FUNCTIONS):
    """Return the problems of ``text`` as an expression in ``names`` and ``functions`` (empty = fine).

    Allowed: numbers, the given names, ``+ - * / **``, unary ``+``/``-``, parentheses and calls of
    one argument to the given functions. Each problem is a sentence a student can act on.
    """
    if not isinstance(text, str):
        return ["the answer must be a string, e.g. \"(dc + dh*o)*f\""]
    if not text.strip():
        return ["the answer is empty"]
    if len(text) > MAX_LENGTH:
        return ["the answer is longer than %d characters" % MAX_LENGTH]
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        where = " at column %d" % exc.offset if exc.offset else ""
        return ["it is not a valid expression%s (%s); write products with * and powers with **"
                % (where, exc.msg)]
    problems = []
    _walk(tree.body, set(names), set(functions), problems)
    # Keep the first occurrence of each message, in order.
    return list(dict.fromkeys(problems))


def _walk(node, names, functions, problems):
    if isinstance(node, ast.BinOp):
        if type(node.op) not in _BINARY:
            if isinstance(node.op, ast.BitXor):
                problems.append("`^` is not a power in Python: write x**2, not x^2")
            else:
                problems.append("operator `%s` is not allowed; use + - * / **" % _op_text(node.op))
        _walk(node.left, names, functions, problems)
        _walk(node.right, names, functions, problems)
    elif isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, _UNARY):
            problems.append("operator `%s` is not allowed; use + - * / **" % _op_text(node.op))
        _walk(node.operand, names, functions, problems)
    elif isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            problems.append("only numbers may appear as constants, not %r" % (node.value,))
    elif isinstance(node, ast.Name):
        if node.id in functions and node.id not in names:
            problems.append("`%s` is a function: call it with one argument, e.g. %s(x)" % (node.id, node.id))
        elif node.id not in names:
            problems.append("unknown name `%s`; allowed names: %s" % (node.id, ", ".join(sorted(names))))
    elif isinstance(node, ast.Call):
        func = node.func.id if isinstance(node.func, ast.Name) else None
        if func not in functions:
            shown = func if func else ast.dump(node.func)[:40]
            problems.append("function `%s` is not allowed; allowed functions: %s"
                            % (shown, ", ".join(sorted(functions))))
        elif len(node.args) != 1 or node.keywords:
            problems.append("`%s` takes exactly one argument" % func)
        for arg in node.args:
            _walk(arg, names, functions, problems)
        for kw in node.keywords:
            _walk(kw.value, names, functions, problems)
    else:
        problems.append("`%s` is not allowed in an answer; use numbers, names, + - * / ** and "
                        "the functions %s" % (_node_text(node), ", ".join(sorted(functions))))


def _op_text(op):
    return {ast.Mod: "%", ast.FloorDiv: "//", ast.BitAnd: "&", ast.BitOr: "|", ast.LShift: "<<",
            ast.RShift: ">>", ast.MatMult: "@", ast.Not: "not", ast.Invert: "~"}.get(type(op), type(op).__name__)


def _node_text(node):
    try:
        return ast.unparse(node)[:40]
    except Exception:  # ast.unparse exists from 3.9 on; keep the message even if it fails
        return type(node).__name__
