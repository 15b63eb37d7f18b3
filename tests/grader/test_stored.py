"""What the gradebook keeps of a result (grader/store/stored.py), and gradebooks written before it."""
import json
import sqlite3
import zlib

from grader.store.gradebook import Gradebook
from grader.model import CaseResult, ItemResult, OutputCheck, SubmissionResult
from grader.store.stored import decode, encode, stored_form


def _out(name, passed, **kw):
    return OutputCheck(name=name, passed=passed, stage="values", message=f"{name}: m", max_abs_err=0.5,
                       max_rel_err=0.1, worst_index=[0, 1], **kw)


def _result() -> SubmissionResult:
    passing = CaseResult(case_id="public-0", visibility="public", passed=True, status="passed", label="m=1",
                         input_shapes={"x": [3, 4], "h0": [5, 4]}, outputs=[_out("h", True)], seconds=0.01,
                         stdout="hello\n")
    quiet = CaseResult(case_id="hidden-0", visibility="hidden", passed=True, status="passed",
                       input_shapes={"x": [3, 4]}, outputs=[_out("h", True)], seconds=0.02)
    failing = CaseResult(case_id="public-1", visibility="public", passed=False, status="failed", label="T=7",
                         message="h differs", input_shapes={"x": [3, 4], "h0": [5, 4]},
                         outputs=[_out("h", True, got=[1.0], expected=[1.0]),
                                  _out("y", False, got=[1.0, 2.0], expected=[1.0, 2.5])],
                         diagnoses=["no_dc_carry"], inputs_modified=["x"], seconds=0.03, stdout="dbg\n")
    return SubmissionResult(student="ann", status="graded", assignment="nndl-ch6", version="v",
                            items=[ItemResult(item="lstm_forward", kind="code", max_score=6, status="partial",
                                              cases=[passing, quiet, failing], stdout="hello\ndbg\n"),
                                   ItemResult(item="free_6_3", kind="free", max_score=4, status="pending_manual",
                                              free={"text": "because", "attachments": [], "rubric": "r"})])


def test_a_passing_case_keeps_what_the_reports_read_and_a_failing_case_its_failing_outputs():
    d = _result().to_dict()
    full = json.loads(json.dumps(d))
    s = stored_form(d)
    assert d == full  # the result's dictionary is not changed
    passing, quiet, failing = s["items"][0]["cases"]
    assert passing == {"case_id": "public-0", "visibility": "public", "passed": True, "status": "passed",
                       "label": "m=1", "stdout": "hello\n"}
    assert quiet == {"case_id": "hidden-0", "visibility": "hidden", "passed": True, "status": "passed",
                     "label": ""}
    assert failing == dict(full["items"][0]["cases"][2], outputs=[full["items"][0]["cases"][2]["outputs"][1]])
    assert s["items"][1] == full["items"][1]
    assert {k: v for k, v in s.items() if k != "items"} == {k: v for k, v in full.items() if k != "items"}


def test_the_stored_form_reads_back_with_the_same_scores_and_input_shapes_in_argument_order():
    r = _result()
    back = SubmissionResult.from_dict(decode(encode(stored_form(r.to_dict()))))
    assert (back.score, back.max_score) == (r.score, r.max_score) == (4.0, 10.0)
    assert list(back.items[0].cases[2].input_shapes) == ["x", "h0"]
    assert back.items[0].cases[0].outputs == [] and back.items[0].cases[0].stdout == "hello\n"
    assert [o.name for o in back.items[0].cases[2].outputs] == ["y"]


def test_rows_are_compressed_json_of_the_stored_form(tmp_path):
    r = _result()
    with Gradebook(tmp_path / "g.sqlite") as gb:
        gb.put(r, "k")
        payload, summary = gb._conn.execute("SELECT result_json, summary_json FROM submissions").fetchone()
    assert json.loads(zlib.decompress(payload)) == json.loads(json.dumps(stored_form(r.to_dict())))
    light = json.loads(zlib.decompress(summary))
    assert [c for c in light["items"][0]["cases"] if "outputs" in c or c.get("stdout")] == []


def test_a_schema_1_gradebook_stays_readable_and_new_rows_are_compressed(tmp_path):
    path = tmp_path / "old.sqlite"
    old = _result()
    conn = sqlite3.connect(path)
    conn.executescript("""
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE submissions (student TEXT PRIMARY KEY, status TEXT NOT NULL, grading_key TEXT NOT NULL,
            result_json TEXT NOT NULL, graded_at TEXT NOT NULL, summary_json TEXT);
        INSERT INTO meta VALUES ('schema_version', '1');
    """)
    conn.execute("INSERT INTO submissions VALUES (?, ?, ?, ?, ?, NULL)",
                 ("ann", "graded", "k", json.dumps(old.to_dict(), sort_keys=True), "2026-01-01"))
    conn.commit()
    conn.close()
    with Gradebook(path) as gb:
        assert gb.get("ann").items[0].cases[0].outputs[0].name == "h"  # read as it was written
        bob = _result()
        bob.student = "bob"
        gb.put(bob, "k")
        assert [r.score for r in gb.results(light=True)] == [4.0, 4.0]
        assert gb.meta()["schema_version"] == 2
        kinds = dict(gb._conn.execute("SELECT student, typeof(result_json) FROM submissions"))
    assert kinds == {"ann": "text", "bob": "blob"}


def test_a_stream_reads_every_result_in_student_order_a_chunk_at_a_time(tmp_path):
    with Gradebook(tmp_path / "g.sqlite") as gb:
        for name in ("dan", "ann", "eve", "bob", "cat"):
            r = _result()
            r.student = name
            gb.put(r, "k")
        gb.set_manual("cat", "free_6_3", 3.0, "ok")
        stream = gb.stream(light=True)
        for _ in range(2):  # read anew on each pass
            assert [(r.student, r.score) for r in stream] == [
                ("ann", 4.0), ("bob", 4.0), ("cat", 7.0), ("dan", 4.0), ("eve", 4.0)]
        chunked = list(gb.iter_results(chunk=2))
        assert [r.student for r in chunked] == ["ann", "bob", "cat", "dan", "eve"]
        assert [r.to_dict() for r in chunked] == [r.to_dict() for r in gb.results()]


def test_class_files_from_a_stream_equal_those_from_a_list(tmp_path):
    from assignments.spec import load_spec
    from grader.outputs.exports import grades_csv
    from grader.reports import render_summary

    spec = load_spec("nndl-ch6")
    with Gradebook(tmp_path / "g.sqlite") as gb:
        for name in ("bob", "ann"):
            r = _result()
            r.student = name
            gb.put(r, "k")
        ids = [it.id for it in spec.items]
        assert grades_csv(gb.stream(light=True), ids) == grades_csv(list(reversed(gb.results(light=True))), ids)
        assert render_summary(gb.stream(light=True), spec, lang="en") == render_summary(
            list(reversed(gb.results(light=True))), spec, lang="en")
