"""Sample buggy submissions: a correct source with one named mistake's functions appended.

The buggy functions of ``grader.diagnosis.buggy`` take a ``bug`` argument; here they are specialised
to one mistake by partial evaluation of their ``ast`` (``bug`` becomes a constant, ``if`` branches
and conditional expressions on it are folded away, the argument disappears from every signature and
call), so the appended code reads like a student's own: only the buggy line is left. The functions of
the mistake's items are renamed to the contract names; the helpers they need (and nothing else) come
along, and later definitions replace the base's when the source runs.
"""
from __future__ import annotations

import ast
import functools
import importlib
import inspect
import operator
from pathlib import Path
from typing import Optional

from grader.diagnosis.globals_scan import _free_names
from grader.diagnosis.mistakes import MISTAKES
from grader.diagnosis.variants import BUGGY_FUNCTIONS, COMPOSABLE

# nndl-ch6's reference solution: the base every sample submission (the demo's, the LMS samples') edits
SOLUTION = Path(__file__).resolve().parents[2] / "assignments" / "nndl_ch6" / "solution.py"

_COMPARE = {ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.In: lambda a, b: a in b,
            ast.NotIn: lambda a, b: a not in b}


def _const(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant)


class _Specialise(ast.NodeTransformer):
    """Replace the name ``bug`` by a constant and fold what that decides: for a composable function
    (a set of flags) ``"flag" in bug`` and ``"prefix:" + gate in bug``; for one written the
    one-mistake way (a string) ``bug == "flag"`` and ``bug == "prefix:" + gate``."""

    def __init__(self, bug):
        self.bug = bug

    def visit_FunctionDef(self, node: ast.FunctionDef):
        args = node.args
        names = [a.arg for a in args.args]
        if "bug" in names:
            k = names.index("bug")
            first_default = len(args.args) - len(args.defaults)
            del args.args[k]
            if k >= first_default:
                del args.defaults[k - first_default]
        if node.body and isinstance(node.body[0], ast.Expr) and _const(node.body[0].value) \
                and isinstance(node.body[0].value.value, str):
            node.body = node.body[1:] or [ast.Pass()]  # the docstring describes the generic function
        self.generic_visit(node)
        return node

    def visit_Call(self, node: ast.Call):
        node.args = [a for a in node.args if not (isinstance(a, ast.Name) and a.id == "bug")]
        node.keywords = [kw for kw in node.keywords if kw.arg != "bug"]
        self.generic_visit(node)
        return node

    def visit_Name(self, node: ast.Name):
        if node.id == "bug" and isinstance(node.ctx, ast.Load):
            return ast.copy_location(ast.Constant(self.bug), node)
        return node

    def visit_BinOp(self, node: ast.BinOp):
        self.generic_visit(node)
        if isinstance(node.op, ast.Add) and _const(node.left) and _const(node.right) \
                and isinstance(node.left.value, str) and isinstance(node.right.value, str):
            return ast.Constant(node.left.value + node.right.value)
        return node

    def visit_Compare(self, node: ast.Compare):
        self.generic_visit(node)
        if len(node.ops) != 1 or type(node.ops[0]) not in _COMPARE:
            return node
        op, left, right = node.ops[0], node.left, node.comparators[0]
        if _const(left) and _const(right):
            return ast.Constant(_COMPARE[type(op)](left.value, right.value))
        if _const(left) and isinstance(right, ast.Tuple) and all(_const(e) for e in right.elts):
            return ast.Constant(_COMPARE[type(op)](left.value, tuple(e.value for e in right.elts)))
        # "<bug>" == "prefix:" + gate  ->  gate == "<rest>" (or a constant when the prefix differs)
        if isinstance(op, (ast.Eq, ast.NotEq)) and _const(left) and isinstance(left.value, str) \
                and isinstance(right, ast.BinOp) and isinstance(right.op, ast.Add) and _const(right.left):
            prefix = right.left.value
            if not left.value.startswith(prefix):
                return ast.Constant(isinstance(op, ast.NotEq))
            return ast.Compare(right.right, [op], [ast.Constant(left.value[len(prefix):])])
        # "prefix:" + gate in {flags}  ->  gate == "<rest>" (or a constant when no flag has the prefix)
        if isinstance(op, (ast.In, ast.NotIn)) and _const(right) and isinstance(right.value, frozenset) \
                and isinstance(left, ast.BinOp) and isinstance(left.op, ast.Add) and _const(left.left):
            prefix = left.left.value
            rests = sorted(f[len(prefix):] for f in right.value if f.startswith(prefix))
            if not rests:
                return ast.Constant(isinstance(op, ast.NotIn))
            if len(rests) == 1:
                eq = ast.Eq() if isinstance(op, ast.In) else ast.NotEq()
                return ast.Compare(left.right, [eq], [ast.Constant(rests[0])])
            return ast.Compare(left.right, [op], [ast.Tuple([ast.Constant(r) for r in rests], ast.Load())])
        return node

    def visit_BoolOp(self, node: ast.BoolOp):
        self.generic_visit(node)
        is_and = isinstance(node.op, ast.And)
        kept = []
        for value in node.values:
            if _const(value):
                if bool(value.value) != is_and:  # False in an `and`, True in an `or` decides it
                    return ast.Constant(not is_and)
                continue
            kept.append(value)
        if not kept:
            return ast.Constant(is_and)
        return kept[0] if len(kept) == 1 else ast.BoolOp(node.op, kept)

    def visit_IfExp(self, node: ast.IfExp):
        self.generic_visit(node)
        if _const(node.test):
            return node.body if node.test.value else node.orelse
        return node

    def visit_If(self, node: ast.If):
        self.generic_visit(node)
        if _const(node.test):
            return (node.body if node.test.value else node.orelse) or None
        return node


def _tidy_blocks(tree: ast.AST) -> None:
    """After folding: give an emptied body a ``pass`` and drop statements after a ``return``."""
    for node in ast.walk(tree):
        for attr in ("body", "orelse", "finalbody"):
            block = getattr(node, attr, None)
            if not isinstance(block, list):
                continue
            ends = [k for k, stmt in enumerate(block) if isinstance(stmt, ast.Return)]
            if ends:
                del block[ends[0] + 1:]
            if attr == "body" and not block:
                block.append(ast.Pass())


class _Rename(ast.NodeTransformer):
    def __init__(self, names: dict):
        self.names = names

    def visit_FunctionDef(self, node):
        node.name = self.names.get(node.name, node.name)
        self.generic_visit(node)
        return node

    def visit_Name(self, node):
        node.id = self.names.get(node.id, node.id)
        return node


@functools.lru_cache(maxsize=None)
def _module_definitions(module_name: str) -> tuple:
    """Top-level defs and assignments of a buggy module: ``((names bound, source text), ...)`` in order."""
    source = inspect.getsource(importlib.import_module(module_name))
    out = []
    for stmt in ast.parse(source).body:
        if isinstance(stmt, ast.FunctionDef):
            out.append(((stmt.name,), ast.get_source_segment(source, stmt)))
        elif isinstance(stmt, ast.Assign):
            out.append((tuple(t.id for t in stmt.targets if isinstance(t, ast.Name)),
                        ast.get_source_segment(source, stmt)))
    return tuple(out)


def variant_source(mistake_id: str, form: Optional[str] = None) -> str:
    """Standalone source (``import numpy as np`` and top-level defs) of the mistake's functions, named
    like the contract, specialised to ``mistake_id`` made in the way ``form`` (default: each function's
    first form). Raises a KeyError naming the known mistakes for an unknown id."""
    if mistake_id not in MISTAKES:
        raise KeyError(f"no mistake {mistake_id!r}; known mistakes: {', '.join(sorted(MISTAKES))}")
    mistake = MISTAKES[mistake_id]
    blocks: list[tuple[bool, str]] = []  # (is a function, code)
    emitted: dict[str, str] = {}
    renames = {f"buggy_{item}": item for item in mistake.items}
    for item in mistake.items:
        forms = mistake.forms.get(item, ("",))
        chosen = form if form in forms else forms[0]
        bug = f"{mistake_id}:{chosen}" if chosen else mistake_id
        definitions = _module_definitions(BUGGY_FUNCTIONS[item].__module__)
        by_name = {name: text for names, text in definitions for name in names}
        needed, todo = set(), [BUGGY_FUNCTIONS[item].__name__]
        specialised = {}
        while todo:
            name = todo.pop()
            if name in needed or name not in by_name:
                continue
            needed.add(name)
            stmt = ast.parse(by_name[name]).body[0]  # a fresh tree: the specialisation edits it
            if isinstance(stmt, ast.FunctionDef):
                stmt = _Specialise(frozenset({bug}) if item in COMPOSABLE else bug).visit(stmt)
                _tidy_blocks(stmt)
                refs = _free_names(stmt)
            else:
                refs = {n.id for n in ast.walk(stmt.value) if isinstance(n, ast.Name)}
            specialised[by_name[name]] = stmt
            todo.extend(refs)
        for names, text in definitions:
            if not any(n in needed for n in names):
                continue
            code = ast.unparse(ast.fix_missing_locations(_Rename(renames).visit(specialised[text])))
            key = ",".join(names)
            if key in emitted:
                if emitted[key] != code:
                    raise RuntimeError(f"two different definitions of {key} for mistake {mistake_id!r}")
                continue
            emitted[key] = code
            blocks.append((code.startswith("def "), code))
    out = "import numpy as np\n"
    previous_def = True
    for is_def, code in blocks:
        out += ("\n\n" if is_def or previous_def else "") + code + "\n"
        previous_def = is_def
    return out


def buggy_submission_source(mistake_id: str, base_source: str, form: Optional[str] = None) -> str:
    """``base_source`` (a correct submission) followed by :func:`variant_source`, so that running it
    defines the mistake's functions in their buggy form and leaves every other function correct."""
    header = f"# The functions below make the mistake {mistake_id!r} ({MISTAKES[mistake_id].title['en']})."
    return base_source.rstrip("\n") + "\n\n\n" + header + "\n" + variant_source(mistake_id, form)
