"""The gradebook: one SQLite file (WAL) that is the source of truth of a grading run.

Every submission's result is one row, written in one transaction when that submission is done, so a
grader killed at any moment (SIGKILL included) loses only the submissions still in flight, and a re-run
neither loses nor duplicates anything (the student id is the primary key). Manual points live in their
own table, so re-grading with ``--force`` replaces the automatic results and keeps what a person
graded; each manual row has a version that every write bumps (``rnngrade review`` refuses a save made
on an older version). ``rnngrade review`` adds its own tables (``grader/review/store.py``).

A row keeps what the reports read, compressed (``grader/store/stored.py``); rows of gradebooks written
before (schema 1, JSON text) stay readable as they are, next to new rows.
"""
from __future__ import annotations

import json
import sqlite3
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

from grader.core.errors import UserError, make_folder
from grader.core.jsonsafe import dumps
from grader.model import SubmissionResult
from grader.store.stored import compress, decode, stored_form, to_text

SCHEMA_VERSION = "2"  # 2: rows are compressed stored forms (grader/store/stored.py); 1: JSON text
READS_SCHEMAS = ("1", "2")  # a schema-1 gradebook is read as it is and marked 2 (new rows compress)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS submissions (
    student      TEXT PRIMARY KEY,
    status       TEXT NOT NULL,
    grading_key  TEXT NOT NULL,   -- content hash + assignment version + release fingerprint
    result_json  TEXT NOT NULL,   -- grader/store/stored.py: zlib-compressed JSON (BLOB), or JSON text (schema 1)
    graded_at    TEXT NOT NULL,
    summary_json TEXT             -- result_json without case outputs and captured output (same forms)
);
CREATE TABLE IF NOT EXISTS manual (
    student    TEXT NOT NULL,
    item       TEXT NOT NULL,
    points     REAL,              -- NULL: a comment without a points override
    comment    TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    version    INTEGER NOT NULL DEFAULT 0,  -- bumped by every write: a writer that read another version loses
    PRIMARY KEY (student, item)
);
CREATE TABLE IF NOT EXISTS intake (   -- who is who in an LMS download (grader.lms); absent: a plain folder
    student    TEXT PRIMARY KEY,
    status     TEXT NOT NULL,      -- mapped | unmapped | missing | attempt
    info_json  TEXT NOT NULL,      -- LMS ids, how matched, attempt, files, lateness
    updated_at TEXT NOT NULL
);
"""

LATE_ITEM = "late_penalty"  # the manual table's item that overrides a late penalty (points = percent)


_CASE_KEEP = ("case_id", "visibility", "passed", "status", "message", "diagnoses")


def _light_item(item: dict) -> dict:
    light = dict(item, stdout="", cases=[{k: c[k] for k in _CASE_KEEP if k in c}
                                         for c in item.get("cases", [])])
    for name, keep in (("consistency", ("verdict",)), ("symbolic", ("verdict", "message"))):
        if item.get(name):
            light[name] = {k: item[name][k] for k in keep if k in item[name]}
    if item.get("free"):
        light["free"] = {"text": "", "attachments": [], "rubric": ""}
    return light


def _strip_cases(d: dict) -> dict:
    """A full result read as light: the same parts dropped as in :func:`summary_json`."""
    d["items"] = [_light_item(item) for item in d.get("items", [])]
    d["stdout"] = ""
    return d


def summary_json(result_dict: dict) -> str:
    """A result (``SubmissionResult.to_dict()``) with only what class-level views read (the class
    summary, grades.csv, the batch's closing lines): scores and statuses, messages and diagnoses
    of items and cases, load errors, flags, isolation. A tenth of the full result."""
    return dumps(_strip_cases(dict(result_dict)))


def stored_row(result_dict: dict) -> tuple[str, bytes, bytes]:
    """``(text, payload, summary)`` of a result (``SubmissionResult.to_dict()``): its stored form as
    JSON text (what the files are rendered from), that text compressed (the row's result), and its
    compressed :func:`summary_json`."""
    stored = stored_form(result_dict)
    text = to_text(stored)
    return text, compress(text), compress(summary_json(stored))


class GradebookError(UserError):
    """A gradebook that cannot be used as it is (not a gradebook, another schema, another assignment)."""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Gradebook:
    """Thread-safe access to ``OUT/gradebook.sqlite``."""

    def __init__(self, path: Path):
        self.path = Path(path)
        make_folder(self.path.parent)
        # One connection shared by the batch's threads, serialised by a lock: SQLite
        # writes are serial anyway, and this keeps each commit a single transaction.
        self._lock = threading.Lock()
        try:
            self._conn = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None)
        except sqlite3.DatabaseError as exc:  # a folder by that name, a path SQLite cannot open
            raise self._unreadable(exc) from exc
        try:
            self._open()
        except sqlite3.DatabaseError as exc:  # a file that is not SQLite, or a damaged one
            self._conn.close()
            raise self._unreadable(exc) from exc
        except GradebookError:
            self._conn.close()
            raise

    def _unreadable(self, exc: sqlite3.DatabaseError) -> GradebookError:
        return GradebookError(f"{self.path} cannot be read as a gradebook ({exc}); grade into a new --out folder, "
                              f"or put back the gradebook.sqlite that `rnngrade grade` wrote.")

    def _open(self) -> None:
        """Set the connection up and create or migrate the tables."""
        with self._lock:
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.executescript(_SCHEMA)
            columns = {row[1] for row in self._conn.execute("PRAGMA table_info(submissions)")}
            if "summary_json" not in columns:  # a gradebook from before the column: rows read it as NULL
                self._conn.execute("ALTER TABLE submissions ADD COLUMN summary_json TEXT")
            if "version" not in {row[1] for row in self._conn.execute("PRAGMA table_info(manual)")}:
                # a gradebook from before the browser review: every manual row starts at version 0
                self._conn.execute("ALTER TABLE manual ADD COLUMN version INTEGER NOT NULL DEFAULT 0")
            found = self._get_meta_locked("schema_version")
            if found not in READS_SCHEMAS and found is not None:
                raise GradebookError(
                    f"{self.path} was written by another version of rnngrade (schema {found}, "
                    f"this one reads {' and '.join(READS_SCHEMAS)}); grade into a new --out folder."
                )
            if found != SCHEMA_VERSION:
                # An older rnngrade, which reads only JSON text, must refuse it from now on.
                self._set_meta_locked("schema_version", SCHEMA_VERSION)

    # -- meta -------------------------------------------------------------------------------
    def _get_meta_locked(self, key: str) -> Optional[str]:
        row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _set_meta_locked(self, key: str, value: str) -> None:
        self._conn.execute(
            "INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def meta(self) -> dict:
        with self._lock:
            rows = self._conn.execute("SELECT key, value FROM meta").fetchall()
        out = {}
        for k, v in rows:
            try:
                out[k] = json.loads(v)
            except ValueError:
                out[k] = v
        return out

    def set_meta(self, **values) -> None:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                for k, v in values.items():
                    self._set_meta_locked(k, json.dumps(v))
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise

    # -- submissions ------------------------------------------------------------------------
    def put(self, result: SubmissionResult, grading_key: str) -> None:
        """Store one submission's result atomically (replacing an earlier one)."""
        _, payload, summary = stored_row(result.to_dict())
        self.put_json(result.student, result.status, grading_key, payload, summary)

    def put_json(self, student: str, status: str, grading_key: str, payload: bytes | str,
                 summary: bytes | str | None = None) -> None:
        """``put`` for a result already serialised (from a worker): the payload and summary of
        :func:`stored_row`, or a result's JSON text (read back as it is, with no summary: class
        views then strip the full result)."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._conn.execute(
                    "INSERT INTO submissions(student, status, grading_key, result_json, graded_at, "
                    "summary_json) VALUES(?, ?, ?, ?, ?, ?) ON CONFLICT(student) DO UPDATE SET "
                    "status = excluded.status, grading_key = excluded.grading_key, "
                    "result_json = excluded.result_json, graded_at = excluded.graded_at, "
                    "summary_json = excluded.summary_json",
                    (student, status, grading_key, payload, _now(), summary),
                )
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise

    def grading_key(self, student: str) -> Optional[str]:
        with self._lock:
            row = self._conn.execute(
                "SELECT grading_key FROM submissions WHERE student = ?", (student,)
            ).fetchone()
        return row[0] if row else None

    def students(self) -> list[str]:
        with self._lock:
            return [r[0] for r in self._conn.execute("SELECT student FROM submissions ORDER BY student")]

    def count(self) -> int:
        with self._lock:
            return self._conn.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]

    def get(self, student: str) -> Optional[SubmissionResult]:
        with self._lock:
            row = self._conn.execute(
                "SELECT result_json FROM submissions WHERE student = ?", (student,)
            ).fetchone()
            manual = self._manual_locked(student)
            late = self._late_locked(student)
        if row is None:
            return None
        result = _merge_manual(SubmissionResult.from_dict(decode(row[0])), manual.get(student, {}))
        return _merge_late(result, late.get(student), manual.get(student, {}))

    def results(self, *, light: bool = False) -> list[SubmissionResult]:
        """All results, sorted by student, with manual points merged into their items.

        ``light``: only what class-level views read (see :func:`summary_json`; a class of 1,000 would
        otherwise hold every preview array in memory at once), from the summary column.
        """
        return list(self.iter_results(light=light))

    def stream(self, *, light: bool = False) -> "ResultStream":
        """All results in student order, read anew, a chunk of rows at a time, on each iteration:
        memory stays flat however large the class (``results`` holds them all at once)."""
        return ResultStream(self, light)

    def iter_results(self, *, light: bool = False, chunk: int = 256):
        """One pass of :meth:`stream`: the results of :meth:`results`, one at a time."""
        # (is the full result still to be stripped, the JSON): a row from before the summary
        # column has only its full result
        columns = ("summary_json IS NULL, coalesce(summary_json, result_json)" if light
                   else "0, result_json")
        with self._lock:
            manual = self._manual_locked(None)
            late = self._late_locked(None)
        last = None
        while True:
            with self._lock:
                rows = self._conn.execute(
                    f"SELECT student, {columns} FROM submissions WHERE ? IS NULL OR student > ? "
                    "ORDER BY student LIMIT ?", (last, last, chunk)).fetchall()
            if not rows:
                return
            for student, full_row, payload in rows:
                d = decode(payload)
                if full_row:
                    _strip_cases(d)
                r = _merge_manual(SubmissionResult.from_dict(d), manual.get(student, {}))
                yield _merge_late(r, late.get(student), manual.get(student, {}))
            last = rows[-1][0]

    def delete(self, student: str) -> None:
        with self._lock:
            self._conn.execute("DELETE FROM submissions WHERE student = ?", (student,))

    # -- manual grading ---------------------------------------------------------------------
    def set_manual(self, student: str, item: str, points: Optional[float], comment: str = "") -> None:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._conn.execute(
                    "INSERT INTO manual(student, item, points, comment, updated_at, version) VALUES(?, ?, ?, ?, ?, 1) "
                    "ON CONFLICT(student, item) DO UPDATE SET points = excluded.points, "
                    "comment = excluded.comment, updated_at = excluded.updated_at, "
                    "version = manual.version + 1",
                    (student, item, None if points is None else float(points), comment or "", _now()),
                )
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise

    def manual_entries(self) -> list[dict]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT student, item, points, comment FROM manual ORDER BY student, item"
            ).fetchall()
        return [{"student": s, "item": i, "points": p, "comment": c} for s, i, p, c in rows]

    def _manual_locked(self, student: Optional[str]) -> dict:
        if student is None:
            rows = self._conn.execute("SELECT student, item, points, comment FROM manual").fetchall()
        else:
            rows = self._conn.execute(
                "SELECT student, item, points, comment FROM manual WHERE student = ?", (student,)
            ).fetchall()
        out: dict = {}
        for s, i, p, c in rows:
            out.setdefault(s, {})[i] = {"points": p, "comment": c}
        return out

    # -- LMS intake -----------------------------------------------------------------------------
    def set_intake(self, rows: list, meta: dict) -> set:
        """Replace the intake table with ``rows`` (``IntakeRow``s) and store ``meta`` as the meta key
        ``intake``, in one transaction; returns the students whose lateness changed."""
        with self._lock:
            before = self._late_locked(None)
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._conn.execute("DELETE FROM intake")
                now = _now()
                for r in rows:
                    self._conn.execute("INSERT INTO intake(student, status, info_json, updated_at) VALUES(?, ?, ?, ?)",
                                       (r.student, r.status, dumps(r.info, sort_keys=True), now))
                self._set_meta_locked("intake", json.dumps(meta, sort_keys=True))
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            after = self._late_locked(None)
        return {s for s in set(before) | set(after) if before.get(s) != after.get(s)}

    def intake_rows(self) -> list:
        """``[{"student", "status", "info"}]`` sorted by student (empty without an LMS intake)."""
        with self._lock:
            rows = self._conn.execute("SELECT student, status, info_json FROM intake ORDER BY student").fetchall()
        return [{"student": s, "status": st, "info": json.loads(i)} for s, st, i in rows]

    def late_with_overrides(self) -> dict:
        """student -> lateness as a result shows it (a manual override merged in)."""
        with self._lock:
            late = self._late_locked(None)
            manual = self._manual_locked(None)
        return {s: _merge_late(SubmissionResult(s, "", "", ""), v, manual.get(s, {})).late for s, v in late.items()}

    def _late_locked(self, student: Optional[str]) -> dict:
        query = "SELECT student, info_json FROM intake"
        rows = self._conn.execute(query + " WHERE student = ?", (student,)).fetchall() if student is not None \
            else self._conn.execute(query).fetchall()
        out = {}
        for s, info in rows:
            late = json.loads(info).get("late") or {}
            if late.get("late"):
                out[s] = late
        return out

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class ResultStream:
    """A gradebook's results in student order, read again on each iteration (see
    ``Gradebook.stream``). Class views take it where they take a list (``exports.by_student``)."""

    in_student_order = True

    def __init__(self, gradebook: Gradebook, light: bool):
        self.gradebook, self.light = gradebook, light

    def __iter__(self):
        return self.gradebook.iter_results(light=self.light)


def _merge_manual(result: SubmissionResult, manual: dict) -> SubmissionResult:
    for item in result.items:
        if item.item in manual:
            item.manual = dict(manual[item.item])
    return result



def _merge_late(result: SubmissionResult, late: Optional[dict], manual: dict) -> SubmissionResult:
    """The intake's lateness, with a manual ``late_penalty`` override (points = percent taken off)."""
    if late:
        result.late = dict(late)
        override = manual.get(LATE_ITEM)
        if override is not None:
            result.late["override"] = {"percent": override.get("points"), "comment": override.get("comment") or ""}
    return result
