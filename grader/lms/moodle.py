"""Moodle: the assignment's "Download all submissions" zip, and its offline grading worksheet.

Download: with "Download submissions in folders" (the default since Moodle 3.1), one folder per
submission plugin and participant, named ``<Full name>_<participant id>_assignsubmission_file_``
(``..._assignsubmission_onlinetext_`` for online text), the student's files inside under their own
names; without it, the same prefix glued to each file's name
(``Bob Smith_123456_assignsubmission_file_hw3.ipynb``). The participant id is the assignment's
"Participant N" identifier, not the user id. Moodle keeps only the latest attempt in the download and
writes no lateness into names: the time of each zip entry (the file's last change, in the server's
local time) is the submission time.

Import (Grading action > Upload grading worksheet): the CSV Moodle offers to download, columns
``Identifier`` ("Participant N"), ``Full name``, ``Email address``, ``Status``, ``Grade``, ``Maximum
Grade``, ``Grade can be changed``, ``Last modified (submission)``, ``Last modified (grade)``,
``Feedback comments``. Moodle matches rows by ``Identifier`` and reads ``Grade`` and ``Feedback
comments``. See docs/lms.md for the sources.
"""
from __future__ import annotations

import io
import re

from grader.lms.attempts import Attempt, Download
from grader.lms.cells import SafeWriter

NAME = "moodle"
PATTERN = re.compile(r"^(?P<name>.+)_(?P<pid>\d+)_assignsubmission_(?P<plugin>[a-z]+)_(?P<rest>.*)$")


def matches(ref) -> bool:
    return PATTERN.match(ref.parts[0]) is not None


def parse(root, refs: list) -> Download:
    out = Download(NAME, root)
    groups: dict = {}
    for ref in refs:
        m = PATTERN.match(ref.parts[0])
        if m is None:
            out.ignored.append((ref.rel, "not named like a Moodle submission (Full name_id_assignsubmission_file_)"))
            continue
        if m["plugin"] != "file":
            out.ignored.append((ref.rel, f"Moodle {m['plugin']} submission: only uploaded files are graded"))
            continue
        if len(ref.parts) == 1 and not m["rest"]:
            out.ignored.append((ref.rel, "a Moodle submission entry without a file name"))
            continue
        groups.setdefault((m["pid"], m["name"]), []).append(ref)
    for (pid, name), members in sorted(groups.items()):
        times = [r.time for r in members if r.time is not None]
        out.attempts.append(Attempt(NAME, pid, [r.path for r in members], number=1,
                                    submitted_at=max(times) if times else None,
                                    ids={"participant": pid, "name": name}))
    return out


WORKSHEET_COLUMNS = ["Identifier", "Full name", "Email address", "Status", "Grade", "Maximum Grade",
                     "Grade can be changed", "Last modified (submission)", "Last modified (grade)",
                     "Feedback comments"]


def worksheet_csv(rows: list, points: float) -> str:
    """Moodle's grading worksheet. ``rows``: dicts with ``participant``, ``name``, ``email``,
    ``status``, ``grade`` (text), ``submitted`` (text), ``comment``."""
    buf = io.StringIO()
    w = SafeWriter(buf, lineterminator="\n")
    w.writerow(WORKSHEET_COLUMNS)
    for r in rows:
        w.writerow([f"Participant {r['participant']}", r["name"], r.get("email", ""), r["status"], r["grade"],
                    points, "Yes", r.get("submitted", ""), "", r.get("comment", "")])
    return buf.getvalue()
