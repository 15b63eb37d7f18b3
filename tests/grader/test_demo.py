"""`rnngrade demo`, the README's first command, runs the whole pipeline and says where to look."""
import json

import pytest
from click.testing import CliRunner

from grader.cli import main


@pytest.mark.needs_layer()
def test_demo_runs_the_whole_pipeline(tmp_path):
    out = tmp_path / "demo"
    res = CliRunner().invoke(main, ["demo", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert res.output.rstrip().splitlines()[-1] == f"Open the class summary: {out / 'graded' / 'summary.html'}"
    assert (out / "release" / "student" / "nndl-ch6.ipynb").is_file()
    canvas = (out / "lms" / "canvas-import.csv").read_text(encoding="utf-8-sig").splitlines()
    assert canvas[:2] == ["Student,ID,SIS User ID,SIS Login ID,Section,nndl-ch6", "Points Possible,,,,,100"]
    assert f"  Canvas import file (late penalty applied): {out / 'lms' / 'canvas-import.csv'}" in res.output
    summary = (out / "graded" / "summary.html").read_text(encoding="utf-8")

    def grade(s):
        return json.loads((out / "graded" / "students" / s / "grade.json").read_text(encoding="utf-8"))

    assert all(v["status"] == "passed" for v in grade("alice")["items"].values() if v["kind"] != "free")
    # no_dc_carry and dc_missing_dh_path give the same numbers on lstm_backward; carol's correct
    # lstm_cell_backward rules the second out
    assert grade("carol")["items"]["lstm_backward"]["diagnoses"] == ["no_dc_carry"]
    assert grade("mallory")["items"]["gru_forward"]["status"] == "timeout"
    assert grade("oscar")["items"]["lstm_backward"]["status"] == "error"
    assert grade("judy")["status"] == "load_error"
    assert grade("zoe")["status"] == "missing"
    assert grade("ivan")["items"]["lstm_cell_forward"]["status"] == "unanswered"
    peggy = (out / "graded" / "students" / "peggy" / "report.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in peggy and "&lt;script&gt;alert(1)&lt;/script&gt;" in peggy
    for student in ("alice", "carol", "zoe", "judy"):
        assert f"students/{student}/report.html" in summary
    _check_step_by_step_part(out, res.output)


def _check_step_by_step_part(out, output):
    """The second part: rnn-step-by-step, one mistake per sample, each costing what it touches."""
    sbs = out / "step-by-step"
    assert f"Assigned rnn-step-by-step to 5 students: {sbs / 'release'}" in output
    assert f"Summary:   {sbs / 'graded' / 'summary.html'}" in output
    assert (sbs / "release" / "student" / "rnn_utils.py").is_file()

    def items(s):
        grade = json.loads((sbs / "graded" / "students" / s / "grade.json").read_text(encoding="utf-8"))
        return grade["items"]

    assert all(v["status"] == "passed" for v in items("alice").values())
    assert all(v["status"] == "unanswered" for v in items("ivan").values())
    bob = items("bob")  # a cache that a later step overwrites: the forward is blamed, its backward
    assert "state_aliasing" in bob["lstm_forward"]["diagnoses"]  # keeps the key-cache credit (0.8 x 20)
    assert bob["lstm_backward"]["score"] == 16.0 and bob["lstm_cell_backward"]["status"] == "passed"
    carol = items("carol")  # no carry: every case shows it (the edge case has two steps), so 0 of 20
    assert carol["lstm_backward"]["status"] == "failed" and carol["lstm_backward"]["score"] == 0.0
    assert "no_bptt_carry" in carol["lstm_backward"]["diagnoses"]
    assert [k for k, v in carol.items() if v["status"] != "passed"] == ["lstm_backward"]
    dave = items("dave")  # 1 − tanh²(a_next): the one-element case's |a_next| is in [0.3, 0.6], where it
    assert dave["rnn_cell_backward"]["score"] == 0.0  # differs from 1 − a_next² beyond rtol: 0 of 10
    assert "missing_tanh_derivative" in dave["rnn_cell_backward"]["diagnoses"]
    assert dave["lstm_backward"]["status"] == "passed"
