"""The files LMSs and instructors' scripts read: exact formats."""
import csv
import io
import json

from assignments.spec import load_spec
from grader.outputs.exports import grade_json, gradescope_results, grades_csv, write_outputs
from grader.model import CaseResult, ItemResult, OutputCheck, SubmissionResult

SPEC = load_spec("nndl-ch6")


def _result(student="alice"):
    items = []
    for it in SPEC.items:
        if it.kind == "code":
            cases = [CaseResult(case_id="public-0", visibility="public", passed=True, status="passed"),
                     CaseResult(case_id="hidden-0", visibility="hidden", passed=False, status="failed",
                                message="dWf: values differ (max abs error 3.1e-01)",
                                outputs=[OutputCheck(name="dWf", passed=False, stage="values", message="x",
                                                     expected=[[0.123456]], got=[[0.5]])])]
            items.append(ItemResult(item=it.id, kind="code", max_score=it.points, status="partial", cases=cases))
        elif it.kind == "symbolic":
            items.append(ItemResult(item=it.id, kind="symbolic", max_score=it.points, status="passed",
                                    symbolic={"verdict": "equivalent", "answer": "f"}))
        else:
            items.append(ItemResult(item=it.id, kind="free", max_score=it.points, status="pending_manual",
                                    free={"text": "t", "attachments": [], "rubric": "SECRET RUBRIC"}))
    return SubmissionResult(student=student, status="graded", assignment="nndl-ch6", version=SPEC.version,
                            items=items, isolation={"summary": "full", "layers": {}})


def test_grades_csv_columns_and_numbers():
    r = _result()
    text = grades_csv([_result("bob"), r], [it.id for it in SPEC.items])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["student", "score", "max_score", *[it.id for it in SPEC.items]]
    assert [row[0] for row in rows[1:]] == ["alice", "bob"]
    code = next(it for it in SPEC.items if it.kind == "code")
    assert rows[1][3 + [it.id for it in SPEC.items].index(code.id)] == f"{code.points / 2:g}"
    assert float(rows[1][1]) == r.score and float(rows[1][2]) == r.max_score == sum(i.points for i in SPEC.items)


def test_grade_json_has_one_entry_per_item_and_no_rubric():
    g = grade_json(_result(), SPEC)
    assert set(g) >= {"student", "score", "max_score", "isolation", "items"}
    assert list(g["items"]) == [it.id for it in SPEC.items]
    for entry in g["items"].values():
        assert set(entry) >= {"score", "max_score", "status", "message", "diagnoses"}
    assert "SECRET RUBRIC" not in json.dumps(g)


def test_gradescope_results_schema():
    r = _result()
    res = gradescope_results(r, SPEC, lang="en")
    assert res["score"] == r.score
    assert len(res["tests"]) == len(SPEC.items)
    assert sum(t["max_score"] for t in res["tests"]) == r.max_score
    for t in res["tests"]:
        assert set(t) >= {"name", "score", "max_score", "status", "output", "visibility"}
        assert t["status"] in ("passed", "failed") and t["visibility"] == "visible"
    text = json.dumps(res)
    assert "0.123456" not in text and "SECRET RUBRIC" not in text


def test_write_outputs_files(tmp_path):
    write_outputs(tmp_path, [_result("alice"), _result("bob")], SPEC, lang="en")
    for s in ("alice", "bob"):
        for n in ("grade.json", "results.json", "report.html"):
            assert (tmp_path / "students" / s / n).stat().st_size > 0
    assert (tmp_path / "grades.csv").read_text(encoding="utf-8").startswith("student,score,max_score,")
    assert "<svg" in (tmp_path / "summary.html").read_text(encoding="utf-8")
    assert not list(tmp_path.rglob("*.tmp-*"))
