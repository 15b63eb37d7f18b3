"""The files a grading run leaves in OUT, all derived from the gradebook's results.

- ``grades.csv``: student, score, max_score, then one column per item id (points earned)
- ``students/<id>/grade.json``: the per-item summary of DESIGN.md
- ``students/<id>/results.json``: Gradescope's autograder results schema, one test per item
- ``students/<id>/report.html`` and ``summary.html``: the feedback pages

Every file is written to a temporary name and renamed, so a reader never sees half a file.
"""
from __future__ import annotations

import contextlib
import csv
import io
import os
from pathlib import Path
from typing import Iterable

from grader.core.errors import output_error
from grader.core.jsonsafe import dumps
from grader.messages import render
from grader.model import ItemResult, SubmissionResult, by_student
from grader.reports import render_summary, student_view
from grader.reports.env import render as render_template
from grader.reports.i18n import Translator
from grader.reports.memo import remembered, view_key
from grader.reports.student import late_lines, report_context, report_items
from grader.reports.text import forward_status_of, text_of_view
from grader.reports.views import item_view


def atomic_write(path: Path, text: str, *, mkdir: bool = True, encoding: str = "utf-8") -> None:
    """Write ``text`` to a temporary file and rename it over ``path`` (readers never see half a file).
    A path that cannot be written (a file in the way, no permission, a full disk) raises
    ``OutputNotWritable``, a user error."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        if mkdir:
            path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "w", encoding=encoding, newline="\n") as f:
            f.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise output_error(path, exc) from exc


def grades_csv(results: Iterable[SubmissionResult], item_ids: list[str]) -> str:
    results = by_student(results)  # a sorted list, or a gradebook's stream (read twice: late, then rows)
    # a batch with late work (an LMS intake) gets two more columns at the end: the percent taken off
    # and the score after it; other batches keep the columns they always had
    late = any(r.late for r in results)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["student", "score", "max_score", *item_ids, *(["late_penalty_percent", "final_score"] if late else [])])
    for r in results:
        points = {i.item: i.score for i in r.items}
        extra = [_num(round(100 * r.late_penalty, 6)), _num(r.final_score)] if late else []
        w.writerow([r.student, _num(r.score), _num(r.max_score), *(_num(points.get(i, 0.0)) for i in item_ids),
                    *extra])
    return buf.getvalue()


def _num(x: float) -> str:
    # 7.0 -> "7", 6.666667 -> "6.666667": what a spreadsheet or an LMS import expects.
    return f"{x:.6f}".rstrip("0").rstrip(".") if x != int(x) else str(int(x))


def grade_json(result: SubmissionResult, spec=None, *, show_solutions: bool = False,
               view: SubmissionResult | None = None) -> dict:
    """DESIGN.md's grade.json: the student's score and one entry per item, as the student may see it.

    ``view`` is ``student_view(result, spec, show_solutions=...)`` when the caller already has it.
    """
    if view is None:
        view = student_view(result, spec, show_solutions=show_solutions)
    result = view
    items = {}
    for it in result.items:
        entry = {
            "score": it.score,
            "max_score": it.max_score,
            "status": it.effective_status,
            "message": render(it.message, result.lang),  # as the student reads it
            "diagnoses": list(it.diagnoses),
            "kind": it.kind,
        }
        if it.diagnosis_candidates:
            entry["diagnosis_candidates"] = [list(g) for g in it.diagnosis_candidates]
        if it.kind == "code":
            entry["cases_passed"] = sum(c.passed for c in it.cases)
            entry["cases"] = len(it.cases)
            if it.consistency:
                entry["consistency"] = it.consistency.get("verdict")
            if it.cache_verdict:  # cache-style items: "cache_corrupted", "right_on_reference_cache"
                entry["cache_verdict"] = it.cache_verdict
        if it.kind == "symbolic" and it.symbolic:
            entry["verdict"] = it.symbolic.get("verdict")
        if it.manual and it.manual.get("comment"):
            entry["comment"] = it.manual["comment"]
        items[it.item] = entry
    late = {}
    if result.late:
        late = {"late": {k: v for k, v in result.late.items() if k != "deadline"},
                "late_penalty": result.late_penalty, "final_score": result.final_score}
    return {
        **late,
        "student": result.student,
        "status": result.status,
        "score": result.score,
        "max_score": result.max_score,
        "assignment": result.assignment,
        "version": result.version,
        "isolation": result.isolation,
        "flags": list(result.flags),
        "notes": [render(n, result.lang) for n in result.notes],  # as the student reads them
        "items": items,
    }


def gradescope_results(result: SubmissionResult, spec, *, lang: str, show_solutions: bool = False,
                       view: SubmissionResult | None = None, report_items: list | None = None) -> dict:
    """Gradescope's results.json: top-level score and one test per item.

    ``view`` is ``student_view(result, spec, show_solutions=...)`` and ``report_items`` the report's
    items (``reports.student.report_items`` of it), when the caller already has them: an item's
    text then reuses the view the HTML report shows.
    """
    full = result
    if view is None:
        view = student_view(result, spec, show_solutions=show_solutions)
    result = view
    t = Translator(lang)
    shown = {id(s.item): s for s in report_items or ()}

    tests = []
    for it in result.items:
        # A view item is already redacted (redacting again changes nothing), so its text comes
        # from the same item view as the report's, unless the forward status it is read against
        # differs (it only matters to a backward item's consistency sentence).
        forward = forward_status_of(it, spec, full)
        s = shown.get(id(it))
        if s is not None and (s.forward_status == forward or not it.consistency):
            v, key = s.view, s.key
        else:
            v = item_view(it, spec, t.lang, forward_status=forward)
            key = view_key(v)
        tests.append(
            {
                "name": _item_title(it, spec, lang),
                "number": _exercise(it, spec),
                "score": it.score,
                "max_score": it.max_score,
                "status": "passed" if it.score >= it.max_score and it.max_score > 0 else "failed",
                "output": remembered(text_of_view, t.lang, key, lambda v=v: text_of_view(v, t)),
                "visibility": "visible",
            }
        )
    output = render(result.message, t.lang)
    score = result.score
    if full.late:  # the view may not carry the intake's lateness: read it from the full result

        score = full.final_score
        output = "\n".join([*late_lines(full, t), output]).strip()
    return {
        "score": score,
        "output": output,
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
    }


def _item_title(it: ItemResult, spec, lang: str) -> str:
    try:
        title = spec.item(it.item).title.get(lang) or ""
    except KeyError:
        title = ""
    return f"{it.item}: {title}" if title else it.item


def _exercise(it: ItemResult, spec) -> str:
    try:
        return spec.item(it.item).exercise or ""
    except KeyError:
        return ""


def student_dir(out: Path, student: str) -> Path:
    return out / "students" / student


def write_student_files(out: Path, result: SubmissionResult, spec, *, lang: str, show_solutions: bool = False) -> None:
    """grade.json, results.json and report.html of one student, all from one redacted view."""
    view = student_view(result, spec, show_solutions=show_solutions)
    grade = dumps(grade_json(result, spec, view=view), indent=2, sort_keys=True) + "\n"
    d = student_dir(out, result.student)
    d.mkdir(parents=True, exist_ok=True)  # once for the three files
    atomic_write(d / "grade.json", grade, mkdir=False)
    items = report_items(view, spec, Translator(lang))
    results = gradescope_results(result, spec, lang=lang, show_solutions=show_solutions, view=view,
                                 report_items=items)
    atomic_write(d / "results.json", dumps(results, indent=2) + "\n", mkdir=False)
    context = report_context(result, spec, lang=lang, show_solutions=show_solutions, view=view, items=items)
    atomic_write(d / "report.html", render_template("student.html.j2", **context), mkdir=False)


def write_class_files(out: Path, results: Iterable[SubmissionResult], spec, *, lang: str) -> None:
    """grades.csv and summary.html; ``results`` is a list or a ``Gradebook.stream`` (read twice)."""
    item_ids = [it.id for it in spec.items]
    atomic_write(out / "grades.csv", grades_csv(results, item_ids))
    atomic_write(out / "summary.html", render_summary(results, spec, lang=lang))


def write_outputs(out: Path, results: Iterable[SubmissionResult], spec, *, lang: str, show_solutions: bool = False,
                  class_results: Iterable[SubmissionResult] | None = None) -> None:
    """Re-write every export from results (after a manual import, or ``rnngrade report``).

    ``results`` and ``class_results`` (what the class files read; default ``results``) are lists or
    ``Gradebook.stream``s: ``rnngrade report`` passes the full and the light stream of the gradebook,
    so a class of any size is written one student at a time."""
    out = Path(out)
    for r in results:
        write_student_files(out, r, spec, lang=lang, show_solutions=show_solutions)
    write_class_files(out, results if class_results is None else class_results, spec, lang=lang)
