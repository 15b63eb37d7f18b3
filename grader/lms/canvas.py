"""Canvas: the "Download Submissions" zip, and the gradebook CSV that Canvas imports.

Download: one flat zip; each file is named ``<sortablename>_<userid>_<submissionid>_<filename>``, with
``LATE`` (older instances: ``late``) after the name when Canvas marked the submission late, e.g.
``smithbob_LATE_1234_5678_hw3.ipynb``. ``sortablename`` is the student's sortable name, lower case,
letters only. A file uploaded again under the same name carries ``-1``, ``-2``, ... before its
extension (``hw3-1.ipynb``): those are the student's later attempts. Canvas gives no submission time.

Import (Grades > Import): a CSV whose first columns are ``Student, ID, SIS User ID, SIS Login ID,
Section``, then one column per assignment titled ``Name (assignment_id)``; a second row whose first
cell is ``Points Possible`` gives each assignment's points. Canvas matches students by ``ID`` (its user
id) or the SIS ids, and the assignment by the id in parentheses. See docs/lms.md for the sources.
"""
from __future__ import annotations

import io
import re

from grader.lms.attempts import Attempt, Download
from grader.lms.cells import SafeWriter
from msgcat import message

NAME = "canvas"
PATTERN = re.compile(r"^(?P<name>[^_/]+)_(?:(?P<late>LATE|late)_)?(?P<user>\d+)_(?P<sub>\d+)_(?P<file>.+)$")
_RESUBMITTED = re.compile(r"^(?P<stem>.+)-(?P<n>\d+)(?P<ext>\.[A-Za-z0-9]+)$")


def matches(ref) -> bool:
    return len(ref.parts) == 1 and PATTERN.match(ref.rel) is not None


def parse(root, refs: list) -> Download:
    out = Download(NAME, root)
    groups: dict = {}  # (user, resubmission n) -> [(ref, match)]
    for ref in refs:
        m = PATTERN.match(ref.rel) if len(ref.parts) == 1 else None
        if m is None:
            out.ignored.append((ref.rel, "not named like a Canvas submission (name_userid_submissionid_file)"))
            continue
        r = _RESUBMITTED.match(m["file"])
        n = int(r["n"]) if r else 0
        groups.setdefault((m["user"], n), []).append((ref, m))
    for (user, n), members in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        first = members[0][1]
        a = Attempt(NAME, user, [ref.path for ref, _ in members], number=n + 1,
                    marked_late=any(m["late"] for _, m in members),
                    ids={"lms_id": user, "sortable_name": first["name"], "submission_id": first["sub"]})
        if n:
            a.notes.append(message("note.lms_canvas_resubmission", n=n, attempt=n + 1))
        out.attempts.append(a)
    return out


def import_csv(rows: list, column: str, points: float) -> str:
    """The Canvas gradebook import file. ``rows``: dicts with ``name`` (sortable name), ``lms_id``,
    ``sis_user_id``, ``login``, ``section``, ``score`` (text, empty to leave a grade alone)."""
    buf = io.StringIO()
    w = SafeWriter(buf, lineterminator="\r\n")
    w.writerow(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", column])
    w.writerow(["Points Possible", "", "", "", "", points])
    for r in rows:
        w.writerow([r["name"], r["lms_id"], r.get("sis_user_id", ""), r.get("login", ""),
                    r.get("section", ""), r["score"]])
    return buf.getvalue()
