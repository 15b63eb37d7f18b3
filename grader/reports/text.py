"""Plain-text feedback of one item, for the ``output`` field of Gradescope's results.json.

It says what the HTML report says about the item (same view model, same catalogue), after the same
redaction, so a hidden value cannot reach Gradescope either.
"""
from __future__ import annotations

import unicodedata
from typing import Optional

from grader.model import ItemResult, SubmissionResult

from .i18n import Translator
from .redact import redact_item
from .views import item_view


def _indent(text: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line for line in text.splitlines())


def _width(text: str) -> int:
    """Columns ``text`` takes in a monospace font (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def forward_status_of(item: ItemResult, spec, result: Optional[SubmissionResult]) -> Optional[str]:
    """The effective status, in ``result``, of the forward a backward item is checked against."""
    if result is None or not item.consistency:
        return None
    try:
        forward = (spec.item(item.item).consistency or {}).get("forward")
        return result.item(forward).effective_status
    except (KeyError, AttributeError):
        return None


def item_feedback_text(item: ItemResult, spec, *, lang: str, show_solutions: bool = False,
                       result: Optional[SubmissionResult] = None) -> str:
    """The item's feedback as plain text (``\\n`` line endings, no markup).

    ``result`` (the item's submission), when given, lets a backward item's consistency verdict
    say whether the forward it was checked against is correct.
    """
    t = Translator(lang)
    v = item_view(redact_item(item, show_solutions=show_solutions), spec, t.lang,
                  forward_status=forward_status_of(item, spec, result))
    return text_of_view(v, t)


def text_of_view(v: dict, t: Translator) -> str:
    """The plain text of one item's view (``views.item_view`` of a redacted item) in ``t``'s language."""
    sep = t("label.sep")
    lines = [t("text.heading", title=v["title"], id=v["id"], status=v["status_label"], score=v["score"],
               max=v["max_score"])]
    if v["message"]:
        lines.append(v["message"])
    if v["manual"]:
        m = v["manual"]
        head = t("manual.override" if m["override"] else "manual.heading")
        if m["points"]:
            head += " " + t("manual.points", points=m["points"], max=v["max_score"])
        lines.append(head)
        if m["comment"]:
            lines.append(_indent(m["comment"]))
    if v["cases_summary"]:
        lines.append(v["cases_summary"])
    if v["timeout_hint"]:
        lines.append(v["timeout_hint"])
    if v["consistency"]:
        c = v["consistency"]
        lines.append(f"{t('consistency.label')}{sep}{c['text']}" + (t("sentence.sep") + c["credit"] if c["credit"] else ""))
    for d in v["diagnoses"]:
        lines.append(_diagnosis(d, t))
    for c in v["failing"]:
        lines.append(f"- {c['visibility']} · {c['label']}{sep}{c['status_label']}")
        if c["shapes"]:
            lines.append(f"  {t('case.shapes')}{sep}{c['shapes']}")
        if c["message"]:
            lines.append(_indent(c["message"]))
        for o in c["outputs"]:
            lines.append(f"  {o['name']} — {o['stage']}" + (f"{sep}{o['detail']}" if o["detail"] else ""))
            if o["expected"] is not None:
                lines.append(f"  {t('case.expected')}{sep.rstrip()}\n" + _indent(o["expected"]))
            if o["got"] is not None:
                lines.append(f"  {t('case.got')}{sep.rstrip()}\n" + _indent(o["got"]))
        if c["same_in"]:
            lines.append(f"  {t('case.same_in')}{sep}{t('list.sep').join(c['same_in'])}")
        if c["inputs_modified"]:
            lines.append("  " + t("case.inputs_modified", names=c["inputs_modified"]))
        for d in c["diagnoses"]:
            lines.append(_diagnosis(d, t))
    s = v["symbolic"]
    if s:
        if s["show_verdict"]:
            lines.append(s["verdict_label"])
        if s["answer"]:
            lines.append(f"{t('symbolic.your_answer')}{sep}{s['answer']}")
            if s["caret"]:
                lines.append(" " * _width(t("symbolic.your_answer") + sep) + s["caret"])
        if s["message"]:
            lines.append(s["message"])
        if s["counterexample"]:
            point = ", ".join(f"{p['symbol']} = {p['value']}" for p in s["counterexample"])
            lines.append(f"{t('symbolic.differs_at')}{sep}{point}")
            if s["student_value"] is not None:
                lines.append(t("symbolic.student_value", value=s["student_value"]))
            if s["reference_value"] is not None:
                lines.append(t("symbolic.reference_value", value=s["reference_value"]))
        if s["reference_text"]:
            lines.append(f"{t('symbolic.reference')}{sep}{s['reference_text']}")
    f = v["free"]
    if f and f["pending"]:
        lines.append(t("free.pending"))
    return "\n".join(lines) + "\n"


def _diagnosis(d: dict, t: Translator) -> str:
    out = f"{t('diagnosis.label')}{t('label.sep')}{d['title']}"
    if d["explanation"]:
        out += f"\n  {d['explanation']}"
    if d["hint"]:
        out += f"\n  {t('diagnosis.hint')} {d['hint']}"
    return out
