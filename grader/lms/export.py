"""``rnngrade export OUT --to canvas|moodle|blackboard|csv --out FILE``: grades in the LMS's own format.

Scores are the gradebook's final scores (manual points merged, late penalty applied, a manual override
of the penalty honoured), optionally scaled to the LMS assignment's points (``--points``). Who is who
comes from the intake (the ids the download gave) and, for what the download did not give, from a roster
CSV. A student the format cannot name (no Canvas id or SIS login, no Moodle participant number, no
Blackboard username) is left out and listed; a student without a submission gets an empty grade, so the
LMS keeps its own handling of missing work. Earlier attempts graded on their own rows (``--attempt
all|best``) are not exported: the student's row is.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from grader.core.errors import UserError
from grader.outputs.exports import _num as num, atomic_write
from grader.store.gradebook import Gradebook
from grader.lms import blackboard, canvas, moodle
from grader.lms.cells import SafeWriter
from grader.lms.roster import read_roster
from grader.model import SubmissionResult
from grader.reports.i18n import Translator
from grader.reports.student import late_lines
from grader.outputs.rerender import load_spec_for

FORMATS = ("canvas", "moodle", "blackboard", "csv")


@dataclass
class ExportSummary:
    fmt: str
    dest: Path
    written: int = 0
    left_out: list = field(default_factory=list)  # (student, why)
    empty: int = 0  # rows with an empty grade (no submission)

    def lines(self) -> list:
        out = [f"Wrote {self.written} student(s) to {self.dest} ({self.fmt} import format); "
               f"{self.empty} without a submission have an empty grade."]
        for student, why in self.left_out:
            out.append(f"  left out {student}: {why}")
        return out


@dataclass
class Person:
    """One student as the export sees them: result, ids, and how to name them."""

    student: str
    status: str  # intake status, or "graded" without an intake
    result: Optional[SubmissionResult]
    ids: dict

    @property
    def submitted(self) -> bool:
        return self.result is not None and self.result.status != "missing"


def _num(x: float) -> str:
    return num(round(float(x), 6))


def split_name(p: Person) -> tuple:
    """``(last, first)`` from a sortable name "Last, First", else the last word of the full name."""
    sortable = p.ids.get("roster_sortable_name") or ""
    if "," in sortable:
        last, first = sortable.split(",", 1)
        return last.strip(), first.strip()
    words = (p.ids.get("roster_name") or p.ids.get("name") or "").split()
    if len(words) > 1:
        return words[-1], " ".join(words[:-1])
    return (words[0] if words else p.student), ""


def display_name(p: Person) -> str:
    last, first = split_name(p)
    return f"{last}, {first}" if first else last


def people(out: Path, roster_csv: Optional[Path]) -> tuple:
    """``(people, meta, spec)`` of the run in ``out``."""
    db = Path(out) / "gradebook.sqlite"
    if not db.exists():
        raise UserError(f"{db} not found: run `rnngrade grade DOWNLOAD --out {out}` first.")
    with Gradebook(db) as gb:
        meta = gb.meta()
        results = {r.student: r for r in gb.results(light=True)}
        intake = gb.intake_rows()
    spec = load_spec_for(meta)
    roster = read_roster(roster_csv) if roster_csv else None
    out_people = []
    rows = [r for r in intake if r["status"] != "attempt"] or \
        [{"student": s, "status": "graded", "info": {}} for s in sorted(results)]
    for row in rows:
        ids = dict((row["info"] or {}).get("ids") or {})
        lms = (row["info"] or {}).get("lms") or meta_lms(meta)
        entry = roster.by_student(row["student"]) if roster else None
        f = entry.fields if entry is not None else (row["info"] or {}).get("roster") or {}
        if f:
            ids.setdefault("login", f.get("login") or "")
            ids.setdefault("email", f.get("email") or "")
            ids["roster_name"] = f.get("name") or ""
            ids["roster_sortable_name"] = f.get("sortable_name") or ""
            if f.get("lms_id") and lms != "moodle":  # a participant number is per assignment: never a roster's
                ids.setdefault("lms_id", f["lms_id"])
        out_people.append(Person(row["student"], row["status"], results.get(row["student"]),
                                 {k: v for k, v in ids.items() if v}))
    return out_people, meta, spec


def meta_lms(meta: dict) -> str:
    intake = meta.get("intake") or {}
    return intake.get("lms", "") if isinstance(intake, dict) else ""


def _score(p: Person, max_score: float, points: Optional[float]) -> str:
    if not p.submitted:
        return ""
    final = p.result.final_score
    if points is not None and max_score > 0:
        final = final * points / max_score
    return _num(final)


def _comment(p: Person, lang: str) -> str:
    """What the LMS shows next to the grade: the late penalty's sentences, if any."""
    if p.result is None or not p.result.late:
        return ""
    return " ".join(late_lines(p.result, Translator(lang)))


def export_grades(out: Path, fmt: str, dest: Path, *, roster_csv: Optional[Path] = None,
                  column: Optional[str] = None, points: Optional[float] = None) -> ExportSummary:
    """Write ``dest`` in ``fmt`` (see the module doc); returns what was written and left out."""
    if fmt not in FORMATS:
        raise UserError(f"--to {fmt!r}: choose one of {', '.join(FORMATS)}.")
    if points is not None and not points > 0:
        raise UserError(f"--points {points:g}: give the LMS assignment's maximum, a number above 0.")
    persons, meta, spec = people(out, roster_csv)
    lang = meta.get("lang") or spec.default_lang
    max_score = float(sum(it.points for it in spec.items))
    shown_max = points if points is not None else max_score
    summary = ExportSummary(fmt, Path(dest))
    rows = []
    for p in persons:
        score = _score(p, max_score, points)
        base = {"score": score, "comment": _comment(p, lang)}
        if fmt == "canvas":
            if not (p.ids.get("lms_id") or p.ids.get("login")):
                summary.left_out.append((p.student, "no Canvas user id or SIS login (give a roster with "
                                                    "lms_id or login)"))
                continue
            rows.append(base | {"name": display_name(p), "lms_id": p.ids.get("lms_id", ""),
                                "login": p.ids.get("login", "") if not p.ids.get("lms_id") else ""})
        elif fmt == "moodle":
            if not p.ids.get("participant"):
                summary.left_out.append((p.student, "no Moodle participant number (only a Moodle download's folder "
                                                    "names give it); Moodle keeps the grade it has"))
                continue
            rows.append(base | {"participant": p.ids["participant"],
                                "name": p.ids.get("roster_name") or p.ids.get("name") or p.student,
                                "email": p.ids.get("email", ""),
                                "status": "Submitted for grading" if p.submitted else "No submission",
                                "grade": score})
        elif fmt == "blackboard":
            if not p.ids.get("login"):
                summary.left_out.append((p.student, "no Blackboard username (give a roster with login)"))
                continue
            last, first = split_name(p)
            rows.append(base | {"last": last, "first": first, "login": p.ids["login"]})
        else:
            rows.append(base | {"student": p.student, "status": p.status, "ids": p.ids, "p": p})
        summary.written += 1
        summary.empty += 0 if score else 1
    title = column or spec.name
    if fmt == "canvas":
        text = canvas.import_csv(rows, title, _num(shown_max))
    elif fmt == "moodle":
        text = moodle.worksheet_csv(rows, f"{shown_max:.2f}")
    elif fmt == "blackboard":
        text = blackboard.grade_center_csv(rows, column or f"{spec.name} [Total Pts: {_num(shown_max)} Score]")
    else:
        text = plain_csv(rows, max_score, shown_max)
    _write(Path(dest), text)
    return summary


PLAIN_COLUMNS = ["student", "status", "lms_id", "login", "email", "participant", "score", "max_score",
                 "late_penalty_percent", "final_score", "points", "comment"]


def plain_csv(rows: list, max_score: float, shown_max: float) -> str:
    """Every id rnngrade knows, the score before and after the late penalty, and the exported points."""
    buf = io.StringIO()
    w = SafeWriter(buf, lineterminator="\n")
    w.writerow(PLAIN_COLUMNS)
    for r in rows:
        p, ids = r["p"], r["ids"]
        res = p.result
        w.writerow([p.student, p.status, ids.get("lms_id", ""), ids.get("login", ""), ids.get("email", ""),
                    ids.get("participant", ""), _num(res.score) if p.submitted else "", _num(max_score),
                    _num(100 * res.late_penalty) if p.submitted else "",
                    _num(res.final_score) if p.submitted else "", r["score"], r["comment"]])
    return buf.getvalue()


def _write(dest: Path, text: str) -> None:
    """UTF-8 with a byte-order mark (spreadsheets and LMS importers then read names in any script)."""
    atomic_write(dest, text, encoding="utf-8-sig")
