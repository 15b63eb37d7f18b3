"""Grading against an instructor release: per-student variants, roster rows, the notebooks it made."""
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from assignments.release import assign, load_release
from grader.pipeline.batch import grade_batch
from grader.pipeline.context import GradeOptions, open_context
from grader.cli import main
from grader.store.gradebook import Gradebook

ROOT = Path(__file__).resolve().parents[2]
SOLUTION = ROOT / "assignments" / "nndl_ch6" / "solution.py"


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    base = tmp_path_factory.mktemp("release")
    roster = base / "roster.csv"
    roster.write_text("student\nalice\nbob\ncarol\nivan\n", encoding="utf-8")
    assign("nndl-ch6", base / "rel", roster=roster, lang="en", secret_file=base / "secret.key")
    return base / "rel"


@pytest.fixture(scope="module")
def graded(release, tmp_path_factory):
    subs = tmp_path_factory.mktemp("subs")
    out = tmp_path_factory.mktemp("out")
    shutil.copy(SOLUTION, subs / "alice.py")
    shutil.copy(next((release / "instructor").glob("*solution*.ipynb")), subs / "bob.ipynb")
    shutil.copy(next((release / "student").glob("*.ipynb")), subs / "ivan.ipynb")  # handed in blank
    # not on the roster, and curious about the course secret
    probe = (f"try:\n    print('secret-len', len(open({str(release.parent / 'secret.key')!r}, 'rb').read()))\n"
             "except OSError as e:\n    print('secret-refused', type(e).__name__)\n")
    (subs / "mallory.py").write_text(probe + SOLUTION.read_text(encoding="utf-8"), encoding="utf-8")
    summary = grade_batch(subs, "nndl-ch6", out, release=release / "instructor",
                          options=GradeOptions(workers=2, progress=False))
    return out, summary


def _grade(out, s):
    return json.loads((out / "students" / s / "grade.json").read_text(encoding="utf-8"))


@pytest.mark.needs_layer()
def test_the_solution_notebook_passes_every_check(graded):
    out, _ = graded
    g = _grade(out, "bob")
    for item, entry in g["items"].items():
        if entry["kind"] in ("code", "symbolic"):
            assert entry["status"] == "passed", (item, entry["message"])
        else:
            assert entry["status"] == "pending_manual", item


@pytest.mark.needs_layer()
def test_blank_notebook_fails_every_code_item_with_the_stub_message(graded):
    out, _ = graded
    g = _grade(out, "ivan")
    for item, entry in g["items"].items():
        if entry["kind"] == "code":
            assert entry["status"] == "unanswered", (item, entry)
            assert "NotImplementedError" in entry["message"], entry["message"]
            assert entry["score"] == 0.0


@pytest.mark.needs_layer()
def test_roster_rows_missing_and_unknown_students(graded):
    out, summary = graded
    with Gradebook(out / "gradebook.sqlite") as gb:
        assert gb.students() == ["alice", "bob", "carol", "ivan", "mallory"]
        carol = gb.get("carol")
        mallory = gb.get("mallory")
    assert carol.status == "missing" and carol.score == 0.0
    assert "not_on_roster" in mallory.flags
    assert summary.missing == 1


def test_hidden_cases_are_per_student_and_re_derivable(release):
    rel = load_release(release / "instructor")
    ctx = open_context("nndl-ch6", release / "instructor", None, GradeOptions(), symbolic=False)
    item = rel.spec.item("lstm_backward")
    a1 = ctx.casebook.cases(item, ctx.hidden_seed("alice"))
    a2 = ctx.casebook.cases(item, ctx.hidden_seed("alice"))
    b = ctx.casebook.cases(item, ctx.hidden_seed("bob"))
    pub = [c for c in a1 if c.visibility == "public"]
    assert [c.case_id for c in pub] == [c.case_id for c in b if c.visibility == "public"]
    for x, y in zip(pub, [c for c in b if c.visibility == "public"]):
        assert all(np.array_equal(u, v) for u, v in zip(x.args[:2], y.args[:2]))
    hid_a = [c for c in a1 if c.visibility == "hidden"]
    hid_a2 = [c for c in a2 if c.visibility == "hidden"]
    hid_b = [c for c in b if c.visibility == "hidden"]
    assert all(np.array_equal(x.args[0], y.args[0]) for x, y in zip(hid_a, hid_a2))
    assert not any(x.args[0].shape == y.args[0].shape and np.allclose(x.args[0], y.args[0])
                   for x, y in zip(hid_a, hid_b))


def test_check_command_on_the_solution_and_on_a_blank_notebook(release):
    runner = CliRunner()
    ok = runner.invoke(main, ["check", str(SOLUTION), "--lang", "en"])
    assert ok.exit_code == 0, ok.output
    assert "PASS lstm_backward: 2/2 public case(s) passed" in ok.output
    assert ok.output.rstrip().endswith("Public checks only: hidden cases are graded after you submit; "
                                       "passing these checks is not full marks.")
    zh = runner.invoke(main, ["check", str(SOLUTION)])  # nndl-ch6 speaks Chinese by default
    assert "PASS lstm_backward：2/2 个公开用例通过" in zh.output
    assert zh.output.rstrip().endswith("这里只运行公开检查：隐藏用例在提交后评分；通过这些检查并不等于满分。")
    blank = next((release / "student").glob("*.ipynb"))
    bad = runner.invoke(main, ["check", str(blank), "--lang", "en"])
    assert bad.exit_code == 1
    assert "MISS lstm_cell_forward: 0/2 public case(s) passed" in bad.output


def test_validate_spec_and_assign_errors_are_user_errors(tmp_path):
    runner = CliRunner()
    spec = tmp_path / "spec"
    shutil.copytree(ROOT / "assignments" / "nndl_ch6", spec)
    text = (spec / "spec.toml").read_text(encoding="utf-8").replace("points = 8", "points = -8", 1)
    (spec / "spec.toml").write_text(text, encoding="utf-8")
    res = runner.invoke(main, ["validate-spec", str(spec)])
    assert res.exit_code == 1
    assert "must be a positive number, got -8" in res.output
    res = runner.invoke(main, ["assign", str(tmp_path / "nowhere"), "--out", str(tmp_path / "r")])
    assert res.exit_code == 1 and res.output.startswith("Error: ")


@pytest.mark.needs_layer("mount_namespace", "uid_drop")
@pytest.mark.needs_layer()
def test_the_course_secret_is_out_of_a_submissions_reach(graded):
    out, _ = graded
    with Gradebook(out / "gradebook.sqlite") as gb:
        stdout = gb.get("mallory").stdout
    assert "secret-len 32" not in stdout
    assert "secret-len 0" in stdout or "secret-refused" in stdout
