"""Manual grading through a CSV: export, validation with row numbers, import, re-export.

Is a wrong row refused with a message naming the row and what to do? Is nothing imported when a
row is wrong? Do the points reach grades.csv and the student's report, and survive re-grading?"""
from __future__ import annotations

import csv
import io
import json

import pytest

from grader.model import CaseResult, ItemResult, SubmissionResult
from grader.outputs.manual import (ManualImportError, answer_cell, export_manual, import_manual, normalise_answer,
                                   parse_points, read_csv, validate_rows)
from tests.reports.sample_results_support import PNG_B64, all_results, make_spec

gradebook = pytest.importorskip("grader.store.gradebook", reason="grader.store.gradebook (the lead's SQLite gradebook) is needed")
pytest.importorskip("grader.outputs.exports", reason="grader.outputs.exports.write_outputs is needed to rewrite the outputs")


@pytest.mark.parametrize("raw,expected", [
    ("7.5", (7.5, None)), (" 4 ", (4.0, None)), ("", (None, None)), ("  ", (None, None)),
    ("abc", (None, "points 'abc' is not a number; write a number such as 7.5, or leave the cell empty")),
    ("7,5", (None, "points '7,5' is not a number (use a dot as the decimal mark); write a number such as 7.5, "
                   "or leave the cell empty")),
    ("nan", (None, "points 'nan' is not a finite number; write a number such as 7.5")),
])
def test_parse_points(raw, expected):
    assert parse_points(raw) == expected


def test_answers_compare_across_spreadsheet_round_trips():
    assert normalise_answer("'=SUM(A1)\r\nsecond line   \r\n") == normalise_answer("=SUM(A1)\nsecond line")


def _rows(*rows):
    return [dict(zip(("student", "item", "points", "comment"), r)) for r in rows]


def test_validation_names_rows_and_what_to_do():
    rows = _rows(("zed", "free_6_3", "1", ""), ("bob", "free_9", "1", ""), ("bob", "free_6_3", "11", ""),
                 ("alice", "lstm_cell_forward", "x", ""), ("dave", "free_6_3", "1", ""), ("alice", "free_6_3", "9", "ok"),
                 ("alice", "free_6_3", "8", ""))
    changes, errors = validate_rows(rows, all_results(), make_spec())
    assert errors == [
        "row 2: unknown student 'zed' (not in the gradebook); fix the id or delete the row.",
        "row 3: unknown item 'free_9'; the items are lstm_cell_forward, lstm_cell_backward, answer_lstm_dc_prev, "
        "free_6_3.",
        "row 4: points 11 are out of range for free_6_3: give a number from 0 to 10.",
        "row 5: points 'x' is not a number; write a number such as 7.5, or leave the cell empty.",
        "row 6: dave has no graded result for free_6_3 (submission status: load_error), so no points can be set; "
        "delete the row.",
        "row 8: alice / free_6_3 appears again (first on row 7); keep one row.",
    ]
    assert [(c.student, c.item, c.points, c.kind) for c in changes] == [("alice", "free_6_3", 9.0, "graded")]


def test_changed_answer_is_refused():
    rows = [{"student": "bob", "item": "free_6_3", "points": "5", "comment": "", "answer": "an older answer"}]
    _, errors = validate_rows(rows, all_results(), make_spec())
    assert errors == [
        "row 2: bob's answer to free_6_3 has changed since this file was exported (the submission was graded "
        "again); export a fresh file with `rnngrade manual OUT --export FILE` and grade the new answer."]


def test_override_of_a_code_item_and_comment_only_and_clearing():
    rows = _rows(("bob", "lstm_cell_forward", "6", "Regraded by hand."), ("bob", "answer_lstm_dc_prev", "", "See me."),
                 ("alice", "free_6_3", "", ""), ("alice", "lstm_cell_forward", "", ""))
    changes, errors = validate_rows(rows, all_results(), make_spec())
    assert errors == []
    assert [(c.student, c.item, c.kind) for c in changes] == [
        ("bob", "lstm_cell_forward", "overridden"), ("bob", "answer_lstm_dc_prev", "comments"),
        ("alice", "free_6_3", "cleared"), ("alice", "lstm_cell_forward", "unchanged")]


def test_csv_without_points_column_is_refused(tmp_path):
    p = tmp_path / "m.csv"
    p.write_text("student,item,score\nbob,free_6_3,1\n", encoding="utf-8")
    with pytest.raises(ManualImportError) as e:
        read_csv(p)
    assert e.value.errors == [
        f"{p}: the header row has no column 'points', 'comment'; start from a file written by "
        f"`rnngrade manual OUT --export FILE` and keep its header row."]


# --- end to end, with the real gradebook and exports ---------------------------------------------

def _free(item_id, text, attachments=()):
    return ItemResult(item=item_id, kind="free", max_score=4, status="pending_manual", message="graded by hand",
                      free={"text": text, "attachments": list(attachments), "rubric": "secret rubric"})


def _builtin_results():
    code = ItemResult(item="lstm_cell_forward", kind="code", max_score=6, status="passed", message="1/1 cases passed.",
                      cases=[CaseResult(case_id="public-0", visibility="public", passed=True, status="passed")])
    ann = SubmissionResult(student="ann", status="graded", assignment="nndl-ch6", version="v", items=[
        code, _free("free_6_3", "=SUM(A1) is how I'd say it\nline two"),
        _free("free_6_4", "see figure", [{"name": "fig.png", "mime": "image/png", "data_b64": PNG_B64}])])
    ben = SubmissionResult(student="ben", status="graded", assignment="nndl-ch6", version="v",
                           items=[_free("free_6_3", "Gradients explode because ∏(I + diag(g′)U) grows.")])
    cat = SubmissionResult(student="cat", status="load_error", assignment="nndl-ch6", version="v", message="bad json")
    return [ann, ben, cat]


@pytest.fixture
def out(tmp_path):
    out = tmp_path / "out"
    with gradebook.Gradebook(out / "gradebook.sqlite") as gb:
        gb.set_meta(assignment="nndl-ch6", lang="en", show_solutions=False)
        for r in _builtin_results():
            gb.put(r, grading_key="k1")
    return out


def _read(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _write(path, rows):
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]))
    w.writeheader()
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8-sig")


def test_export_writes_one_row_per_student_and_free_item(out, tmp_path):
    n = export_manual(out, tmp_path / "manual.csv")
    rows = _read(tmp_path / "manual.csv")
    assert n == 3 and [(r["student"], r["item"]) for r in rows] == [
        ("ann", "free_6_3"), ("ann", "free_6_4"), ("ben", "free_6_3")]
    assert list(rows[0]) == ["student", "item", "answer", "rubric", "max_points", "points", "comment"]
    assert rows[0]["answer"] == "'=SUM(A1) is how I'd say it\nline two"  # not a formula in a spreadsheet
    assert rows[1]["answer"] == "see figure\n[image: fig.png]"
    # the instructor's file has the rubric; a leading "-" would make a spreadsheet read a formula
    assert rows[0]["rubric"].startswith("'- 1 point: writes ∂h_t/∂h_{t−1}")
    assert (rows[0]["max_points"], rows[0]["points"], rows[0]["comment"]) == ("4", "", "")


def test_import_merges_points_and_rewrites_outputs(out, tmp_path):
    csv_path = tmp_path / "manual.csv"
    export_manual(out, csv_path)
    rows = _read(csv_path)
    rows[0].update(points="3.5", comment="Name the remedy too.")
    rows[2].update(points="4")
    rows.append({"student": "ann", "item": "lstm_cell_forward", "answer": "", "rubric": "", "max_points": "",
                 "points": "2", "comment": "Copied from the book: see the honour code."})
    _write(csv_path, rows)
    summary = import_manual(out, csv_path)
    assert (summary.rows, summary.graded, summary.overridden, summary.unchanged) == (4, 2, 1, 1)
    grades = {r["student"]: r for r in _read(out / "grades.csv")}
    assert (grades["ann"]["free_6_3"], grades["ann"]["lstm_cell_forward"], grades["ben"]["free_6_3"]) == ("3.5", "2", "4")
    report = (out / "students" / "ann" / "report.html").read_text(encoding="utf-8")
    assert "<pre>Name the remedy too.</pre>" in report
    assert "<strong>Points set by your instructor:</strong> 2 of 6 points." in report
    assert "secret rubric" not in report
    gs = json.loads((out / "students" / "ann" / "results.json").read_text(encoding="utf-8"))
    assert gs["score"] == 5.5
    # re-grading (a new automatic result for ann) keeps what a person graded
    with gradebook.Gradebook(out / "gradebook.sqlite") as gb:
        gb.put(_builtin_results()[0], grading_key="k2")
        ann = next(r for r in gb.results() if r.student == "ann")
    assert ann.item("free_6_3").score == 3.5 and ann.item("lstm_cell_forward").score == 2


def test_import_with_errors_imports_nothing(out, tmp_path):
    csv_path = tmp_path / "manual.csv"
    export_manual(out, csv_path)
    rows = _read(csv_path)
    rows[0]["points"] = "3"
    rows[2]["points"] = "9"
    _write(csv_path, rows)
    with pytest.raises(ManualImportError) as e:
        import_manual(out, csv_path)
    assert e.value.errors == ["row 4: points 9 are out of range for free_6_3: give a number from 0 to 4."]
    with gradebook.Gradebook(out / "gradebook.sqlite") as gb:
        assert gb.manual_entries() == []


def test_import_after_a_changed_answer_asks_for_a_fresh_export(out, tmp_path):
    csv_path = tmp_path / "manual.csv"
    export_manual(out, csv_path)
    rows = _read(csv_path)
    rows[2]["points"] = "2"
    _write(csv_path, rows)
    ben = _builtin_results()[1]
    ben.items[0].free["text"] = "A new answer after resubmitting."
    with gradebook.Gradebook(out / "gradebook.sqlite") as gb:
        gb.put(ben, grading_key="k2")
    with pytest.raises(ManualImportError) as e:
        import_manual(out, csv_path)
    assert e.value.errors == [
        "row 4: ben's answer to free_6_3 has changed since this file was exported (the submission was graded "
        "again); export a fresh file with `rnngrade manual OUT --export FILE` and grade the new answer."]


def test_answer_cell_lists_images():
    item = _free("free_6_4", "text", [{"name": "a.png"}, {"name": "b.gif"}])
    assert answer_cell(item) == "text\n[image: a.png]\n[image: b.gif]"
