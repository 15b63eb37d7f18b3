"""Notes about what the loader changed or could not read in a piece of code (kept out of magics.py,
which must stay free of grader wording because it ships to students)."""
from __future__ import annotations

import ast
import re
from typing import Callable, Optional

import msgcat
from grader.loading.answers import StaticAnswers
from grader.loading.magics import strip_magics
from grader.core.places import place_of

_NOTE_LINE_CHARS = 120
_WATCHED_ASSIGNMENT = re.compile(r"^\s*((?:answer|free)_\w+)\s*(?::[^=\n]*)?=(?!=)", re.MULTILINE)


def shorten(text: str, limit: int = _NOTE_LINE_CHARS) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def strip_with_notes(source: str, where: Callable[[int], dict],
                     cell_magics: bool = True) -> tuple[str, list[dict]]:
    """Strip IPython-only lines; one note (a message) per changed line, ``where(line_no)`` naming its
    place."""
    new, removed = strip_magics(source, cell_magics=cell_magics)
    new_lines = new.split("\n")
    notes = []
    for line_no, line in removed:
        shown = shorten(line)
        kept = new_lines[line_no - 1].strip()
        if kept and kept != "pass":
            notes.append(msgcat.message("note.magic_ran", where=where(line_no), kept=shorten(kept), shown=shown))
        elif shown.startswith("%%") and cell_magics:
            notes.append(msgcat.message("note.cell_magic_skipped", where=where(line_no), shown=shown))
        elif shown.startswith("!") or re.match(r"^[\w.,\s]+=\s*!", shown):
            notes.append(msgcat.message("note.shell_skipped", where=where(line_no), shown=shown))
        elif "?" in shown and not shown.startswith("%"):
            notes.append(msgcat.message("note.help_skipped", where=where(line_no), shown=shown))
        else:
            notes.append(msgcat.message("note.magic_skipped", where=where(line_no), shown=shown))
    return new, notes


def parse_or_none(source: str) -> Optional[ast.Module]:
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def read_answers(source: str, tree: Optional[ast.Module], collector: StaticAnswers,
                 where: Callable[[int], dict], unit_name: str) -> None:
    """Add the unit's static answers to ``collector``; if it does not parse, say which were missed."""
    if tree is not None:
        collector.add(tree, where)
        return
    names = sorted(set(_WATCHED_ASSIGNMENT.findall(source)))
    if names:
        key = "note.unit_not_parsed_one" if len(names) == 1 else "note.unit_not_parsed_many"
        collector.notes.append(msgcat.message(key, unit=place_of(unit_name), names=", ".join(names)))
