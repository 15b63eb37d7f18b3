"""The student's report: one self-contained HTML file (OUT/students/<student>/report.html)."""
from __future__ import annotations

import re

from markupsafe import Markup

from grader.messages import render as message_text
from grader.model import SubmissionResult

from . import fmt
from .env import environment, render
from .i18n import Translator
from .memo import ShownItem, remembered, view_key
from .redact import student_view
from .views import item_view, ordered_items, spec_title


def _forward_statuses(items, spec) -> dict[str, str]:
    """Backward item id → effective status of the forward it is checked against."""
    status = {i.item: i.effective_status for i in items}
    out = {}
    for i in items:
        try:
            fwd = (spec.item(i.item).consistency or {}).get("forward")
        except (KeyError, AttributeError):
            fwd = None
        if fwd in status:
            out[i.item] = status[fwd]
    return out


def where_text(where: str, t: Translator) -> str:
    """"cell 4, line 2" in the report's language, each part once ("line 264, line 264" happens
    when the loader's label already names the line)."""
    parts: list[str] = []
    for part in (p.strip() for p in str(where).split(",")):
        m = re.fullmatch(r"(cell|line) (\d+)", part)
        text = t(f"where.{m.group(1)}", n=m.group(2)) if m else part
        if text and (not parts or parts[-1] != text):
            parts.append(text)
    return t("list.comma").join(parts)


def isolation_text(summary: str, t: Translator) -> str:
    """The sandbox's one-word summary ("full", "partial: a, b") as a sentence."""
    if summary == "full":
        return t("isolation.full")
    if summary.startswith("partial:"):
        return t("isolation.partial", layers=summary.split(":", 1)[1].strip())
    return summary


def report_items(view: SubmissionResult, spec, t: Translator) -> list[ShownItem]:
    """Each item the report shows, in spec order (``view`` is already redacted; missing items
    appear as placeholders)."""
    items = ordered_items(view, spec, t)
    forward = _forward_statuses(items, spec)
    shown = []
    for i in items:
        v = item_view(i, spec, t.lang, forward_status=forward.get(i.item))
        shown.append(ShownItem(i, forward.get(i.item), v, view_key(v)))
    return shown


def item_html(shown: ShownItem, t: Translator, template) -> Markup:
    """The item's ``<article>`` (``_item.html.j2`` with ``it`` = its view)."""
    return Markup(remembered(template, t.lang, shown.key, lambda: template.render(it=shown.view, t=t)))


def report_context(result: SubmissionResult, spec, *, lang: str, show_solutions: bool = False,
                   view: SubmissionResult | None = None, items: list[ShownItem] | None = None) -> dict:
    """The data the student template lays out (already redacted).

    ``view`` (``student_view(result, spec, show_solutions=...)``) and ``items`` (``report_items`` of
    it), when the caller already has them, are used instead of being computed again.
    """
    t = Translator(lang)
    if view is None:
        view = student_view(result, spec, show_solutions=show_solutions)
    if items is None:
        items = report_items(view, spec, t)
    max_score = sum(s.item.max_score for s in items)
    score = sum(s.item.score for s in items)
    flags = [t(f"flag.{f}") if t.has(f"flag.{f}") else f for f in view.flags]
    iso = view.isolation or {}
    return {
        "t": t,
        "lang": t.lang,
        "title": spec_title(spec, t.lang),
        "student": view.student,
        "status": view.status,
        # a submission that did not load (or is missing) has no per-item feedback to show
        "graded": view.status not in ("load_error", "missing"),
        "message": message_text(view.message, t.lang),
        "score": fmt.points(score),
        "max_score": fmt.points(max_score),
        "percent": fmt.percent(100 * score / max_score) if max_score else "0",
        "version": view.version,
        "path": view.path or "",
        "show_solutions": show_solutions,
        "items": [s.view for s in items],
        "item_html": _item_renderer(items, t),
        "notes": [message_text(n, t.lang) for n in view.notes],
        "load_errors": [{"where": where_text(e.get("where", ""), t), "message": message_text(e.get("message", ""), t.lang)}
                        for e in view.load_errors],
        "flags": flags,
        "stdout": fmt.truncate_output(view.stdout, t("output.truncated")),
        "isolation_summary": isolation_text(str(iso.get("summary", "")), t),
        "isolation_layers": [{"name": k, "state": str(v), "on": str(v) == "on"}
                             for k, v in sorted((iso.get("layers") or {}).items())],
        "late": late_lines(result, t),
    }


def late_lines(result: SubmissionResult, t: Translator) -> list:
    """Sentences on a late submission's penalty (and an instructor's override of it); empty if on time."""
    late = result.late or {}
    if not late.get("late"):
        return []
    unit = t(f"late.unit.{late.get('unit', 'day')}")
    key = "late.marker" if late.get("basis") == "marker" else "late.after_deadline"
    lines = [t(key, units=late.get("units", 1), unit=unit, policy=late.get("policy", ""))]
    override = late.get("override")
    if override is not None and override.get("percent") is not None:
        pct = fmt.points(100 * result.late_penalty)
        lines.append(t("late.waived" if result.late_penalty == 0 else "late.override", pct=pct,
                       comment=override.get("comment") or ""))
    if result.late_penalty > 0:
        lines.append(t("late.final", pct=fmt.points(100 * result.late_penalty), score=fmt.points(result.score),
                       final=fmt.points(result.final_score), max=fmt.points(result.max_score)))
    return lines


def _item_renderer(items: list[ShownItem], t: Translator):
    """``item_html(view)`` for the template: each item's article, rendered (or remembered) once."""
    template = environment().get_template("_item.html.j2")
    by_view = {id(s.view): s for s in items}

    def render_item(v: dict) -> Markup:
        return item_html(by_view[id(v)], t, template)

    return render_item


def render_student_report(result: SubmissionResult, spec, *, lang: str, show_solutions: bool = False) -> str:
    """The student's feedback as one HTML page: no script, no network, MathML and data: images only."""
    return render("student.html.j2", **report_context(result, spec, lang=lang, show_solutions=show_solutions))
