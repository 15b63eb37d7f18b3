"""Cells of the CSV files the exports write: text a spreadsheet would run as a formula is neutralised.

A TA opens an export in a spreadsheet before importing it; a student's name (Moodle lets students
edit theirs), login or e-mail starting with ``= + - @``, a tab or a carriage return would run there as
a formula (``=HYPERLINK(...)`` sends data away, ``=cmd|...`` runs programs). Such cells get a leading
apostrophe, as ``rnngrade manual --export`` writes them (:func:`grader.outputs.manual.guard_cell`).
Cells that are numbers (``-1``, ``+2.5``) stay as they are: they are grades and ids the LMS reads.
"""
from __future__ import annotations

import csv
import re

from grader.outputs.manual import guard_cell

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return text if _NUMBER.fullmatch(text) else guard_cell(text)


class SafeWriter:
    """``csv.writer`` whose every cell goes through :func:`safe_cell`."""

    def __init__(self, stream, **kwargs):
        self._writer = csv.writer(stream, **kwargs)

    def writerow(self, row) -> None:
        self._writer.writerow([safe_cell(c) for c in row])
