"""Does each LMS reader turn that LMS's names into the right students, attempts, times and late marks,
and is the LMS detected from the names alone?"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from grader.core.errors import UserError
from grader.lms import blackboard, canvas, gradescope, moodle
from grader.lms.intake import IntakeOptions, detect, list_folder, prepare_intake
from grader.lms.late import parse_deadline, parse_policy
from grader.lms.roster import RosterError, read_roster
from grader.messages import english_notes, render


def _files(root: Path, names: list) -> list:
    for name in names:
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x = 1\n", encoding="utf-8")
    return list_folder(root)[0]


def test_canvas_names_late_marker_and_resubmissions(tmp_path):
    refs = _files(tmp_path, ["smithbob_1234_5678_hw3.ipynb", "smithbob_1234_5678_hw3-1.ipynb",
                             "kinglee_LATE_2222_6666_hw3.ipynb", "kingann_late_3333_7777_my_hw.py", "notes.txt"])
    d = canvas.parse(tmp_path, refs)
    got = [(a.key, a.number, a.marked_late, [p.name for p in a.files], a.ids) for a in d.attempts]
    assert got == [
        ("1234", 1, False, ["smithbob_1234_5678_hw3.ipynb"],
         {"lms_id": "1234", "sortable_name": "smithbob", "submission_id": "5678"}),
        ("1234", 2, False, ["smithbob_1234_5678_hw3-1.ipynb"],
         {"lms_id": "1234", "sortable_name": "smithbob", "submission_id": "5678"}),
        ("2222", 1, True, ["kinglee_LATE_2222_6666_hw3.ipynb"],
         {"lms_id": "2222", "sortable_name": "kinglee", "submission_id": "6666"}),
        ("3333", 1, True, ["kingann_late_3333_7777_my_hw.py"],
         {"lms_id": "3333", "sortable_name": "kingann", "submission_id": "7777"}),
    ]
    assert d.ignored == [("notes.txt", "not named like a Canvas submission (name_userid_submissionid_file)")]


def test_moodle_folders_and_flat_files(tmp_path):
    refs = _files(tmp_path, ["Bob Smith_101_assignsubmission_file_/hw3.ipynb",
                             "Bob Smith_101_assignsubmission_file_/data/extra.py",
                             "李 雷_102_assignsubmission_file_hw3.ipynb",
                             "Bob Smith_101_assignsubmission_onlinetext_/onlinetext.html"])
    d = moodle.parse(tmp_path, refs)
    assert [(a.key, a.ids, sorted(p.name for p in a.files)) for a in d.attempts] == [
        ("101", {"participant": "101", "name": "Bob Smith"}, ["extra.py", "hw3.ipynb"]),
        ("102", {"participant": "102", "name": "李 雷"}, ["李 雷_102_assignsubmission_file_hw3.ipynb"]),
    ]
    assert d.ignored == [("Bob Smith_101_assignsubmission_onlinetext_/onlinetext.html",
                          "Moodle onlinetext submission: only uploaded files are graded")]


def test_blackboard_attempts_times_and_receipts(tmp_path):
    refs = _files(tmp_path, ["HW 3_hacker_attempt_2016-01-30-20-30-10_problem1.ipynb",
                             "HW 3_hacker_attempt_2016-01-29-10-00-00_problem1.ipynb",
                             "HW 3_hacker_attempt_2016-01-30-20-30-10.txt",
                             "HW 3_bitdiddle_attempt_2016-01-30-15-30-10.txt"])
    (tmp_path / "HW 3_hacker_attempt_2016-01-30-20-30-10.txt").write_text(
        "Name: Alyssa P Hacker (hacker)\nAssignment: HW 3\nDate Submitted: Saturday, January 30, 2016 8:30:10 PM\n")
    d = blackboard.parse(tmp_path, refs)
    assert [(a.key, a.number, a.submitted_at, a.ids, english_notes(a.notes)) for a in d.attempts] == [
        ("hacker", 1, datetime(2016, 1, 29, 10, 0), {"login": "hacker"},
         ["no Blackboard receipt (.txt) for this attempt"]),
        ("hacker", 2, datetime(2016, 1, 30, 20, 30, 10), {"login": "hacker", "name": "Alyssa P Hacker"}, []),
    ]
    assert d.ignored == [("HW 3_bitdiddle_attempt_2016-01-30-15-30-10.txt",
                          "a receipt without files: the attempt holds only text or comments")]


METADATA = """\
submission_111:
  :submitters:
  - :name: Alyssa Hacker
    :sid: '2020001'
    :email: hacker@example.edu
  :created_at: 2026-12-02 01:30:00.000000000 +08:00
  :score: 10.0
  :history:
  - :id: 100
    :created_at: 2026-12-01 20:00:00.000000000 +08:00
submission_222:
  :submitters:
  - :name: Ben Bitdiddle
    :sid: '2020002'
    :email: ben@example.edu
  - :name: Cy Hacker
    :sid: '2020003'
    :email: cy@example.edu
  :created_at: 2026-12-01 12:00:00.000000000 -08:00
"""


def test_gradescope_metadata_group_and_history(tmp_path):
    refs = _files(tmp_path, ["export/submission_111/hw3.ipynb", "export/submission_222/hw3.py",
                             "export/submission_333/hw3.py"])
    (tmp_path / "export" / "submission_metadata.yml").write_text(METADATA, encoding="utf-8")
    refs = list_folder(tmp_path)[0]
    assert detect(refs) == "gradescope"
    d = gradescope.parse(tmp_path, refs)
    got = [(a.key, a.number, a.submitted_at.isoformat(), a.ids.get("email"), [p.name for p in a.files])
           for a in d.attempts]
    assert got == [
        ("2020001", 2, "2026-12-02T01:30:00+08:00", "hacker@example.edu", ["hw3.ipynb"]),
        ("2020002", 1, "2026-12-01T12:00:00-08:00", "ben@example.edu", ["hw3.py"]),
        ("2020003", 1, "2026-12-01T12:00:00-08:00", "cy@example.edu", ["hw3.py"]),
    ]
    assert d.ignored == [("submission_333/", "a folder that submission_metadata.yml does not list")]


def test_gradescope_metadata_is_read_safely(tmp_path):
    (tmp_path / "submission_metadata.yml").write_text("!!python/object/apply:os.system ['echo hi']\n")
    with pytest.raises(UserError) as exc:
        gradescope.read_metadata(tmp_path / "submission_metadata.yml")
    assert str(exc.value) == ("submission_metadata.yml cannot be read as YAML (ConstructorError); export the "
                              "submissions from Gradescope again.")


@pytest.mark.parametrize("names,lms", [
    (["smithbob_1234_5678_hw3.ipynb", "kinglee_LATE_2222_6666_hw3.ipynb"], "canvas"),
    (["Bob Smith_101_assignsubmission_file_/hw3.ipynb"], "moodle"),
    (["HW3_hacker_attempt_2016-01-30-20-30-10_p1.ipynb", "HW3_hacker_attempt_2016-01-30-20-30-10.txt"],
     "blackboard"),
    (["alice.ipynb", "bob/hw.py"], "folder"),
], ids=["canvas", "moodle", "blackboard", "folder"])
def test_detection(tmp_path, names, lms):
    assert detect(_files(tmp_path, names)) == lms


ROSTER = """student,name,sortable_name,login,email,lms_id
s1,Bob Smith,"Smith, Bob",bsmith,bob@example.edu,1234
s2,Lee King,"King, Lee",lking,lee@example.edu,
s3,Ann King,,aking,ann@example.edu,
s4,Ann King,,aking2,ann2@example.edu,
"""


def test_roster_matching_by_strongest_identity(tmp_path):
    (tmp_path / "r.csv").write_text(ROSTER, encoding="utf-8")
    roster = read_roster(tmp_path / "r.csv")
    assert roster.match({"lms_id": "1234", "sortable_name": "zzz"})[0].student == "s1"
    assert roster.match({"sortable_name": "kinglee"}) == (roster.by_student("s2"), "sortable_name")
    assert roster.match({"name": "Lee King"}) == (roster.by_student("s2"), "name")
    assert roster.match({"login": "AKING"}) == (roster.by_student("s3"), "login")
    assert roster.match({"email": "ann2@example.edu"}) == (roster.by_student("s4"), "email")
    entry, why = roster.match({"name": "Ann King"})
    assert entry is None and render(why, "en") == "ambiguous: name 'Ann King' is on rows 4, 5"
    assert render(why, "zh") == "有歧义：name 'Ann King' 出现在第 4, 5 行"
    entry, why = roster.match({"lms_id": "999"})
    assert (entry, render(why, "en")) == (None, "no roster row has this student's lms_id")
    assert render(why, "zh") == "名单中没有与该学生的 lms_id 相符的行"
    assert render(roster.match({})[1], "en") == "no identity to match"


def test_roster_without_student_column(tmp_path):
    (tmp_path / "r.csv").write_text("id,name\n1,A\n", encoding="utf-8")
    with pytest.raises(RosterError) as exc:
        read_roster(tmp_path / "r.csv")
    assert str(exc.value) == ("r.csv: no 'student' column (columns found: id, name); a roster needs 'student' and "
                              "any of name, sortable_name, login, email, lms_id.")


def test_canvas_intake_plan_with_roster(tmp_path):
    (tmp_path / "r.csv").write_text(ROSTER, encoding="utf-8")
    down = tmp_path / "down"
    down.mkdir()
    _files(down, ["smithbob_1234_5678_hw3.py", "kinglee_LATE_2222_6666_hw3.py", "kinglee_LATE_2222_6666_hw3-1.py",
                  "strangerx_4444_1_hw3.py"])
    plan = prepare_intake(down, tmp_path / "out", read_roster(tmp_path / "r.csv"),
                          IntakeOptions(attempt="all", deadline=parse_deadline("2026-12-01T23:59:00+08:00"),
                                        policy=parse_policy("10%/day")))
    assert [(e.student, e.path.name if e.path else None) for e in plan.entries] == [
        ("s1", "smithbob_1234_5678_hw3.py"), ("s2", "kinglee_LATE_2222_6666_hw3-1.py"),
        ("s2.attempt-1", "kinglee_LATE_2222_6666_hw3.py"), ("s3", None), ("s4", None),
        ("strangerx", "strangerx_4444_1_hw3.py")]
    assert plan.lines() == [
        "Intake: canvas download, 3 student(s) found; 2 matched to the roster, 1 not matched, 2 on the roster "
        "without a submission; grading every attempt.",
        "  s1               <- smithbob (user 1234) [matched by lms_id] attempt 1",
        "  s2               <- kinglee (user 2222) [matched by sortable_name] attempt 2, late 1 day(s), -10%; "
        "other attempts: attempt 1",
        "  strangerx        <- strangerx (user 4444) [NOT MATCHED (no roster row has this student's lms_id, "
        "sortable_name)] attempt 1",
        "  s3               <- (no submission in the download)",
        "  s4               <- (no submission in the download)",
        "  s2.attempt-1     <- kinglee (user 2222): attempt 1 graded on its own row",
    ]


def test_a_download_zipped_again_inside_one_folder_is_read_from_inside(tmp_path):
    down = tmp_path / "down"
    _files(down, ["submissions/smithbob_1234_5678_hw3.py", "submissions/kinglee_2222_6666_hw3.py"])
    plan = prepare_intake(down, tmp_path / "out", None, IntakeOptions())
    assert plan.lms == "canvas" and plan.root == (down / "submissions").resolve()
    assert [e.student for e in plan.entries] == ["kinglee", "smithbob"]


def test_a_plain_folder_zipped_inside_one_folder(tmp_path):
    down = tmp_path / "down"
    _files(down, ["class/alice.py", "class/bob/hw.ipynb"])
    plan = prepare_intake(down, tmp_path / "out", None, IntakeOptions())
    assert plan.lms == "folder" and [e.student for e in plan.entries] == ["alice", "bob"]


def test_one_student_folder_alone_is_not_unwrapped(tmp_path):
    down = tmp_path / "down"
    _files(down, ["alice/hw.py"])
    plan = prepare_intake(down, tmp_path / "out", None, IntakeOptions())
    assert [e.student for e in plan.entries] == ["alice"]


def test_without_a_roster_ids_come_from_the_lms_names(tmp_path):
    down = tmp_path / "down"
    _files(down, ["smithbob_1234_5678_hw3.py"])
    plan = prepare_intake(down, tmp_path / "out", None, IntakeOptions())
    assert plan.lines() == [
        "Intake: canvas download, 1 student(s) found; no roster: ids made from the LMS's names; grading the "
        "latest attempt.",
        "  smithbob         <- smithbob (user 1234) [no roster] attempt 1"]


def test_an_intake_folder_that_is_a_link_is_refused(tmp_path):
    import zipfile

    with zipfile.ZipFile(tmp_path / "d.zip", "w") as zf:
        zf.writestr("smithbob_1234_5678_hw3.py", "x = 1\n")
    (tmp_path / "elsewhere" / "download").mkdir(parents=True)
    (tmp_path / "elsewhere" / "download" / "keep.txt").write_text("precious")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "intake").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(UserError) as exc:
        prepare_intake(tmp_path / "d.zip", tmp_path / "out", None, IntakeOptions())
    assert str(exc.value) == f"{tmp_path / 'out' / 'intake'} is a symbolic link; remove it and run again."
    assert (tmp_path / "elsewhere" / "download" / "keep.txt").read_text() == "precious"


def test_two_unmatched_students_of_one_name_get_two_ids(tmp_path):
    (tmp_path / "r.csv").write_text("student,name\nBob_Smith,Robert Smith\n", encoding="utf-8")
    down = tmp_path / "down"
    _files(down, ["Bob Smith_101_assignsubmission_file_/hw.py", "Bob Smith_102_assignsubmission_file_/hw.py",
                  "Ann Lee_103_assignsubmission_file_/hw.py"])
    plan = prepare_intake(down, tmp_path / "out", read_roster(tmp_path / "r.csv"), IntakeOptions())
    assert sorted((r.student, r.status, r.info.get("key")) for r in plan.rows) == [
        ("Ann_Lee", "unmapped", "103"), ("Bob_Smith", "missing", None),
        ("Bob_Smith_101", "unmapped", "101"), ("Bob_Smith_102", "unmapped", "102")]


def test_a_single_submission_goes_through_the_same_record(tmp_path):
    from grader.lms.intake import attempt_for_single, entry_for_attempt

    (tmp_path / "hw.py").write_text("x = 1\n")
    (tmp_path / "hw.ipynb").write_text("{}")
    a = attempt_for_single("gradescope", "2020001", [tmp_path / "hw.py", tmp_path / "hw.ipynb"],
                           {"sid": "2020001", "email": "a@example.edu"},
                           submitted_at=datetime(2026, 12, 2, 1, 0, tzinfo=timezone(timedelta(hours=8))))
    entry, late = entry_for_attempt(a, "2020001", tmp_path, IntakeOptions(
        deadline=parse_deadline("2026-12-01T23:59:00+08:00"), policy=parse_policy("10%/day")))
    assert (entry.student, entry.path.name, late["units"], late["penalty"]) == ("2020001", "hw.ipynb", 1, 0.1)
    assert english_notes(entry.notes) == [
        "chose hw.ipynb: a notebook is preferred over a .py file (also found: hw.py)",
        "submitted 1 day(s) after the deadline; late policy '10%/day' takes off 10%"]
