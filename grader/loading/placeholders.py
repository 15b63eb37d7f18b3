"""Which functions of a submission still hold a notebook template's ``None`` placeholders.

Course notebooks hand out functions whose lines read ``a_next = None`` or ``n_x, m = None`` for the
student to fill in. Such a function, run, fails on a ``NoneType`` (or returns ``None``s); the grader
calls it *unanswered*, not an error, when its body still assigns a bare ``None`` to a name (read
statically with ``ast``; nothing is run).
"""
from __future__ import annotations

import ast


def _assigns_none(node: ast.AST) -> bool:
    """Whether a statement of ``node``'s body, at any depth, assigns a bare ``None``.

    An assignment is a statement, and statements only sit in the statement lists of other
    statements (bodies, ``else``/``finally`` blocks, ``except`` handlers, ``match`` cases), never
    inside an expression: walking those lists alone finds every one that ``ast.walk`` would, at a
    tenth of its cost (most of a function's nodes are expressions)."""
    todo = [node]
    while todo:
        stmt = todo.pop()
        if type(stmt) is ast.Assign:
            value = stmt.value
            if type(value) is ast.Constant and value.value is None:
                return True
            continue
        for name in _BLOCK_FIELDS.get(type(stmt), ()):
            todo.extend(getattr(stmt, name))
    return False


# Fields holding statement lists (or except handlers / match cases, which hold them), per node type.
_BLOCK_FIELDS = {cls: tuple(f for f in ("body", "orelse", "finalbody", "handlers", "cases") if f in cls._fields)
                 for cls in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.For, ast.AsyncFor,
                             ast.While, ast.If, ast.With, ast.AsyncWith, ast.Try,
                             getattr(ast, "TryStar", ast.Try), ast.ExceptHandler, ast.Match, ast.match_case)}


def placeholder_functions(units) -> set:
    """Names of the module-level functions (last definition wins) whose body assigns ``None``."""
    found: dict = {}
    for unit in units:
        tree = getattr(unit, "tree", None)  # the loader's parse, when it has one
        if tree is None:
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

