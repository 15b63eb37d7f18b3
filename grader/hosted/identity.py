"""Whose hidden cases to grade: a host's notion of the student, mapped to a roster id.

Gradescope's ``submission_metadata.json`` lists ``users`` (``email``, ``name``, ``id``, and ``sid``,
the student id an instructor entered in the course roster). The release's roster is a list of
rnngrade ids; an optional roster CSV shipped in the bundle (columns ``student`` and any of ``sid``,
``email``, ``login``, ``lms_id``) maps other identifiers to them. A user's ``sid``, then ``email``,
then the email's local part, then Gradescope's ``id`` are tried in that order; the first that names
a roster student wins. Without a match the student is graded with seeds derived from their ``sid``
(else email, else id), exactly as the batch grades a file that is not on the roster, and told so.

The seeds are ``assignments.variants.hidden_seed(secret, student)`` of that id: a local re-grade of
the same student with the same release gives the same hidden cases.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from grader.core.ids import sanitize_student_id

MATCH_COLUMNS = ("student", "sid", "lms_id", "login", "email")


@dataclass
class Identity:
    student: str
    on_roster: bool
    who: str = ""  # how the host named the student (for the message)
    group_of: int = 1
    notes: list = field(default_factory=list)


def read_roster_table(path: Optional[Path]) -> list:
    """Rows of a roster CSV as dicts of lower-cased, stripped column names (empty if absent)."""
    if path is None or not Path(path).is_file():
        return []
    with open(path, newline="", encoding="utf-8-sig") as fh:
        rows = []
        for row in csv.DictReader(fh):
            rows.append({(k or "").strip().lower(): (v or "").strip() for k, v in row.items()})
    return [r for r in rows if r.get("student") or r.get("id")]


def _lookup(value: str, roster_ids: list, table: list) -> Optional[str]:
    if not value:
        return None
    key = value.strip().lower()
    for row in table:
        for col in MATCH_COLUMNS:
            if row.get(col) and row[col].lower() == key:
                return sanitize_student_id(row.get("student") or row.get("id"))
    ids = {s.lower(): s for s in roster_ids or ()}
    return ids.get(sanitize_student_id(value).lower())


def _keys(user: dict) -> list:
    email = str(user.get("email") or "")
    keys = [str(user.get("sid") or ""), email, email.split("@")[0] if "@" in email else "", str(user.get("id") or "")]
    return [k for k in keys if k and k != "None"]


def gradescope_identity(metadata: Optional[dict], roster_ids: Optional[list], table: list) -> Optional[Identity]:
    """The student of a Gradescope submission; ``None`` when the metadata names nobody."""
    users = [u for u in ((metadata or {}).get("users") or []) if isinstance(u, dict)]
    if not users:
        return None
    for user in users:  # a group: the first member on the roster
        for key in _keys(user):
            student = _lookup(key, roster_ids, table)
            if student:
                return Identity(student=student, on_roster=True, who=key, group_of=len(users))
    first = _keys(users[0])
    raw = first[0] if first else "unnamed"
    on_roster = roster_ids is None and not table
    return Identity(student=sanitize_student_id(raw), on_roster=on_roster, who=raw, group_of=len(users))
