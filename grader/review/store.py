"""The review's tables in the gradebook, and every write a TA makes, each one SQLite transaction.

A TA's points land in the gradebook's ``manual`` table, exactly where ``rnngrade manual --import``
puts them, so the CSV round trip, ``rnngrade report`` and the review all read the same data. The review
adds tables of its own, created in place when a gradebook is first opened for review:

- ``rubric_lines``: the rubric of each free item as lines with points, seeded from the spec's
  ``rubric`` ("- 1 point: ..." / "- 1 分：...") and shared by every TA;
- ``rubric_applied``: which lines each answer got;
- ``review_marks``: the free points, the regrade note, who saved, and the ``manual`` version the save
  wrote (a rubric edit re-scores an answer only while its points are still the ones the review wrote);
- ``review_refused``: a save refused because another TA saved first, kept so nothing typed is lost;
- ``review_split``: answers taken out of their answer group; ``review_settings``: group thresholds.

Every ``manual`` row carries a version that each write bumps. A save names the version it was made
on; another version means someone else saved in between, and the save is refused with their values.
"""
from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Optional

from grader.store.stored import decode

_SCHEMA = """
CREATE TABLE IF NOT EXISTS rubric_lines (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    item     TEXT NOT NULL,
    position INTEGER NOT NULL,
    points   REAL NOT NULL,
    text     TEXT NOT NULL           -- JSON {lang: text}
);
CREATE TABLE IF NOT EXISTS rubric_applied (
    student TEXT NOT NULL,
    item    TEXT NOT NULL,
    line_id INTEGER NOT NULL REFERENCES rubric_lines(id),
    PRIMARY KEY (student, item, line_id)
);
CREATE TABLE IF NOT EXISTS review_marks (
    student        TEXT NOT NULL,
    item           TEXT NOT NULL,
    free_points    REAL,
    note           TEXT NOT NULL DEFAULT '',   -- the regrade note, for TAs only
    grader         TEXT NOT NULL DEFAULT '',
    manual_version INTEGER NOT NULL,           -- the manual row's version this save wrote
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (student, item)
);
CREATE TABLE IF NOT EXISTS review_refused (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    student    TEXT NOT NULL,
    item       TEXT NOT NULL,
    values_json TEXT NOT NULL,
    grader     TEXT NOT NULL DEFAULT '',
    at         TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS review_split (
    student TEXT NOT NULL,
    item    TEXT NOT NULL,
    PRIMARY KEY (student, item)
);
CREATE TABLE IF NOT EXISTS review_settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""

# "- 1 point: ...", "- 0.5 points: ...", "- 1 分：..." (the spec's rubric lines)
_LINE = re.compile(r"^\s*[-*]\s*(-?\d+(?:\.\d+)?)\s*(?:points?|分)\s*[:：]\s*(.+?)\s*$", re.IGNORECASE)
DEFAULT_THRESHOLD = 0.8


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def parse_rubric(text: str) -> list[tuple[float, str]]:
    """``(points, text)`` of each line of a spec rubric written as a list of "N point(s): ..." lines."""
    return [(float(m.group(1)), m.group(2)) for m in map(_LINE.match, (text or "").splitlines()) if m]


def _clamp(points: float, max_points: float) -> float:
    return round(min(max(points, 0.0), float(max_points)), 6)


@dataclass
class RubricLine:
    id: int
    item: str
    position: int
    points: float
    text: dict

    def text_in(self, lang: str) -> str:
        return self.text.get(lang) or next(iter(self.text.values()), "")


@dataclass
class Mark:
    """What the gradebook holds for one answer: the manual row and the review's part of it."""

    student: str
    item: str
    points: Optional[float] = None
    comment: str = ""
    version: int = 0
    updated_at: str = ""
    lines: list[int] = field(default_factory=list)
    free_points: Optional[float] = None
    note: str = ""
    grader: str = ""
    from_review: bool = False  # the points are the ones the review last wrote (a rubric edit re-scores them)

    @property
    def graded(self) -> bool:
        return self.points is not None

    def values(self) -> dict:
        return {"points": self.points, "comment": self.comment, "lines": list(self.lines),
                "free_points": self.free_points, "note": self.note, "grader": self.grader,
                "updated_at": self.updated_at}


@dataclass
class SaveResult:
    saved: list[str]                                         # students written
    conflicts: list[Mark] = field(default_factory=list)      # the current values where versions differed

    @property
    def ok(self) -> bool:
        return not self.conflicts


class ReviewStore:
    """The review's reads and writes on ``OUT/gradebook.sqlite``; one connection per thread of the app
    (a connection is cheap; WAL lets readers go on while a batch or another TA writes)."""

    def __init__(self, path: Path, *, create: bool = True):
        self.path = Path(path)
        self._conn = sqlite3.connect(str(self.path), isolation_level=None, timeout=30.0,
                                     check_same_thread=False)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute("PRAGMA busy_timeout=30000")
        if create:  # the tables are made once, when the app starts; requests only read and write
            self._conn.executescript(_SCHEMA)

    def close(self) -> None:
        self._conn.close()

    def _tx(self):
        return _Transaction(self._conn)

    # -- rubric -----------------------------------------------------------------------------
    def seed_rubrics(self, spec) -> None:
        """Lines from the spec for each free item that has none yet (the spec's languages line up by
        position: the n-th zh line is the n-th en line)."""
        with self._tx() as c:
            have = {r[0] for r in c.execute("SELECT DISTINCT item FROM rubric_lines")}
            for it in spec.items_of("free"):
                if it.id in have:
                    continue
                rubric = it.rubric if isinstance(it.rubric, dict) else {"": str(it.rubric or "")}
                parsed = {lang: parse_rubric(text) for lang, text in rubric.items()}
                longest = max(parsed.values(), key=len, default=[])
                for pos, (points, _) in enumerate(longest):
                    texts = {lang: lines[pos][1] for lang, lines in parsed.items() if pos < len(lines)}
                    c.execute("INSERT INTO rubric_lines(item, position, points, text) VALUES(?, ?, ?, ?)",
                              (it.id, pos, points, json.dumps(texts, ensure_ascii=False)))

    def rubric(self, item: str) -> list[RubricLine]:
        rows = self._conn.execute(
            "SELECT id, item, position, points, text FROM rubric_lines WHERE item = ? ORDER BY position, id",
            (item,)).fetchall()
        return [RubricLine(i, it, pos, p, json.loads(t)) for i, it, pos, p, t in rows]

    def add_line(self, item: str, points: float, text: str, lang: str) -> int:
        with self._tx() as c:
            pos = c.execute("SELECT coalesce(max(position) + 1, 0) FROM rubric_lines WHERE item = ?",
                            (item,)).fetchone()[0]
            cur = c.execute("INSERT INTO rubric_lines(item, position, points, text) VALUES(?, ?, ?, ?)",
                            (item, pos, float(points), json.dumps({lang: text}, ensure_ascii=False)))
            return cur.lastrowid

    def edit_line(self, line_id: int, points: float, max_points: float, *, text: str | None = None,
                  lang: str = "en") -> list[str]:
        """Change a line's points (and text); re-score every answer that has it, in the same
        transaction. Returns the students whose points changed."""
        touched = []
        with self._tx() as c:
            row = c.execute("SELECT item, text FROM rubric_lines WHERE id = ?", (line_id,)).fetchone()
            if row is None:
                raise KeyError(line_id)
            item, texts = row[0], json.loads(row[1])
            if text is not None and text.strip():
                texts[lang] = text.strip()
            c.execute("UPDATE rubric_lines SET points = ?, text = ? WHERE id = ?",
                      (float(points), json.dumps(texts, ensure_ascii=False), line_id))
            students = [r[0] for r in c.execute(
                "SELECT student FROM rubric_applied WHERE item = ? AND line_id = ?", (item, line_id))]
            for student in students:
                mark = self._mark(c, student, item)
                if not mark.from_review:
                    continue  # points set since by an import or an override: left as they are
                points_now = self._score(c, item, mark.lines, mark.free_points, max_points)
                if points_now != mark.points:
                    version = self._write_manual(c, student, item, points_now, mark.comment)
                    c.execute("UPDATE review_marks SET manual_version = ?, updated_at = ? "
                              "WHERE student = ? AND item = ?", (version, _now(), student, item))
                    touched.append(student)
        return touched

    def _score(self, c, item: str, lines: Iterable[int], free_points, max_points: float) -> float:
        lines = list(lines)
        total = 0.0
        if lines:
            marks = ",".join("?" * len(lines))
            total = c.execute(f"SELECT coalesce(sum(points), 0) FROM rubric_lines WHERE item = ? AND id IN ({marks})",
                              (item, *lines)).fetchone()[0]
        return _clamp(total + float(free_points or 0.0), max_points)

    # -- marks ------------------------------------------------------------------------------
    def _mark(self, c, student: str, item: str) -> Mark:
        m = Mark(student, item)
        row = c.execute("SELECT points, comment, version, updated_at FROM manual WHERE student = ? AND item = ?",
                        (student, item)).fetchone()
        if row:
            m.points, m.comment, m.version, m.updated_at = row[0], row[1] or "", row[2], row[3]
        review = c.execute("SELECT free_points, note, grader, manual_version FROM review_marks "
                           "WHERE student = ? AND item = ?", (student, item)).fetchone()
        if review:
            m.free_points, m.note, m.grader = review[0], review[1], review[2]
            m.from_review = row is not None and review[3] == m.version
            m.lines = [r[0] for r in c.execute(
                "SELECT line_id FROM rubric_applied WHERE student = ? AND item = ? ORDER BY line_id",
                (student, item))]
        return m

    def mark(self, student: str, item: str) -> Mark:
        with _Read(self._conn) as c:
            return self._mark(c, student, item)

    def marks(self, item: str | None = None) -> dict[tuple[str, str], Mark]:
        """Every answer's mark (of one item, or of all) that has a manual row or a review row."""
        with _Read(self._conn) as c:
            where, args = ("WHERE item = ?", (item,)) if item else ("", ())
            keys = {tuple(r) for r in c.execute(f"SELECT student, item FROM manual {where}", args)}
            keys |= {tuple(r) for r in c.execute(f"SELECT student, item FROM review_marks {where}", args)}
            return {k: self._mark(c, *k) for k in sorted(keys)}

    def _write_manual(self, c, student: str, item: str, points, comment: str) -> int:
        c.execute(
            "INSERT INTO manual(student, item, points, comment, updated_at, version) VALUES(?, ?, ?, ?, ?, 1) "
            "ON CONFLICT(student, item) DO UPDATE SET points = excluded.points, comment = excluded.comment, "
            "updated_at = excluded.updated_at, version = manual.version + 1",
            (student, item, None if points is None else float(points), comment or "", _now()))
        return c.execute("SELECT version FROM manual WHERE student = ? AND item = ?", (student, item)).fetchone()[0]

    def save(self, item: str, expected: dict[str, int], *, lines: Iterable[int], free_points: Optional[float],
             comment: str, note: str, grader: str, max_points: float) -> SaveResult:
        """Grade one answer, or an answer group at once (``expected``: student -> the version the TA
        saw). All or nothing: when any answer's version moved on, nothing is written, the values typed
        are kept in ``review_refused`` and the current values come back as conflicts."""
        lines = sorted({int(x) for x in lines})
        values = {"lines": lines, "free_points": free_points, "comment": comment, "note": note}
        with self._tx() as c:
            known = {r[0] for r in c.execute("SELECT id FROM rubric_lines WHERE item = ?", (item,))}
            if not set(lines) <= known:
                raise ValueError(f"rubric lines {sorted(set(lines) - known)} are not lines of {item}")
            conflicts = [m for m in (self._mark(c, s, item) for s in expected) if m.version != expected[m.student]]
            if conflicts:
                for m in conflicts:
                    c.execute("INSERT INTO review_refused(student, item, values_json, grader, at) "
                              "VALUES(?, ?, ?, ?, ?)", (m.student, item, json.dumps(values), grader, _now()))
                return SaveResult([], conflicts)
            points = self._score(c, item, lines, free_points, max_points)
            for student in expected:
                version = self._write_manual(c, student, item, points, comment)
                c.execute("DELETE FROM rubric_applied WHERE student = ? AND item = ?", (student, item))
                c.executemany("INSERT INTO rubric_applied(student, item, line_id) VALUES(?, ?, ?)",
                              [(student, item, line) for line in lines])
                c.execute(
                    "INSERT INTO review_marks(student, item, free_points, note, grader, manual_version, updated_at) "
                    "VALUES(?, ?, ?, ?, ?, ?, ?) ON CONFLICT(student, item) DO UPDATE SET "
                    "free_points = excluded.free_points, note = excluded.note, grader = excluded.grader, "
                    "manual_version = excluded.manual_version, updated_at = excluded.updated_at",
                    (student, item, free_points, note or "", grader, version, _now()))
                c.execute("DELETE FROM review_refused WHERE student = ? AND item = ?", (student, item))
        return SaveResult(list(expected))

    def override(self, student: str, item: str, expected_version: int, *, points: Optional[float],
                 comment: str, note: str, grader: str) -> SaveResult:
        """Set (or, with ``points=None`` and no comment, clear) any item's points, as a CSV import does."""
        values = {"points": points, "comment": comment, "note": note}
        with self._tx() as c:
            current = self._mark(c, student, item)
            if current.version != expected_version:
                c.execute("INSERT INTO review_refused(student, item, values_json, grader, at) VALUES(?, ?, ?, ?, ?)",
                          (student, item, json.dumps(values), grader, _now()))
                return SaveResult([], [current])
            if points is None and not comment:
                c.execute("UPDATE manual SET points = NULL, comment = '', updated_at = ?, version = version + 1 "
                          "WHERE student = ? AND item = ?", (_now(), student, item))
            else:
                self._write_manual(c, student, item, points, comment)
            # the points no longer follow the rubric lines; the note stays with the answer
            c.execute("DELETE FROM rubric_applied WHERE student = ? AND item = ?", (student, item))
            c.execute(
                "INSERT INTO review_marks(student, item, free_points, note, grader, manual_version, updated_at) "
                "VALUES(?, ?, NULL, ?, ?, -1, ?) ON CONFLICT(student, item) DO UPDATE SET free_points = NULL, "
                "note = excluded.note, grader = excluded.grader, manual_version = -1, "
                "updated_at = excluded.updated_at", (student, item, note or "", grader, _now()))
            c.execute("DELETE FROM review_refused WHERE student = ? AND item = ?", (student, item))
        return SaveResult([student])

    def refused(self, item: str | None = None) -> dict[tuple[str, str], list[dict]]:
        """Saves refused since the answer was last saved: (student, item) -> [{values, grader, at}]."""
        where, args = ("WHERE item = ?", (item,)) if item else ("", ())
        out: dict = {}
        for s, i, v, g, at in self._conn.execute(
                f"SELECT student, item, values_json, grader, at FROM review_refused {where} ORDER BY id", args):
            out.setdefault((s, i), []).append({"values": json.loads(v), "grader": g, "at": at})
        return out

    # -- answer groups ----------------------------------------------------------------------
    def split_out(self, item: str, students: Iterable[str]) -> None:
        with self._tx() as c:
            c.executemany("INSERT OR IGNORE INTO review_split(student, item) VALUES(?, ?)",
                          [(s, item) for s in students])

    def rejoin(self, item: str, students: Iterable[str]) -> None:
        with self._tx() as c:
            c.executemany("DELETE FROM review_split WHERE student = ? AND item = ?", [(s, item) for s in students])

    def split(self, item: str) -> set[str]:
        return {r[0] for r in self._conn.execute("SELECT student FROM review_split WHERE item = ?", (item,))}

    def threshold(self, item: str) -> float:
        row = self._conn.execute("SELECT value FROM review_settings WHERE key = ?", (f"threshold:{item}",)).fetchone()
        return float(row[0]) if row else DEFAULT_THRESHOLD

    def set_threshold(self, item: str, value: float) -> None:
        with self._tx() as c:
            c.execute("INSERT INTO review_settings(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET "
                      "value = excluded.value", (f"threshold:{item}", repr(float(value))))

    # -- answers ----------------------------------------------------------------------------
    def grading_keys(self) -> dict[str, str]:
        """student -> grading key of every submission (it changes when the submission is graded again)."""
        return dict(self._conn.execute("SELECT student, grading_key FROM submissions").fetchall())

    def result(self, student: str) -> dict | None:
        """A submission's full result (``SubmissionResult.to_dict()``), without manual points."""
        row = self._conn.execute("SELECT result_json FROM submissions WHERE student = ?", (student,)).fetchone()
        return decode(row[0]) if row else None


class _Transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT`` (``ROLLBACK`` on any error): one write, whole or not at all."""

    def __init__(self, conn):
        self.conn = conn

    def __enter__(self):
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type, *_):
        self.conn.execute("ROLLBACK" if exc_type else "COMMIT")
        return False


class _Read(_Transaction):
    """A read transaction: one consistent snapshot of several tables."""

    def __enter__(self):
        self.conn.execute("BEGIN")
        return self.conn
