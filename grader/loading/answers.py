"""Read symbolic and free answers statically: string literals assigned at the top level of the code.

Nothing is executed. For each top-level assignment to a watched name (``answer_*``, ``free_*``),
:func:`scan_assignments` reports the literal value, or None when the value is an expression (an
f-string, a variable, a call) that only running the code could give. Implicit concatenation of
literals (``"a" "b"``, across lines in brackets) is already one literal for the parser; an explicit
``"a" + "b"`` of literals is folded too.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Iterator, Optional

import msgcat

WATCHED_PREFIXES = ("answer_", "free_")

# Statements whose bodies are still module scope: an assignment there is not read (only the top
# level is), and the student is told so instead of silently finding the answer unanswered.
_BLOCKS = (ast.If, ast.For, ast.While, ast.With, ast.Try, ast.AsyncFor, ast.AsyncWith)


@dataclass(frozen=True)
class Assignment:
    """One assignment to a watched name. ``value`` is None when it is not a string literal."""

    name: str
    value: Optional[str]
    line: int  # line of the statement, relative to the parsed source (1-based)
    nested_in: Optional[str] = None  # "if", "for", ... when found inside a top-level block


def scan_assignments(tree: ast.Module, prefixes: tuple = WATCHED_PREFIXES) -> list[Assignment]:
    """Assignments to names starting with one of ``prefixes``, in source order."""
    found: list[Assignment] = []
    for stmt in tree.body:
        found.extend(_from_statement(stmt, prefixes, None))
        if isinstance(stmt, _BLOCKS):
            block = type(stmt).__name__.lower().replace("async", "async ")
            for inner in _nested_statements(stmt):
                found.extend(_from_statement(inner, prefixes, block))
    return found


def _from_statement(stmt: ast.stmt, prefixes: tuple, nested_in: Optional[str]) -> Iterator[Assignment]:
    def watched(node: ast.AST) -> bool:
        return isinstance(node, ast.Name) and node.id.startswith(prefixes)

    if isinstance(stmt, ast.Assign):
        for target in stmt.targets:
            if watched(target):
                yield Assignment(target.id, literal_string(stmt.value), stmt.lineno, nested_in)
            elif isinstance(target, (ast.Tuple, ast.List)):
                values = stmt.value.elts if isinstance(stmt.value, (ast.Tuple, ast.List)) else None
                paired = values is not None and len(values) == len(target.elts)
                for k, elt in enumerate(target.elts):
                    if watched(elt):
                        value = literal_string(values[k]) if paired else None
                        yield Assignment(elt.id, value, stmt.lineno, nested_in)
    elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None and watched(stmt.target):
        yield Assignment(stmt.target.id, literal_string(stmt.value), stmt.lineno, nested_in)
    elif isinstance(stmt, ast.AugAssign) and watched(stmt.target):
        yield Assignment(stmt.target.id, None, stmt.lineno, nested_in)


def _nested_statements(block: ast.stmt) -> Iterator[ast.stmt]:
    """Statements inside a top-level block (not inside functions or classes, which are not module scope)."""
    for field in ("body", "orelse", "finalbody"):
        for stmt in getattr(block, field, []) or []:
            yield stmt
            if isinstance(stmt, _BLOCKS):
                yield from _nested_statements(stmt)
    for handler in getattr(block, "handlers", []) or []:
        for stmt in handler.body:
            yield stmt
            if isinstance(stmt, _BLOCKS):
                yield from _nested_statements(stmt)


def literal_string(node: ast.AST) -> Optional[str]:
    """The value of a str literal or a ``+`` of str literals; None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = literal_string(node.left), literal_string(node.right)
        if left is not None and right is not None:
            return left + right
    return None


class StaticAnswers:
    """Collects answers over the units of one submission, in order: the last literal wins.

    ``where`` is the prefix of a note: "cell 7" for a notebook, "line 12" for a .py statement.
    """

    def __init__(self, notes: Optional[list] = None) -> None:
        self.answers: dict[str, str] = {}
        self.free_strings: dict[str, str] = {}
        self.notes: list = notes if notes is not None else []  # messages, shared to keep unit order

    def add(self, tree: ast.Module, where) -> None:
        """``where(line)`` gives the note prefix for a line of this tree."""
        for a in scan_assignments(tree):
            if a.nested_in is not None:
                key = "note.nested_an" if a.nested_in[:1] in "aeiou" else "note.nested_a"
                self.notes.append(msgcat.message(key, where=where(a.line), name=a.name, block=a.nested_in))
            elif a.value is None:
                self.notes.append(msgcat.message("note.not_literal", where=where(a.line), name=a.name))
            elif a.name.startswith("answer_"):
                self.answers[a.name] = a.value
            else:
                self.free_strings[a.name] = a.value

