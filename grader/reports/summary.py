"""The class summary (OUT/summary.html): distribution, pass rates, frequent mistakes, problems.

For course staff, so nothing is redacted; everything is still escaped (student ids and messages
come from submissions). Output is deterministic: students sorted by id, no timestamps.
"""
from __future__ import annotations

import statistics
from collections import defaultdict
from typing import Callable, Iterable, Optional
from urllib.parse import quote

from grader.messages import render as message_text
from grader.model import SubmissionResult, by_student

from . import fmt
from .env import render
from .i18n import Translator
from .mistakes import describe
from .svg import histogram_bins, histogram_svg
from .views import item_title, spec_title


def default_report_href(student: str) -> str:
    return f"students/{quote(student, safe='')}/report.html"


def _item_diagnoses(item) -> set[str]:
    ids = set(item.diagnoses)
    for c in item.cases:
        ids.update(c.diagnoses)
    return ids


def _problems(r: SubmissionResult, href: str, item_titles: dict, lang: str) -> tuple[list, list]:
    """(timeouts, errors) of one submission: one row per item, with the first message found.

    A submission that did not load is listed once under load errors, not once per item; an item
    not started yet (its stub still raises) is not an error to look at, only a missing answer.
    """
    timeouts, errors = [], []
    if r.status == "load_error":
        return timeouts, errors
    for it in r.items:
        if it.effective_status == "unanswered":
            continue
        row = {"student": r.student, "href": href, "item": it.item, "title": item_titles.get(it.item, it.item)}
        timed = [c for c in it.cases if c.status == "timeout"]
        sym_timeout = bool(it.symbolic and it.symbolic.get("verdict") == "timeout")
        if it.status == "timeout" or timed or sym_timeout:
            said = timed[0].message if timed else (it.message or (it.symbolic or {}).get("message", ""))
            timeouts.append({**row, "message": message_text(said, lang)})
        failed = [c for c in it.cases if c.status == "error"]
        if it.status == "error" or failed:
            first = it.message if it.load_failure or not failed else failed[0].message
            errors.append({**row, "message": message_text(first, lang)})
    return timeouts, errors


def summary_context(results: Iterable[SubmissionResult], spec, *, lang: str,
                    report_href: Optional[Callable[[str], str]] = None) -> dict:
    t = Translator(lang)
    href_of = report_href or default_report_href
    results = by_student(results)  # a list, or a gradebook's stream read once, one result at a time
    spec_items = list(getattr(spec, "items", ()))
    spec_max = sum(float(i.points) for i in spec_items)
    titles = {i.id: item_title(spec, i.id, t.lang)[0] for i in spec_items}

    n_students = n = 0  # students, and those who submitted something
    students, percents = [], []
    per_item = {i.id: {"scores": [], "passed": 0, "timeout": 0, "error": 0, "pending": 0} for i in spec_items}
    diag_students: dict[str, set] = defaultdict(set)
    timeouts, errors, load_errors, missing = [], [], [], []
    for r in results:
        n_students += 1
        href = href_of(r.student)
        max_score = r.max_score if r.items else spec_max
        pct = 100 * r.score / max_score if max_score else 0.0
        students.append({"student": r.student, "href": href, "score": fmt.points(r.score),
                         "max": fmt.points(max_score), "pct": fmt.percent(pct), "status": r.status,
                         "status_label": t(f"status.{r.status}") if t.has(f"status.{r.status}") else r.status,
                         "flags": ", ".join(t(f"summary.flag_{f}") if t.has(f"summary.flag_{f}") else f
                                            for f in r.flags),
                         # what a TA looks at next: answers never started, answers to grade by hand
                         "unanswered": sum(i.effective_status == "unanswered" for i in r.items)
                         if r.status == "graded" else "",
                         "pending": sum(i.effective_status == "pending_manual" for i in r.items)
                         if r.status == "graded" else ""})
        if r.status == "missing":
            missing.append({"student": r.student, "href": href})
            continue
        n += 1
        percents.append(pct)
        if r.status == "load_error":
            load_errors.append({"student": r.student, "href": href, "message": message_text(r.message, t.lang),
                                "errors": [{"where": str(e.get("where", "")), "message": message_text(e.get("message", ""), t.lang)}
                                           for e in r.load_errors]})
        by_id = {i.item: i for i in r.items}
        for item_id, acc in per_item.items():
            it = by_id.get(item_id)
            acc["scores"].append(it.score if it else 0.0)
            if it is None:
                continue
            status = it.effective_status
            acc["passed"] += status == "passed"
            acc["timeout"] += status == "timeout"
            acc["error"] += status == "error"
            acc["pending"] += status == "pending_manual"
        for it in r.items:
            for d in _item_diagnoses(it):
                diag_students[d].add(r.student)
        tos, errs = _problems(r, href, titles, t.lang)
        timeouts += tos
        errors += errs

    items = []
    for it in spec_items:
        acc = per_item[it.id]
        rate = 100 * acc["passed"] / n if n else 0.0
        items.append({"id": it.id, "title": titles[it.id], "exercise": it.exercise,
                      "max": fmt.points(it.points),
                      "mean": fmt.points(statistics.fmean(acc["scores"])) if acc["scores"] else "0",
                      "passed": acc["passed"], "rate": fmt.percent(rate), "rate_width": f"{rate:.1f}",
                      "timeout": acc["timeout"], "error": acc["error"], "pending": acc["pending"]})
    diagnoses = []
    for d, who in sorted(diag_students.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        desc = describe(d, t.lang)
        diagnoses.append({"id": d, "title": desc["title"], "count": len(who),
                          "students": [{"student": s, "href": href_of(s)} for s in sorted(who)]})
    counts = histogram_bins(percents)
    return {
        "t": t,
        "lang": t.lang,
        "title": spec_title(spec, t.lang),
        "version": getattr(spec, "version", ""),
        "n_students": n_students,
        "n_submitted": n,
        "n_missing": len(missing),
        "n_load_error": len(load_errors),
        "mean": fmt.percent(statistics.fmean(percents)) if percents else "0",
        "median": fmt.percent(statistics.median(percents)) if percents else "0",
        "max_score": fmt.points(spec_max),
        "histogram": histogram_svg(counts, title=t("summary.histogram_title"),
                                   x_label=t("summary.histogram_x"), y_label=t("summary.histogram_y")),
        "items": items,
        "diagnoses": diagnoses,
        "timeouts": timeouts,
        "errors": errors,
        "load_errors": load_errors,
        "missing": missing,
        "students": students,
    }


def render_summary(results: Iterable[SubmissionResult], spec, *, lang: str,
                   report_href: Optional[Callable[[str], str]] = None) -> str:
    """The class summary as one self-contained HTML page."""
    return render("summary.html.j2", **summary_context(results, spec, lang=lang, report_href=report_href))
