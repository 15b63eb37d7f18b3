"""The gradebook is the source of truth: atomic rows, resumable, manual points kept apart."""
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
import zlib

import pytest

from grader.store.gradebook import Gradebook, GradebookError
from grader.model import CaseResult, ItemResult, OutputCheck, SubmissionResult


def result(student, passed=(True, True), free_status="pending_manual"):
    cases = [CaseResult(case_id=f"public-{k}", visibility="public", passed=p, status="passed" if p else "failed")
             for k, p in enumerate(passed)]
    return SubmissionResult(
        student=student, status="graded", assignment="nndl-ch6", version="abc",
        items=[ItemResult(item="lstm_cell_forward", kind="code", max_score=10, status="partial", cases=cases),
               ItemResult(item="free_6_3", kind="free", max_score=6, status=free_status,
                          free={"text": "because", "attachments": [], "rubric": "r"})])


def test_scores_are_derived_from_cases(tmp_path):
    r = result("alice", passed=(True, False))
    assert r.item("lstm_cell_forward").score == 5.0
    assert r.score == 5.0 and r.max_score == 16.0


def test_put_get_roundtrip_and_replace(tmp_path):
    with Gradebook(tmp_path / "g.sqlite") as gb:
        gb.put(result("alice"), "k1")
        gb.put(result("alice", passed=(False, False)), "k2")
        assert gb.count() == 1
        assert gb.grading_key("alice") == "k2"
        assert gb.get("alice").score == 0.0
        assert gb.get("nobody") is None


def test_manual_points_survive_regrading(tmp_path):
    with Gradebook(tmp_path / "g.sqlite") as gb:
        gb.put(result("alice"), "k1")
        gb.set_manual("alice", "free_6_3", 4.5, "good analysis")
        gb.put(result("alice"), "k2")  # re-graded with --force
        it = gb.get("alice").item("free_6_3")
        assert it.score == 4.5 and it.manual == {"points": 4.5, "comment": "good analysis"}
        assert it.effective_status == "partial"
        assert gb.results()[0].score == 14.5


def test_override_of_a_code_item(tmp_path):
    with Gradebook(tmp_path / "g.sqlite") as gb:
        gb.put(result("bob", passed=(False, False)), "k")
        gb.set_manual("bob", "lstm_cell_forward", 10, "regrade request accepted")
        assert gb.get("bob").item("lstm_cell_forward").score == 10.0


def test_wal_mode_and_nan_safe_json(tmp_path):
    r = result("carol", passed=(False, True))
    r.items[0].cases[0].seconds = float("nan")
    with Gradebook(tmp_path / "g.sqlite") as gb:
        gb.put(r, "k")
    con = sqlite3.connect(tmp_path / "g.sqlite")
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    payload = con.execute("SELECT result_json FROM submissions").fetchone()[0]
    text = zlib.decompress(payload).decode("utf-8")
    assert json.loads(text)["items"][0]["cases"][0]["seconds"] == "nan"
    assert "NaN" not in text


def test_other_schema_version_is_refused_with_advice(tmp_path):
    db = tmp_path / "g.sqlite"
    Gradebook(db).close()
    con = sqlite3.connect(db)
    con.execute("UPDATE meta SET value='99' WHERE key='schema_version'")
    con.commit()
    con.close()
    with pytest.raises(GradebookError) as e:
        Gradebook(db)
    assert str(e.value) == (f"{db} was written by another version of rnngrade (schema 99, this one reads 1 and 2); "
                            "grade into a new --out folder.")


def test_sigkill_mid_write_loses_nothing_committed(tmp_path):
    """Is every committed row intact, and none half-written, after the writer is SIGKILLed?"""
    db = tmp_path / "g.sqlite"
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {os.getcwd()!r})
        from tests.grader.test_gradebook import result
        from grader.store.gradebook import Gradebook
        gb = Gradebook({str(db)!r})
        i = 0
        while True:
            gb.put(result(f"s{{i:06d}}"), "k")
            print(i, flush=True)
            i += 1
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    last = None
    deadline = time.time() + 20
    while time.time() < deadline:
        last = int(proc.stdout.readline())
        if last >= 200:
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with Gradebook(db) as gb:
        students = gb.students()
        assert len(students) >= last + 1  # everything reported as committed is there
        assert students == sorted(set(students))
        for r in gb.results():
            assert r.score == 16.0 - 6.0  # each row complete and readable


def _with_outputs(student):
    r = result(student, passed=(True, False))
    for c in r.item("lstm_cell_forward").cases:
        c.outputs = [OutputCheck(name="h_next", passed=c.passed, stage="values", message="m",
                                 got=[1.0, 2.0], expected=[1.0, 2.5])]
        c.stdout = "printed\n"
    return r


def test_light_results_come_from_the_summary_and_match_the_stripped_full_result(tmp_path):
    with Gradebook(tmp_path / "g.sqlite") as gb:
        gb.put(_with_outputs("alice"), "k")
        (light,) = gb.results(light=True)
        full = gb.get("alice")
        summary = zlib.decompress(gb._conn.execute("SELECT summary_json FROM submissions").fetchone()[0]).decode()
    assert all(c.outputs == [] and c.stdout == "" for c in light.item("lstm_cell_forward").cases)
    assert full.item("lstm_cell_forward").cases[1].outputs[0].got == [1.0, 2.0]
    assert (light.score, light.max_score) == (full.score, full.max_score) == (5.0, 16.0)
    assert [(c.case_id, c.status, c.passed) for c in light.item("lstm_cell_forward").cases] == [
        (c.case_id, c.status, c.passed) for c in full.item("lstm_cell_forward").cases]
    assert light.item("free_6_3").status == "pending_manual"
    assert "printed" not in summary and "h_next" not in summary and "because" not in summary


def test_a_gradebook_from_before_the_summary_column_is_migrated_and_still_read(tmp_path):
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path)
    conn.executescript("""
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE submissions (student TEXT PRIMARY KEY, status TEXT NOT NULL,
            grading_key TEXT NOT NULL, result_json TEXT NOT NULL, graded_at TEXT NOT NULL);
        INSERT INTO meta VALUES ('schema_version', '1');
    """)
    conn.execute("INSERT INTO submissions VALUES (?, ?, ?, ?, ?)",
                 ("bob", "graded", "k", json.dumps(_with_outputs("bob").to_dict()), "2026-01-01"))
    conn.commit()
    conn.close()
    with Gradebook(path) as gb:
        (light,) = gb.results(light=True)
        assert light.student == "bob" and light.score == 5.0
        assert all(c.outputs == [] for c in light.item("lstm_cell_forward").cases)
        gb.put(_with_outputs("carol"), "k2")  # new rows get their summary
        assert [r.student for r in gb.results(light=True)] == ["bob", "carol"]
