"""Notes about what the loader changed or could not read in a piece of code (kept out of magics.py,
which must stay free of grader wording because it ships to students)."""
from __future__ import annotations

import ast
import re
from typing import Callable, Optional

from grader.loading.answers import StaticAnswers
from grader.loading.magics import strip_magics

_NOTE_LINE_CHARS = 120
_WATCHED_ASSIGNMENT = re.compile(r"^\s*((?:answer|free)_\w+)\s*(?::[^=\n]*)?=(?!=)", re.MULTILINE)


def shorten(text: str, limit: int = _NOTE_LINE_CHARS) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def strip_with_notes(source: str, where: Callable[[int], str],
                     cell_magics: bool = True) -> tuple[str, list[str]]:
    """Strip IPython-only lines; one note per changed line, ``where(line_no)`` naming its place."""
    new, removed = strip_magics(source, cell_magics=cell_magics)
    new_lines = new.split("\n")
    notes = []
    for line_no, line in removed:
        shown = shorten(line)
        kept = new_lines[line_no - 1].strip()
        if kept and kept != "pass":
            notes.append(f"{where(line_no)}: ran `{shorten(kept)}` once instead of IPython magic `{shown}`")
        elif shown.startswith("%%") and cell_magics:
            notes.append(f"{where(line_no)}: skipped IPython cell magic `{shown}` (the cell's code still runs)")
        elif shown.startswith("!") or re.match(r"^[\w.,\s]+=\s*!", shown):
            notes.append(f"{where(line_no)}: skipped shell command `{shown}`")
        elif "?" in shown and not shown.startswith("%"):
            notes.append(f"{where(line_no)}: skipped IPython help `{shown}`")
        else:
            notes.append(f"{where(line_no)}: skipped IPython magic `{shown}`")
    return new, notes


def parse_or_none(source: str) -> Optional[ast.Module]:
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def read_answers(source: str, tree: Optional[ast.Module], collector: StaticAnswers,
                 where: Callable[[int], str], unit_name: str) -> None:
    """Add the unit's static answers to ``collector``; if it does not parse, say which were missed."""
    if tree is not None:
        collector.add(tree, where)
        return
    names = sorted(set(_WATCHED_ASSIGNMENT.findall(source)))
    if names:
        listed = ", ".join(names)
        collector.notes.append(
            f"{unit_name} does not parse (it has a syntax error), so {listed} in it "
            f"{'was' if len(names) == 1 else 'were'} not read")
