"""Does the gradebook keep the intake (and migrate an older gradebook in place), and merge lateness and
its overrides into results on reading?"""
from __future__ import annotations

import sqlite3

from grader.store.gradebook import LATE_ITEM, Gradebook
from grader.lms.intake import IntakeRow
from grader.model import ItemResult, SubmissionResult

LATE = {"late": True, "units": 1, "unit": "day", "penalty": 0.1, "policy": "10%/day", "basis": "marker"}


def _result(student):
    return SubmissionResult(student=student, status="graded", assignment="a", version="1",
                            items=[ItemResult(item="free_6_3", kind="free", max_score=10.0, status="pending_manual")])


def test_an_older_gradebook_gains_the_intake_table_in_place(tmp_path):
    db = tmp_path / "gradebook.sqlite"
    with sqlite3.connect(db) as conn:  # the schema before the intake table (and before summary_json)
        conn.executescript("""
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE submissions (student TEXT PRIMARY KEY, status TEXT NOT NULL, grading_key TEXT NOT NULL,
                                      result_json TEXT NOT NULL, graded_at TEXT NOT NULL);
            CREATE TABLE manual (student TEXT NOT NULL, item TEXT NOT NULL, points REAL,
                                 comment TEXT NOT NULL DEFAULT '', updated_at TEXT NOT NULL,
                                 PRIMARY KEY (student, item));
            INSERT INTO meta VALUES ('schema_version', '1');
        """)
    with Gradebook(db) as gb:
        gb.put(_result("amy"), "k")
        assert gb.intake_rows() == []
        assert gb.results()[0].late == {}
    with sqlite3.connect(db) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "intake" in tables


def test_lateness_and_its_override_are_merged_on_reading(tmp_path):
    with Gradebook(tmp_path / "g.sqlite") as gb:
        gb.put(_result("amy"), "k")
        gb.put(_result("ben"), "k")
        gb.set_manual("amy", "free_6_3", 8)
        gb.set_manual("ben", "free_6_3", 8)
        changed = gb.set_intake([IntakeRow("amy", "mapped", {"late": LATE}), IntakeRow("ben", "mapped", {})],
                                {"lms": "canvas"})
        assert changed == {"amy"}
        amy, ben = gb.results()
        assert (amy.score, amy.late_penalty, amy.final_score) == (8, 0.1, 7.2)
        assert (ben.late, ben.final_score) == ({}, 8)
        gb.set_manual("amy", LATE_ITEM, 0, "ill")
        amy = gb.get("amy")
        assert amy.late["override"] == {"percent": 0.0, "comment": "ill"} and amy.final_score == 8
        assert gb.meta()["intake"] == {"lms": "canvas"}
        # the same intake again changes nothing
        assert gb.set_intake([IntakeRow("amy", "mapped", {"late": LATE})], {"lms": "canvas"}) == set()
