"""Done when: a Canvas-style and a Moodle-style download of a class (late, resubmitted, missing and
unmapped students, one hostile archive entry) grade in one command through the real batch and export
back to each LMS's format."""
from __future__ import annotations

import csv
import io
import json
import sqlite3
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import main
from grader.lms import samples
from tests.lms.downloads_support import make

# every test grades a batch: grading must not stop on this machine
pytestmark = pytest.mark.needs_layer()

LATE = ["--deadline", samples.DEADLINE, "--late-policy", samples.POLICY]


def _grade(download: Path, out: Path, roster: Path, *extra) -> str:
    res = CliRunner().invoke(main, ["grade", str(download), "--out", str(out), "--roster", str(roster),
                                    "--no-progress", "-j", "2", "--lang", "en", *LATE, *extra])
    assert res.exit_code == 0, res.output
    return res.output


def _grades(out: Path) -> dict:
    return {r["student"]: r for r in csv.DictReader((out / "grades.csv").open(encoding="utf-8"))}


def _export(out: Path, fmt: str, dest: Path) -> list:
    res = CliRunner().invoke(main, ["export", str(out), "--to", fmt, "--out", str(dest)])
    assert res.exit_code == 0, res.output
    return res.output.splitlines()


@pytest.fixture(scope="module")
def class_downloads(tmp_path_factory):
    base = tmp_path_factory.mktemp("lms")
    files = make(base / "downloads")
    outs = {}
    for lms in ("canvas", "moodle"):
        outs[lms] = (base / f"out-{lms}", _grade(files[lms], base / f"out-{lms}", files["roster"]))
    return base, files, outs


def test_canvas_download_grades_in_one_command(class_downloads):
    base, files, outs = class_downloads
    out, output = outs["canvas"]
    assert output.splitlines()[:8] == [
        "Intake: canvas download, 4 student(s) found; 3 matched to the roster, 1 not matched, 1 on the roster "
        "without a submission; grading the latest attempt.",
        "  alice            <- liddellalice (user 1001) [matched by lms_id] attempt 1",
        "  carol            <- kingcarol (user 1003) [matched by lms_id] attempt 1, late 1 day(s), -10%",
        "  dave             <- knightdave (user 1004) [matched by lms_id] attempt 2; other attempts: attempt 1",
        "  gryphonerin      <- gryphonerin (user 1099) [NOT MATCHED (no roster row has this student's lms_id, "
        "sortable_name)] attempt 1",
        "  zoe              <- (no submission in the download)",
        "  refused ../../escaped.py: its path climbs out of the folder (..); it would be written outside the "
        "batch's folder",
        "  skipped 2 operating-system file(s) (__MACOSX/, .DS_Store, Thumbs.db)",
    ]
    # the student's own note says why in the reader's language (stored as a message, not English)
    from grader.messages import localized
    from grader.store.gradebook import Gradebook

    stored = Gradebook(out / "gradebook.sqlite").get("gryphonerin")
    assert localized(stored, "zh").notes[-1] == ("未能与名单对应（名单中没有与该学生的 lms_id, sortable_name "
                                                 "相符的行）；按 gryphonerin 评分")
    assert localized(stored, "en").notes[-1] == ("not matched to the roster (no roster row has this student's "
                                                 "lms_id, sortable_name); graded as gryphonerin")
    g = _grades(out)
    # carol handed in alice's (correct) file, marked LATE: the same score, 10% off it
    assert g["carol"]["score"] == g["alice"]["score"]
    assert float(g["carol"]["final_score"]) == pytest.approx(0.9 * float(g["alice"]["score"]))
    assert (g["carol"]["late_penalty_percent"], g["alice"]["late_penalty_percent"]) == ("10", "0")
    # dave's resubmission (-1, the correct file) is graded, not his first (buggy) one
    assert g["dave"]["score"] == g["alice"]["score"]
    assert float(g["gryphonerin"]["score"]) < float(g["alice"]["score"])
    assert g["zoe"]["final_score"] == "0"
    # the hostile entry went nowhere
    assert not list(base.rglob("escaped.py"))
    assert {p.name for p in (out / "intake" / "download").iterdir()} == {
        "liddellalice_1001_5001_nndl_ch6.py", "kingcarol_LATE_1003_5003_nndl_ch6.py",
        "knightdave_1004_5004_nndl_ch6.py", "knightdave_1004_5004_nndl_ch6-1.py", "gryphonerin_1099_5099_nndl_ch6.py"}
    # the penalty is on the student's files too
    carol = json.loads((out / "students" / "carol" / "grade.json").read_text(encoding="utf-8"))
    assert carol["late_penalty"] == 0.1 and carol["final_score"] == float(g["carol"]["final_score"])
    gs = json.loads((out / "students" / "carol" / "results.json").read_text(encoding="utf-8"))
    assert gs["score"] == carol["final_score"]
    report = (out / "students" / "carol" / "report.html").read_text(encoding="utf-8")
    assert ("Marked late by the course site, counted as 1 day(s) late (late policy: 10%/day, max 3 days). "
            f"Late penalty 10%: {g['carol']['score']} becomes {g['carol']['final_score']} / 100.") in report
    # the mapping is kept in the gradebook
    with sqlite3.connect(out / "gradebook.sqlite") as db:
        rows = dict(db.execute("SELECT student, status FROM intake").fetchall())
    assert rows == {"alice": "mapped", "carol": "mapped", "dave": "mapped", "gryphonerin": "unmapped",
                    "zoe": "missing"}


def test_canvas_export_round_trip(class_downloads):
    base, files, outs = class_downloads
    out = outs["canvas"][0]
    dest = base / "canvas-import.csv"
    assert _export(out, "canvas", dest) == [
        f"Wrote 5 student(s) to {dest} (canvas import format); 1 without a submission have an empty grade."]
    rows = list(csv.reader(io.StringIO(dest.read_text(encoding="utf-8-sig"))))
    g = _grades(out)
    assert rows[:2] == [["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "nndl-ch6"],
                        ["Points Possible", "", "", "", "", "100"]]
    assert {r[1]: r[5] for r in rows[2:]} == {"1001": g["alice"]["final_score"], "1003": g["carol"]["final_score"],
                                              "1004": g["dave"]["final_score"],
                                              "1099": g["gryphonerin"]["final_score"], "1026": ""}


def test_moodle_download_grades_in_one_command(class_downloads):
    base, files, outs = class_downloads
    out, output = outs["moodle"]
    lines = output.splitlines()
    assert lines[:9] == [
        "Intake: moodle download, 4 student(s) found; 3 matched to the roster, 1 not matched, 1 on the roster "
        "without a submission; grading the latest attempt.",
        "  alice            <- Alice Liddell (participant 2001) [matched by name] attempt 1",
        "  carol            <- Carol King (participant 2003) [matched by name] attempt 1, late 2 day(s), -20%",
        "  dave             <- Dave Knight (participant 2004) [matched by name] attempt 1",
        "  Erin_Gryphon     <- Erin Gryphon (participant 2099) [NOT MATCHED (no roster row has this student's "
        "name)] attempt 1",
        "  zoe              <- (no submission in the download)",
        "  ignored Alice Liddell_2001_assignsubmission_onlinetext_/onlinetext.html: Moodle onlinetext submission: "
        "only uploaded files are graded",
        "  refused Carol King_2003_assignsubmission_file_/secrets.py: it is a symbolic link; links are not extracted",
        "  skipped 2 operating-system file(s) (__MACOSX/, .DS_Store, Thumbs.db)",
    ]
    g = _grades(out)
    assert g["carol"]["score"] == g["alice"]["score"] and g["carol"]["late_penalty_percent"] == "20"
    assert float(g["carol"]["final_score"]) == pytest.approx(0.8 * float(g["alice"]["score"]))
    assert g["dave"]["score"] == g["alice"]["score"]  # his newer file, not nndl_ch6_v1.py
    assert not (out / "intake" / "download" / "Carol King_2003_assignsubmission_file_" / "secrets.py").exists()
    dave = json.loads((out / "students" / "dave" / "grade.json").read_text(encoding="utf-8"))
    assert any("the most recently modified of 2 .py files" in n for n in dave["notes"])


def test_moodle_export_round_trip(class_downloads):
    base, files, outs = class_downloads
    out = outs["moodle"][0]
    dest = base / "moodle-worksheet.csv"
    assert _export(out, "moodle", dest) == [
        f"Wrote 4 student(s) to {dest} (moodle import format); 0 without a submission have an empty grade.",
        "  left out zoe: no Moodle participant number (only a Moodle download's folder names give it); Moodle "
        "keeps the grade it has"]
    rows = list(csv.DictReader(io.StringIO(dest.read_text(encoding="utf-8-sig"))))
    g = _grades(out)
    assert {r["Identifier"]: r["Grade"] for r in rows} == {
        "Participant 2001": g["alice"]["final_score"], "Participant 2003": g["carol"]["final_score"],
        "Participant 2004": g["dave"]["final_score"], "Participant 2099": g["Erin_Gryphon"]["final_score"]}
    carol = next(r for r in rows if r["Identifier"] == "Participant 2003")
    assert carol["Feedback comments"] == (
        "Submitted 2 day(s) after the deadline (late policy: 10%/day, max 3 days). "
        f"Late penalty 20%: {g['carol']['score']} becomes {g['carol']['final_score']} / 100.")


def test_manual_override_waives_a_late_penalty(class_downloads, tmp_path):
    base, files, outs = class_downloads
    out = outs["moodle"][0]
    sheet = tmp_path / "manual.csv"
    runner = CliRunner()
    assert runner.invoke(main, ["manual", str(out), "--export", str(sheet)]).exit_code == 0
    rows = list(csv.DictReader(sheet.open(encoding="utf-8-sig")))
    late = [r for r in rows if r["item"] == "late_penalty"]
    assert [(r["student"], r["answer"]) for r in late] == [
        ("carol", "late 2 day(s): 20% off under '10%/day, max 3 days'")]
    late[0]["points"], late[0]["comment"] = "0", "the upload page was down on Dec 2"
    with sheet.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    res = runner.invoke(main, ["manual", str(out), "--import", str(sheet)])
    assert res.exit_code == 0, res.output
    g = _grades(out)
    assert (g["carol"]["late_penalty_percent"], g["carol"]["final_score"]) == ("0", g["carol"]["score"])
    report = (out / "students" / "carol" / "report.html").read_text(encoding="utf-8")
    assert "Your instructor waived the late penalty: the upload page was down on Dec 2" in report
    dest = tmp_path / "m.csv"
    _export(out, "moodle", dest)
    assert f"Participant 2003,Carol King,carol@example.edu,Submitted for grading,{g['carol']['score']}," in \
        dest.read_text(encoding="utf-8-sig")


def test_best_attempt_takes_the_higher_score(tmp_path):
    src = samples.sources()
    with zipfile.ZipFile(tmp_path / "c.zip", "w") as zf:
        zf.writestr("liddellalice_1001_5001_hw.py", src["correct"])
        zf.writestr("liddellalice_1001_5001_hw-1.py", src["buggy"])
    roster = samples.roster_csv(tmp_path / "roster.csv")
    res = CliRunner().invoke(main, ["grade", str(tmp_path / "c.zip"), "--out", str(tmp_path / "o"), "--roster",
                                    str(roster), "--attempt", "best", "--no-progress", "-j", "2", "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert "  alice            <- liddellalice (user 1001) [matched by lms_id] attempt 2; other attempts: attempt 1" \
        in res.output.splitlines()
    g = _grades(tmp_path / "o")
    assert g["alice"]["score"] == g["alice.attempt-1"]["score"]  # the first (correct) attempt won
    alice = json.loads((tmp_path / "o" / "students" / "alice" / "grade.json").read_text(encoding="utf-8"))
    assert f"best of 2 attempts: attempt 1 (final score {g['alice']['score']}) is graded" in alice["notes"]
