"""Blackboard Learn: the Grade Center's "Assignment File Download" zip, and the Grade Center CSV.

Download: one flat zip; each attempt's files are named
``<Assignment>_<username>_attempt_<YYYY-MM-DD-HH-MM-SS>_<filename>``, with a receipt
``<Assignment>_<username>_attempt_<YYYY-MM-DD-HH-MM-SS>.txt`` beside them that starts with
``Name: First Last (username)`` and ``Date Submitted: ...``. The timestamp is the server's local time
without a zone (read in the --deadline's offset). Every attempt a student made can be in the download.

Import (Grade Center > Work Offline > Upload): a CSV whose first columns are ``Last Name``, ``First
Name``, ``Username``, then one column per graded item titled ``<Column> [Total Pts: N Score] |<id>``
(the ``|<id>`` part is the column's id; without it Blackboard offers to create a new column); the
Grade Center matches rows by ``Username``. ``Feedback to Learner`` and ``Feedback Format`` columns carry
the comment. See docs/lms.md for the sources.
"""
from __future__ import annotations

import csv
import io
import re
from datetime import datetime

from grader.lms.attempts import Attempt, Download, group_number
from grader.lms.cells import SafeWriter
from msgcat import message

NAME = "blackboard"
PATTERN = re.compile(r"^(?P<assignment>.+)_(?P<user>[^_/]+)_attempt_"
                     r"(?P<ts>\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2})(?:_(?P<file>.+)|(?P<receipt>\.txt))$")


def matches(ref) -> bool:
    return len(ref.parts) == 1 and PATTERN.match(ref.rel) is not None


def parse(root, refs: list) -> Download:
    out = Download(NAME, root)
    files: dict = {}
    receipts: dict = {}
    for ref in refs:
        m = PATTERN.match(ref.rel) if len(ref.parts) == 1 else None
        if m is None:
            out.ignored.append((ref.rel, "not named like a Blackboard attempt (Assignment_user_attempt_time_file)"))
            continue
        key = (m["user"], m["ts"])
        if m["receipt"]:
            receipts[key] = ref
        else:
            files.setdefault(key, []).append(ref)
    for key in receipts.keys() - files.keys():
        out.ignored.append((receipts[key].rel, "a receipt without files: the attempt holds only text or comments"))
    by_user: dict = {}
    for user, ts in files:
        by_user.setdefault(user, []).append(ts)
    for user, stamps in sorted(by_user.items()):
        times = {}
        for ts in stamps:  # the pattern takes any digits: "2026-99-99-..." is no time
            try:
                times[ts] = datetime.strptime(ts, "%Y-%m-%d-%H-%M-%S")
            except ValueError:
                out.ignored += [(r.rel, f"its time {ts} is not a date and time; not a Blackboard attempt as "
                                        "Blackboard names them") for r in files[user, ts]]
        if not times:
            continue
        numbers = group_number(times)
        for ts in sorted(times):
            a = Attempt(NAME, user, [r.path for r in files[user, ts]], number=numbers[ts],
                        submitted_at=times[ts], ids={"login": user})
            receipt = receipts.get((user, ts))
            if receipt is not None:
                name = _receipt_name(receipt.path)
                if name:
                    a.ids["name"] = name
            else:
                a.notes.append(message("note.lms_no_receipt"))
            out.attempts.append(a)
    return out


def _receipt_name(path) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")[:4000]
    except OSError:
        return ""
    for line in text.splitlines():
        # "Name: First Last (username)": the name is what stands before the last "(" (a pattern with
        # three overlapping runs of spaces took a minute on a crafted line)
        rest = line[len("Name:"):].strip() if line.startswith("Name:") else ""
        if rest.endswith(")") and "(" in rest:
            cut = rest.rfind("(")
            if ")" not in rest[cut + 1:-1]:
                return rest[:cut].strip()
    return ""


def grade_center_csv(rows: list, column: str) -> str:
    """The Grade Center upload file. ``rows``: dicts with ``last``, ``first``, ``login``, ``score``
    (text), ``comment``."""
    buf = io.StringIO()
    w = SafeWriter(buf, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    w.writerow(["Last Name", "First Name", "Username", column, "Feedback to Learner", "Feedback Format"])
    for r in rows:
        w.writerow([r["last"], r["first"], r["login"], r["score"], r.get("comment", ""), "SMART_TEXT"])
    return buf.getvalue()
