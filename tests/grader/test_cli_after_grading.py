"""The verbs staff use after a batch: manual grading round trip, re-rendering, the derivation page."""
import csv
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.pipeline.batch import GradeOptions, grade_batch
from grader.cli import main

ROOT = Path(__file__).resolve().parents[2]
SOLUTION = ROOT / "assignments" / "nndl_ch6" / "solution.py"


@pytest.fixture()
def out(tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    shutil.copy(SOLUTION, subs / "alice.py")
    (subs / "bob.py").write_text("free_6_3 = 'clipping'\n", encoding="utf-8")
    o = tmp_path / "out"
    grade_batch(subs, "nndl-ch6", o, options=GradeOptions(workers=1, progress=False, lang="en"))
    return o


def _score(out, student):
    return json.loads((out / "students" / student / "grade.json").read_text(encoding="utf-8"))


@pytest.mark.needs_layer()
def test_manual_round_trip_updates_every_export(out, tmp_path):
    runner = CliRunner()
    sheet = tmp_path / "manual.csv"
    res = runner.invoke(main, ["manual", str(out), "--export", str(sheet)])
    assert res.exit_code == 0, res.output
    assert res.output.startswith("Wrote 8 row(s) to ")
    rows = list(csv.DictReader(sheet.open(encoding="utf-8-sig")))
    before = _score(out, "bob")["score"]
    for r in rows:
        if r["student"] == "bob" and r["item"] == "free_6_3":
            r["points"], r["comment"] = "2", "names one remedy; explain why the identity term matters"
    with sheet.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    res = runner.invoke(main, ["manual", str(out), "--import", str(sheet)])
    assert res.exit_code == 0, res.output
    g = _score(out, "bob")
    assert g["score"] == before + 2
    assert g["items"]["free_6_3"]["comment"] == "names one remedy; explain why the identity term matters"
    assert "bob,2" in (out / "grades.csv").read_text(encoding="utf-8")
    report = (out / "students" / "bob" / "report.html").read_text(encoding="utf-8")
    assert "explain why the identity term matters" in report


@pytest.mark.needs_layer()
def test_manual_import_of_a_bad_row_imports_nothing(out, tmp_path):
    sheet = tmp_path / "bad.csv"
    sheet.write_text("student,item,points,comment\nnobody,free_6_3,1,\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["manual", str(out), "--import", str(sheet)])
    assert res.exit_code == 1
    assert "nobody" in res.output
    assert res.output.rstrip().endswith(f"Nothing was imported: fix the rows above in {sheet} and run the "
                                        "import again.")


@pytest.mark.needs_layer()
def test_manual_needs_exactly_one_direction(out):
    res = CliRunner().invoke(main, ["manual", str(out)])
    assert res.exit_code == 2
    assert "give exactly one of --export FILE or --import FILE" in res.output


@pytest.mark.needs_layer()
def test_report_re_renders_from_the_gradebook(out):
    report = out / "students" / "alice" / "report.html"
    report.unlink()
    (out / "summary.html").unlink()
    res = CliRunner().invoke(main, ["report", str(out)])
    assert res.exit_code == 0, res.output
    assert res.output == f"Re-rendered 2 submission(s); summary: {out / 'summary.html'}\n"
    assert report.is_file() and (out / "summary.html").is_file()


def test_report_without_a_gradebook_says_what_to_do(tmp_path):
    res = CliRunner().invoke(main, ["report", str(tmp_path)])
    assert res.exit_code == 1
    assert res.output == (f"Error: {tmp_path / 'gradebook.sqlite'} not found: run `rnngrade grade SUBMISSIONS "
                          f"--out {tmp_path}` first.\n")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_derivation_page(tmp_path, lang):
    page = tmp_path / f"derivation-{lang}.html"
    res = CliRunner().invoke(main, ["derivation", "nndl-ch6", "--out", str(page), "--lang", lang])
    assert res.exit_code == 0, res.output
    html = page.read_text(encoding="utf-8")
    assert html.count("<math") > 10 and "<script" not in html
