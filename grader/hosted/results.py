"""A graded submission as a host's ``results.json``: Gradescope's and PrairieLearn's.

Both start from the student's redacted view (``reports.student_view``, the one place that decides
what a student may see) and the report's own item text (``reports.text.text_of_view``). A code item
with hidden cases becomes two tests: its public cases, and its hidden cases. Each part's points are
the item's formula over its own cases, so the parts add up to the item:

    public part = points × (passed_pub + credit × failed_pub) / n,   n = all cases of the item
    hidden part = points × (passed_hid + credit × failed_hid) / n

Free answers are tests worth 0: the host's manual grading gives their points.
On Gradescope the hidden part is ``after_published`` (and, as Gradescope documents, a student then
sees no total until grades are published); PrairieLearn shows results at once, so there the hidden
part says only how many hidden cases passed.

Gradescope schema: ``score``, ``execution_time``, ``output``, ``visibility``, ``stdout_visibility``,
``tests[]`` of ``name``, ``number``, ``score``, ``max_score``, ``status``, ``output``, ``visibility``.
PrairieLearn schema: ``gradable``, ``score`` in [0, 1], ``message``, ``output``, ``tests[]`` of
``name``, ``points``, ``max_points``, ``message``, ``output`` (and ``format_errors`` when not gradable).
"""
from __future__ import annotations

import copy
from typing import Optional

from grader.hosted.texts import text
from grader.messages import localized
from grader.model import ItemResult, SubmissionResult
from grader.reports import student_view
from grader.reports.fmt import truncate_output
from grader.reports.i18n import Translator
from grader.reports.text import forward_status_of, text_of_view
from grader.reports.views import item_view

KEEP_STATUS = ("unanswered", "error", "timeout")


def _part(item: ItemResult, cases: list, share: float, explain: bool) -> ItemResult:
    """The item restricted to ``cases``, worth ``share`` of its points. The consistency verdict
    (and its credit) goes to each part with a failing case, never to a part whose cases all passed,
    so a public part never hints at a hidden failure; ``explain``: the part carries the item's
    diagnoses (said once, on the visible part when both fail)."""
    part = copy.copy(item)
    part.cases = list(cases)
    part.max_score = item.max_score * share
    part.message = ""
    part.diagnoses = list(item.diagnoses) if explain else []
    part.consistency = item.consistency if any(not c.passed for c in cases) else None
    if all(c.passed for c in cases):
        part.status = "passed"
    elif item.status in KEEP_STATUS:
        part.status = item.status
    else:
        part.status = "partial" if any(c.passed for c in cases) else "failed"
    return part


def split_item(item: ItemResult) -> list:
    """``[(visibility, item)]``: ``public``/``hidden`` parts of a code item with hidden cases, else
    the item whole (``all``)."""
    pub = [c for c in item.cases if c.visibility == "public"]
    hid = [c for c in item.cases if c.visibility != "public"]
    if item.kind != "code" or not hid or item.manual:
        return [("all", item)]
    n = len(item.cases)
    pub_failed = any(not c.passed for c in pub)
    hid_failed = any(not c.passed for c in hid)
    parts = []
    if pub:
        parts.append(("public", _part(item, pub, len(pub) / n, pub_failed)))
    parts.append(("hidden", _part(item, hid, len(hid) / n, hid_failed and not pub_failed)))
    return parts


def _title(spec, item_id: str, lang: str) -> str:
    try:
        title = spec.item(item_id).title.get(lang) or ""
    except KeyError:
        title = ""
    return f"{item_id}: {title}" if title else item_id


def _exercise(spec, item_id: str) -> str:
    try:
        return spec.item(item_id).exercise or ""
    except KeyError:
        return ""


def _item_text(part: ItemResult, spec, lang: str, full: SubmissionResult) -> str:
    t = Translator(lang)
    v = item_view(part, spec, t.lang, forward_status=forward_status_of(part, spec, full))
    return text_of_view(v, t)


TEST_OUTPUT_LIMIT = 16_000  # characters per test: PrairieLearn takes at most 1 MB of results.json


def _cap(body: str, lang: str, limit: int = TEST_OUTPUT_LIMIT) -> str:
    return truncate_output(body, Translator(lang)("output.truncated"), limit)


def _tests(result: SubmissionResult, spec, lang: str) -> list:
    """``[(visibility, name, exercise, part, text)]`` over the student's redacted view."""
    view = student_view(result, spec, show_solutions=False)
    out = []
    for item in view.items:
        title = _title(spec, item.item, lang)
        for visibility, part in split_item(item):
            name = title if visibility == "all" else text(f"{visibility}_test", lang, title=title)
            body = _cap(_item_text(part, spec, lang, view), lang)
            out.append((visibility, name, _exercise(spec, item.item), part, body))
    return out


def overview(result: SubmissionResult, facts: dict, lang: str, extra: list = ()) -> str:
    """The text about the whole submission: what was graded, notes, cell errors, the hidden-cases note."""
    lines = [text("header", lang, assignment=facts["assignment"], version=result.version or facts["version"],
                  file=result.path or "?")]
    lines += list(extra)
    if result.status != "graded" and result.message:
        lines.append(result.message)
    for note in result.notes:
        lines.append(f"- {note}")
    for e in result.load_errors:
        lines.append(text("load_error", lang, where=e.get("where"), error=e.get("message")))
    if any(c.visibility != "public" for it in result.items for c in it.cases):
        lines.append(text("hidden_later", lang))
    return _cap("\n".join(lines), lang, 4 * TEST_OUTPUT_LIMIT) + "\n"


def _round(x: float) -> float:
    return round(float(x), 6)


def _points(part: ItemResult) -> tuple:
    """(score, max) of a test. A free answer is worth 0 here: the host's own manual grading gives its
    points (a manual question on Gradescope, ``manualPoints`` on PrairieLearn), so the automatic
    total is what a correct submission can reach."""
    if part.kind == "free":
        return 0.0, 0.0
    return _round(part.score), _round(part.max_score)


def gradescope_results(result: SubmissionResult, spec, *, lang: str, facts: dict, seconds: float,
                       extra: list = ()) -> dict:
    result = localized(result, lang)  # the results keep messages as keys and fields
    tests = []
    for visibility, name, exercise, part, body in _tests(result, spec, lang):
        score, max_score = _points(part)
        entry = {"name": name, "score": score, "max_score": max_score,
                 "status": "passed" if max_score > 0 and score >= max_score else "failed",
                 "output": body, "visibility": "after_published" if visibility == "hidden" else "visible"}
        if part.kind == "free":
            del entry["status"]  # graded by hand on the host: neither passed nor failed here
        if exercise:
            entry["number"] = exercise
        tests.append(entry)
    return {
        "score": _round(sum(t["score"] for t in tests)),
        "execution_time": max(0, int(round(seconds))),
        "output": overview(result, facts, lang, extra),
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
        "extra_data": {"student": result.student, "status": result.status,
                       "isolation": (result.isolation or {}).get("summary", ""),
                       "hidden_paths": (result.isolation or {}).get("hidden_paths", "")},
    }


def gradescope_failure(message: str, seconds: float) -> dict:
    """What Gradescope shows when nothing could be graded (no file, several files, a grader fault)."""
    return {"score": 0.0, "execution_time": max(0, int(round(seconds))), "output": message + "\n",
            "visibility": "visible", "stdout_visibility": "hidden", "tests": []}


def prairielearn_results(result: SubmissionResult, spec, *, lang: str, facts: dict,
                         extra: list = ()) -> dict:
    result = localized(result, lang)  # the results keep messages as keys and fields
    if result.status == "load_error":
        return prairielearn_not_gradable(result.message or "the submission could not be read",
                                         overview(result, facts, lang, extra))
    tests = []
    for visibility, name, _exercise_id, part, body in _tests(result, spec, lang):
        if visibility == "hidden":
            passed = sum(c.passed for c in part.cases)
            body = text("hidden_count", lang, passed=passed, total=len(part.cases)) + "\n"
        points, max_points = _points(part)
        tests.append({"name": name, "points": points, "max_points": max_points,
                      "message": "", "output": body})
    total = sum(t["max_points"] for t in tests)
    score = sum(t["points"] for t in tests) / total if total > 0 else 0.0
    return {"gradable": True, "score": min(1.0, max(0.0, _round(score))),
            "message": overview(result, facts, lang, extra).splitlines()[0],
            "output": overview(result, facts, lang, extra), "tests": tests}


def prairielearn_not_gradable(message: str, output: Optional[str] = None) -> dict:
    """PrairieLearn's "invalid, not gradable": no points given or lost, no attempt used."""
    return {"gradable": False, "message": message, "format_errors": [message],
            "output": output or message + "\n", "tests": []}
