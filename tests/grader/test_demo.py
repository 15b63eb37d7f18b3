"""`rnngrade demo`, the README's first command, runs the whole pipeline and says where to look."""
import json

from click.testing import CliRunner

from grader.cli import main


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
