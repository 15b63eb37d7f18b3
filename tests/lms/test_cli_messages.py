"""Are the LMS verbs' user errors one line a person can act on, with exit code 1 (2 for usage)?"""
from __future__ import annotations

import zipfile

import pytest
from click.testing import CliRunner

from grader.cli import main


@pytest.fixture
def runner():
    return CliRunner()


def _run(runner, *args):
    res = runner.invoke(main, [str(a) for a in args])
    return res.exit_code, res.output


def test_grade_a_file_that_is_not_a_zip(runner, tmp_path):
    (tmp_path / "subs.rar").write_text("x")
    code, out = _run(runner, "grade", tmp_path / "subs.rar", "--out", tmp_path / "o", "--no-progress")
    assert (code, out) == (1, "Error: subs.rar is not a .zip file or a folder; give the zip downloaded from the "
                              "LMS as it is, or a folder of submissions.\n")


def test_grade_a_zip_that_is_not_readable(runner, tmp_path):
    (tmp_path / "subs.zip").write_text("x")
    code, out = _run(runner, "grade", tmp_path / "subs.zip", "--out", tmp_path / "o", "--no-progress")
    assert (code, out) == (1, "Error: subs.zip is not a readable zip file (File is not a zip file); download it "
                              "again from the LMS.\n")


@pytest.mark.parametrize("args,message", [
    (["--late-policy", "10 percent"], "Error: --late-policy '10 percent': expected 'zero', 'none' or a rate such "
                                      "as '10%/day' or '10%/day, max 3 days'; could not read '10 percent'.\n"),
    (["--deadline", "2026-12-01 23:59"], "Error: --deadline '2026-12-01 23:59' has no time zone offset; add one, "
                                         "e.g. 2026-12-01T23:59:00+08:00.\n"),
    (["--from", "moodle", "--late-policy", "zero"], "Error: --late-policy 'zero' needs --deadline (only Canvas "
                                                    "marks late work in its download).\n"),
], ids=["policy", "deadline", "policy-without-deadline"])
def test_grade_late_options(runner, tmp_path, args, message):
    (tmp_path / "subs").mkdir()
    code, out = _run(runner, "grade", tmp_path / "subs", "--out", tmp_path / "o", "--no-progress", *args)
    assert (code, out) == (1, message)


def test_detected_download_with_a_policy_but_no_deadline(runner, tmp_path):
    with zipfile.ZipFile(tmp_path / "m.zip", "w") as zf:
        zf.writestr("Bob Smith_101_assignsubmission_file_/hw.py", "x = 1\n")
    code, out = _run(runner, "grade", tmp_path / "m.zip", "--out", tmp_path / "o", "--no-progress",
                     "--late-policy", "zero")
    assert (code, out) == (1, "Error: --late-policy 'zero' needs --deadline: a moodle download gives submission "
                              "times, not late marks.\n")


def test_forced_lms_that_finds_nothing(runner, tmp_path):
    (tmp_path / "subs").mkdir()
    (tmp_path / "subs" / "alice.py").write_text("x = 1\n")
    code, out = _run(runner, "grade", tmp_path / "subs", "--out", tmp_path / "o", "--no-progress", "--from", "canvas")
    assert (code, out) == (1, "Error: no canvas submission found in subs; check --from (or leave it out to detect "
                              "the LMS) and that this is the download of the whole class.\n")


def test_unknown_lms_is_a_usage_error(runner, tmp_path):
    (tmp_path / "subs").mkdir()
    code, out = _run(runner, "grade", tmp_path / "subs", "--out", tmp_path / "o", "--from", "sakai")
    assert code == 2
    assert out.splitlines()[-1] == ("Error: Invalid value for '--from': 'sakai' is not one of 'canvas', 'moodle', "
                                    "'blackboard', 'gradescope', 'folder'.")


def test_roster_without_a_student_column(runner, tmp_path):
    (tmp_path / "subs").mkdir()
    (tmp_path / "r.csv").write_text("login\nx\n")
    code, out = _run(runner, "grade", tmp_path / "subs", "--out", tmp_path / "o", "--no-progress",
                     "--roster", tmp_path / "r.csv", "--from", "canvas")
    assert (code, out) == (1, "Error: r.csv: no 'student' column (columns found: login); a roster needs 'student' "
                              "and any of name, sortable_name, login, email, lms_id.\n")


def test_export_before_grading(runner, tmp_path):
    code, out = _run(runner, "export", tmp_path, "--to", "canvas", "--out", tmp_path / "c.csv")
    assert (code, out) == (1, f"Error: {tmp_path / 'gradebook.sqlite'} not found: run `rnngrade grade DOWNLOAD "
                              f"--out {tmp_path}` first.\n")


def test_export_points_must_be_positive(runner, tmp_path):
    code, out = _run(runner, "export", tmp_path, "--to", "canvas", "--out", tmp_path / "c.csv", "--points", "0")
    assert (code, out) == (1, "Error: --points 0: give the LMS assignment's maximum, a number above 0.\n")


def test_export_unknown_format_is_a_usage_error(runner, tmp_path):
    code, out = _run(runner, "export", tmp_path, "--to", "sakai", "--out", tmp_path / "c.csv")
    assert code == 2
    assert out.splitlines()[-1] == ("Error: Invalid value for '--to': 'sakai' is not one of 'canvas', 'moodle', "
                                    "'blackboard', 'csv'.")
