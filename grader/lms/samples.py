"""Sample LMS downloads of a small class, built from the demo's sample submissions.

Used by ``rnngrade demo`` (the LMS round trip) and by the tests (fixtures made on the fly, see
``tests/lms/downloads_support.py``). Each class has an on-time student, a late one, one who resubmitted,
one not on the roster, one on the roster who handed in nothing, and one hostile archive entry, plus the
junk an operating system adds.
"""
from __future__ import annotations

import stat
import zipfile
from pathlib import Path

from grader.diagnosis.submissions import SOLUTION, buggy_submission_source

DEADLINE = "2026-12-01T23:59:00+08:00"
POLICY = "10%/day, max 3 days"

# student, name, sortable name, login, email, Canvas user id
ROSTER = [
    ("alice", "Alice Liddell", "Liddell, Alice", "aliddell", "alice@example.edu", "1001"),
    ("carol", "Carol King", "King, Carol", "cking", "carol@example.edu", "1003"),
    ("dave", "Dave Knight", "Knight, Dave", "dknight", "dave@example.edu", "1004"),
    ("zoe", "Zoe Quill", "Quill, Zoe", "zquill", "zoe@example.edu", "1026"),
]
NOT_ON_ROSTER = ("Erin Gryphon", "gryphonerin", "1099")
FILE = "nndl_ch6.py"


def roster_csv(path: Path) -> Path:
    lines = ["student,name,sortable_name,login,email,lms_id"]
    lines += [",".join(f'"{v}"' if "," in v else v for v in row) for row in ROSTER]
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Path(path)


def sources() -> dict:
    """name -> source: the correct solution, and two of the demo's buggy ones."""
    base = SOLUTION.read_text(encoding="utf-8")
    return {"correct": base, "buggy": buggy_submission_source("no_dc_carry", base),
            "buggy2": buggy_submission_source("gru_z_swapped", base)}


def _add(zf: zipfile.ZipFile, name: str, text: str, when: tuple = (2026, 12, 1, 12, 0, 0)) -> None:
    info = zipfile.ZipInfo(name, date_time=when)
    info.external_attr = (stat.S_IFREG | 0o644) << 16
    info.flag_bits |= 0x800
    zf.writestr(info, text)


def _junk(zf: zipfile.ZipFile, first: str) -> None:
    _add(zf, f"__MACOSX/._{first}", "\x00\x05\x16\x07")
    _add(zf, ".DS_Store", "junk")


def canvas_zip(path: Path) -> Path:
    """Canvas "Download Submissions": carol LATE, dave resubmitted (-1), erin not on the roster, zoe
    missing, and one entry that climbs out of the folder."""
    src = sources()
    with zipfile.ZipFile(path, "w") as zf:
        _add(zf, f"liddellalice_1001_5001_{FILE}", src["correct"])
        _add(zf, f"kingcarol_LATE_1003_5003_{FILE}", src["correct"])
        _add(zf, f"knightdave_1004_5004_{FILE}", src["buggy"])
        _add(zf, f"knightdave_1004_5004_{FILE.replace('.py', '-1.py')}", src["correct"])
        _add(zf, f"{NOT_ON_ROSTER[1]}_{NOT_ON_ROSTER[2]}_5099_{FILE}", src["buggy2"])
        _add(zf, "../../escaped.py", "print('written outside the folder')\n")
        _junk(zf, f"liddellalice_1001_5001_{FILE}")
    return Path(path)


def moodle_zip(path: Path) -> Path:
    """Moodle "Download all submissions" (in folders): carol's file dated after the deadline, dave's
    folder holding his first and his resubmitted file, erin not on the roster, zoe missing, and one
    entry that is a symbolic link."""
    src = sources()
    folder = "{}_{}_assignsubmission_file_"
    with zipfile.ZipFile(path, "w") as zf:
        _add(zf, f"{folder.format('Alice Liddell', 2001)}/{FILE}", src["correct"], (2026, 11, 30, 10, 0, 0))
        # 2026-12-03 09:30 in the deadline's offset (+08:00): 2 started days late
        _add(zf, f"{folder.format('Carol King', 2003)}/{FILE}", src["correct"], (2026, 12, 3, 9, 30, 0))
        _add(zf, f"{folder.format('Dave Knight', 2004)}/{FILE.replace('.py', '_v1.py')}", src["buggy"],
             (2026, 11, 29, 9, 0, 0))
        _add(zf, f"{folder.format('Dave Knight', 2004)}/{FILE}", src["correct"], (2026, 11, 30, 21, 0, 0))
        _add(zf, f"{folder.format(NOT_ON_ROSTER[0], 2099)}/{FILE}", src["buggy2"], (2026, 11, 30, 8, 0, 0))
        _add(zf, f"{folder.format('Alice Liddell', 2001)}_onlinetext_/onlinetext.html".replace(
            "_assignsubmission_file__onlinetext_", "_assignsubmission_onlinetext_"), "<p>see file</p>")
        link = zipfile.ZipInfo(f"{folder.format('Carol King', 2003)}/secrets.py", date_time=(2026, 12, 1, 0, 0, 0))
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc/passwd")
        _junk(zf, FILE)
    return Path(path)
