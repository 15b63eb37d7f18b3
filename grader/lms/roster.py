"""A class roster for LMS intake: the ``student`` id and the columns that identify a student in an LMS.

A roster is a CSV with a ``student`` column (the id used everywhere in rnngrade) and any of ``name``,
``sortable_name`` ("Last, First"), ``login``, ``email``, ``lms_id``. An LMS attempt is matched by the
strongest identity both sides have, in this order: ``lms_id``, ``login``, ``email``, ``student`` (an
LMS id that is the roster's own id), ``sortable_name``, ``name``. Names compare without case, accents,
spaces or punctuation (Canvas writes "smithbob" for "Smith, Bob"; Moodle writes "Bob Smith"); a name
shared by two roster rows matches neither, and says so.
"""
from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from grader.core.errors import UserError
from grader.core.ids import sanitize_student_id
from msgcat import message

COLUMNS = ("student", "name", "sortable_name", "login", "email", "lms_id")
MATCH_ORDER = ("lms_id", "login", "email", "student", "sortable_name", "name")


class RosterError(UserError):
    """A roster file that cannot be used."""


def name_key(text: str) -> str:
    """Letters and digits only, case- and accent-folded: "Smith, Bob" -> "smithbob"."""
    decomposed = unicodedata.normalize("NFKD", str(text or "")).casefold()
    return "".join(ch for ch in decomposed if ch.isalnum())


def _keys(column: str, value: str) -> list:
    value = (value or "").strip()
    if not value:
        return []
    if column == "name":  # "Bob Smith" is also written "smithbob" (Canvas) or "Smith Bob"
        words = value.split()
        keys = [name_key(value)]
        if len(words) > 1:
            keys.append(name_key(words[-1] + "".join(words[:-1])))
        return keys
    if column == "sortable_name":
        return [name_key(value)]
    return [value.casefold()]


@dataclass
class RosterEntry:
    student: str
    row: int
    fields: dict = field(default_factory=dict)  # column -> text


@dataclass
class Roster:
    entries: list
    index: dict = field(default_factory=dict)  # (column, key) -> [RosterEntry]

    @property
    def students(self) -> list:
        return [e.student for e in self.entries]

    def by_student(self, student: str) -> Optional[RosterEntry]:
        return next((e for e in self.entries if e.student == student), None)

    def match(self, ids: dict) -> tuple:
        """``(entry, how)`` for an LMS identity, or ``(None, why)``: ``why`` is a message (``lms.why.*``),
        said in the student's language in their report and in English in the intake plan."""
        ambiguous = []
        for column in MATCH_ORDER:
            lms_value = ids.get(column)
            if column == "student":
                lms_value = ids.get("sid") or ids.get("login")
            if column == "sortable_name" and not lms_value:
                lms_value = ids.get("name")
            if column == "name" and not lms_value:
                lms_value = ids.get("sortable_name")
            for key in _keys("sortable_name" if column in ("sortable_name", "name") else column, lms_value or ""):
                found = self.index.get((column, key), [])
                if len(found) == 1:
                    return found[0], column
                if len(found) > 1:
                    ambiguous.append(message("lms.why.on_rows", column=column, value=repr(lms_value),
                                             rows=", ".join(str(e.row) for e in found)))
        if ambiguous:
            return None, message("lms.why.ambiguous", cases=ambiguous)
        columns = [c for c in MATCH_ORDER if ids.get(c)]
        if not columns:
            return None, message("lms.why.no_identity")
        return None, message("lms.why.no_row", columns=", ".join(columns))


def _separator(text: str) -> str:
    """The header's cell separator: ',' unless the header has none and has ';' (spreadsheets in locales
    with a decimal comma save CSV so) or a tab."""
    header = text.split("\n", 1)[0]
    if "," in header:
        return ","
    return next((sep for sep in (";", "\t") if sep in header), ",")


def read_roster(path: Path) -> Roster:
    """Read the roster CSV (UTF-8, a BOM allowed); RosterError naming the row of any problem."""

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise RosterError(f"{path.name} is not UTF-8 text; save it as 'CSV UTF-8' and run again.") from None
    except OSError as exc:
        raise RosterError(f"{path}: cannot be read ({exc.strerror}).") from exc
    # csv reads the lines itself: str.splitlines() would also cut a name at U+2028, U+0085 or a form feed
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=_separator(text))
    header = [h.strip() for h in reader.fieldnames or []]
    if "student" not in header:
        raise RosterError(f"{path.name}: no 'student' column (columns found: {', '.join(header) or 'none'}); "
                          f"a roster needs 'student' and any of {', '.join(COLUMNS[1:])}.")
    reader.fieldnames = header
    entries, seen = [], {}
    for n, row in enumerate(reader, start=2):
        raw = (row.get("student") or "").strip()
        if not raw:
            continue
        student = sanitize_student_id(raw)
        if student in seen:
            raise RosterError(f"{path.name}: rows {seen[student]} and {n} both give student id {student!r}; "
                              "make the ids distinct.")
        seen[student] = n
        entries.append(RosterEntry(student, n, {c: (row.get(c) or "").strip() for c in COLUMNS if c in header}))
    roster = Roster(entries)
    for e in entries:
        for column in MATCH_ORDER:
            value = e.student if column == "student" else e.fields.get(column, "")
            for key in _keys(column, value):
                bucket = roster.index.setdefault((column, key), [])
                if e not in bucket:
                    bucket.append(e)
    return roster


def roster_from_ids(ids: list) -> Roster:
    """A roster of ids only (a release's roster): matches an LMS login or sid equal to the id."""
    roster = Roster([RosterEntry(s, i + 2, {}) for i, s in enumerate(ids)])
    for e in roster.entries:
        roster.index.setdefault(("student", e.student.casefold()), []).append(e)
    return roster
