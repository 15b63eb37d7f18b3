"""Is each LMS import file written exactly as that LMS documents it (golden files, byte for byte)?

The goldens were written from each format's documentation (see docs/lms.md) and are refreshed with
``pytest tests/lms --update-goldens`` after an intended change (review the diff).
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from grader.store.gradebook import LATE_ITEM, Gradebook
from grader.lms.export import export_grades
from grader.lms.intake import IntakeRow
from grader.model import ItemResult, SubmissionResult

GOLDENS = Path(__file__).parent / "goldens"
LATE2 = {"late": True, "units": 2, "unit": "day", "penalty": 0.2, "policy": "10%/day, max 3 days",
         "basis": "time", "submitted_at": "2026-12-03T09:30:00+08:00", "deadline": "2026-12-01T23:59:00+08:00"}


def _result(student: str, status: str = "graded") -> SubmissionResult:
    items = [ItemResult(item="free_6_3", kind="free", max_score=100.0, status="pending_manual")]
    return SubmissionResult(student=student, status=status, assignment="nndl-ch6", version="1", items=items)


def _ids(lms_id, participant, login, name):
    return {"lms_id": lms_id, "participant": participant, "login": login, "name": name}


def make_gradebook(out: Path) -> Path:
    """Five students: on time; late 2 days (20%); late with the penalty waived; a name in Chinese with a
    comma; one without a submission."""
    rows = [
        IntakeRow("alice", "mapped", {"lms": "canvas", "ids": _ids("1001", "2001", "aliddell", "Alice Liddell"),
                                      "roster": {"name": "Alice Liddell", "sortable_name": "Liddell, Alice",
                                                 "email": "alice@example.edu"}}),
        IntakeRow("carol", "mapped", {"lms": "canvas", "ids": _ids("1003", "2003", "cking", "Carol King"),
                                      "late": LATE2, "roster": {"sortable_name": "King, Carol",
                                                                "email": "carol@example.edu"}}),
        IntakeRow("dave", "mapped", {"lms": "canvas", "ids": _ids("1004", "2004", "dknight", "Dave Knight"),
                                     "late": LATE2}),
        IntakeRow("lilei", "unmapped", {"lms": "canvas", "ids": _ids("1010", "2010", "lilei", "李雷")}),
        IntakeRow("zoe", "missing", {"lms": "canvas", "ids": _ids("1026", "2026", "zquill", "Zoe Quill")}),
        IntakeRow("dave.attempt-1", "attempt", {"lms": "canvas", "ids": _ids("1004", "2004", "dknight", "")}),
    ]
    with Gradebook(out / "gradebook.sqlite") as gb:
        gb.set_meta(assignment="nndl-ch6", lang="en")
        for student, points in (("alice", 85), ("carol", 85), ("dave", 90), ("lilei", 72.5), ("dave.attempt-1", 10)):
            gb.put(_result(student), "k")
            gb.set_manual(student, "free_6_3", points)
        gb.put(_result("zoe", "missing"), "k")
        gb.set_manual("dave", LATE_ITEM, 0, "doctor's note")
        gb.set_intake(rows, {"lms": "canvas"})
    return out


def _check(update: bool, name: str, text: str):
    path = GOLDENS / name
    if update or not path.exists():
        if not update:
            pytest.fail(f"{path.name} does not exist: run pytest with --update-goldens to create it")
        path.write_bytes(text.encode("utf-8"))
    assert text == path.read_bytes().decode("utf-8"), (
        f"{name} differs from its golden file; if the change is intended, run pytest with --update-goldens")


@pytest.mark.parametrize("fmt,column", [("canvas", "NNDL ch. 6 (98765)"), ("moodle", None),
                                        ("blackboard", "NNDL ch6 [Total Pts: 100 Score] |4242"), ("csv", None)])
def test_export_golden(tmp_path, update_goldens, fmt, column):
    make_gradebook(tmp_path)
    dest = tmp_path / f"{fmt}.csv"
    summary = export_grades(tmp_path, fmt, dest, column=column)
    raw = dest.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark
    _check(update_goldens, f"{fmt}.csv", raw[3:].decode("utf-8"))
    assert summary.written == 5 and summary.left_out == [] and summary.empty == 1


def test_canvas_rows_read_back_as_canvas_reads_them(tmp_path):
    make_gradebook(tmp_path)
    export_grades(tmp_path, "canvas", tmp_path / "c.csv", column="NNDL (1)", points=10)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "c.csv").read_text(encoding="utf-8-sig"))))
    assert rows[0]["Student"] == "Points Possible" and rows[0]["NNDL (1)"] == "10"
    assert {r["ID"]: r["NNDL (1)"] for r in rows[1:]} == {"1001": "8.5", "1003": "6.8", "1004": "9",
                                                          "1010": "7.25", "1026": ""}


def test_students_the_format_cannot_name_are_left_out_and_listed(tmp_path):
    out = tmp_path
    with Gradebook(out / "gradebook.sqlite") as gb:
        gb.set_meta(assignment="nndl-ch6", lang="en")
        gb.put(_result("amy"), "k")
    summary = export_grades(out, "blackboard", out / "b.csv")
    assert summary.lines() == [
        f"Wrote 0 student(s) to {out / 'b.csv'} (blackboard import format); 0 without a submission have an "
        "empty grade.",
        "  left out amy: no Blackboard username (give a roster with login)"]
