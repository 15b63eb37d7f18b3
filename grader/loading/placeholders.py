"""Which functions of a submission still hold a notebook template's ``None`` placeholders.

Course notebooks hand out functions whose lines read ``a_next = None`` or ``n_x, m = None`` for the
student to fill in. Such a function, run, fails on a ``NoneType`` (or returns ``None``s); the grader
calls it *unanswered*, not an error, when its body still assigns a bare ``None`` to a name (read
statically with ``ast``; nothing is run).
"""
from __future__ import annotations

import ast


def _assigns_none(node: ast.AST) -> bool:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Assign) and isinstance(sub.value, ast.Constant) and sub.value.value is None:
            return True
    return False


def placeholder_functions(units) -> set:
    """Names of the module-level functions (last definition wins) whose body assigns ``None``."""
    found: dict = {}
    for unit in units:
        try:
            tree = ast.parse(unit.source)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                found[node.name] = _assigns_none(node)
    return {name for name, has in found.items() if has}


def called_undefined(units) -> list:
    """Names called at module level (``rnn_cell_forward_test(rnn_cell_forward)``) that the submission
    never defines, assigns or imports by name: what ``from <inert module> import *`` must provide
    so that a notebook's own test cells run (and cost nothing) without the course's test files."""
    import builtins

    called, bound = set(), set(dir(builtins))
    for unit in units:
        try:
            tree = ast.parse(unit.source)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                bound.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
                bound.add(node.id)
            elif isinstance(node, ast.alias):
                bound.add((node.asname or node.name).partition(".")[0])
            elif isinstance(node, ast.arg):
                bound.add(node.arg)
        for stmt in tree.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            for node in ast.walk(stmt):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                    called.add(node.func.id)
    return sorted(called - bound)

