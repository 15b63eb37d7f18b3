"""View models: plain dictionaries of display-ready strings built from (redacted) results.

Templates only lay these out; every decision about wording lives here and in the catalogues, so
the HTML report and the plain-text Gradescope feedback say the same things. Student text stays
plain ``str`` (Jinja escapes it); only MathML that passed ``safe_mathml`` is ``Markup``.
"""
from __future__ import annotations

from grader.messages import label_message, localize_item, render
from grader.model import CaseResult, ItemResult, SubmissionResult

from . import fmt
from .i18n import Translator
from .mathml import safe_mathml
from .media import image_data_uri
from .mistakes import describe


def item_title(spec, item_id: str, lang: str) -> tuple[str, str]:
    """``(title, exercise)`` of an item from the spec, falling back to its id."""
    try:
        it = spec.item(item_id)
    except (KeyError, AttributeError):
        return item_id, ""
    title = it.title.get(lang) or next(iter(it.title.values()), "") or item_id
    return title, it.exercise


def spec_title(spec, lang: str) -> str:
    title = getattr(spec, "title", None) or {}
    return title.get(lang) or next(iter(title.values()), "") or getattr(spec, "name", "")


def _status_label(t: Translator, status: str) -> str:
    return t(f"status.{status}") if t.has(f"status.{status}") else status


def diagnoses(ids, lang: str, candidates=()) -> list[dict]:
    """The descriptions of the mistakes ``ids``; those in a group of ``candidates`` (mistakes the
    numbers cannot tell apart) carry ``"candidate": True``."""
    alternatives = {m for group in candidates for m in group}
    seen, out = set(), []
    for d in ids:
        if d not in seen:
            seen.add(d)
            out.append(dict(describe(d, lang), candidate=d in alternatives))
    return out


def _strip_name(message: str, name: str) -> str:
    """The checker's message without its leading ``"<name>: "``: the report names the output."""
    for sep in (": ", "："):
        if message.startswith(name + sep):
            return message[len(name) + len(sep):]
    return message


def output_view(o, t: Translator) -> dict:
    """One failing output: its name, what is wrong, and the details that let a student find it."""
    summary = t("value.summary")
    message = _strip_name(o.message or "", o.name)
    max_abs = fmt.error(o.max_abs_err)
    # The checker's sentence about values already gives the errors and where (it names the
    # tolerance); a redacted hidden case has no sentence, so the report words one from the numbers.
    errors = ""
    if max_abs and "atol" not in message:
        errors = t("case.errors", abs=max_abs, rel=fmt.error(o.max_rel_err) or "—",
                   where=fmt.index(o.worst_index) or "—")
    if not message and not errors and not o.passed and o.stage == "values":
        message = t("value.differs")
    return {
        "name": o.name,
        "passed": o.passed,
        "stage": t(f"stage.{o.stage}") if t.has(f"stage.{o.stage}") else o.stage,
        "message": message,
        "errors": errors,
        "detail": t("list.sep").join(x for x in (message, errors) if x),
        "max_abs": max_abs,
        "max_rel": fmt.error(o.max_rel_err),
        "worst": fmt.index(o.worst_index),
        "expected": None if o.expected is None else fmt.preview(o.expected, summary),
        "got": None if o.got is None else fmt.preview(o.got, summary),
    }


def case_label(label: str, t: Translator) -> str:
    """A case's label in the report's language (labels such as "saturated gates" are words)."""
    return render(label_message(label), t.lang)


def case_view(c: CaseResult, t: Translator, lang: str, shown: set) -> dict:
    """One failing case; ``shown`` holds diagnosis ids already shown for the item."""
    outputs = [output_view(o, t) for o in c.outputs if not o.passed]
    return {
        "id": c.case_id,
        "label": case_label(c.label, t) if c.label else c.case_id,
        "hidden": c.visibility != "public",
        "visibility": t(f"visibility.{'public' if c.visibility == 'public' else 'hidden'}"),
        "passed": c.passed,
        "status": c.status,
        "status_label": _status_label(t, c.status),
        # The failing outputs say what went wrong in detail; the case's own message is kept for
        # what has no output to show (an exception, a timeout, a crash).
        "message": "" if outputs else c.message,
        "shapes": ", ".join(f"{k} {fmt.shape(v)}" for k, v in c.input_shapes.items()),
        "outputs": outputs,
        "diagnoses": [d for d in diagnoses(c.diagnoses, lang) if d["id"] not in shown],
        "stdout": fmt.truncate_output(c.stdout, t("output.truncated")),
        "inputs_modified": ", ".join(c.inputs_modified),
        "same_in": [],
    }


def group_repeats(cases: list[dict]) -> list[dict]:
    """Failing cases that say the same thing (one error or timeout message, no outputs) shown once:
    the first keeps its message and lists the others in ``same_in``."""
    out, first_of = [], {}
    for c in cases:
        key = (c["status"], c["message"]) if c["message"] and not c["outputs"] and not c["stdout"] else None
        if key is not None and key in first_of:
            first_of[key]["same_in"].append(f"{c['visibility']} · {c['label']}")
            continue
        if key is not None:
            first_of[key] = c
        out.append(c)
    return out


def cases_summary(item: ItemResult, t: Translator) -> str:
    """"2 of 5 cases passed (public 1 of 2, hidden 1 of 3)." in the report's language."""
    pub = [c for c in item.cases if c.visibility == "public"]
    hid = [c for c in item.cases if c.visibility != "public"]
    parts = []
    if pub:
        parts.append(t("cases.public", passed=sum(c.passed for c in pub), total=len(pub)))
    if hid:
        parts.append(t("cases.hidden", passed=sum(c.passed for c in hid), total=len(hid)))
    return t("cases.total", passed=sum(c.passed for c in item.cases), total=len(item.cases),
             parts=t("list.comma").join(parts))


def consistency_reason(cons: dict, lang: str) -> str:
    """Why a verdict is what it is, in ``lang``: its coded ``reason``, or (a result of an older grader)
    the English ``message`` / Chinese ``message_zh`` text it stored."""
    reason = cons.get("reason")
    if reason:
        # The report's sentence already says "not checked": only the why follows it.
        short = {"consistency.no_backward": "consistency.why_backward",
                 "consistency.no_forward": "consistency.why_forward"}.get(reason.get("key"))
        return render({"key": short, "fields": reason["fields"]} if short else reason, lang)
    if lang == "zh" and cons.get("message_zh"):
        return cons["message_zh"]
    return cons.get("message", "")


def consistency_view(item: ItemResult, spec, t: Translator, forward_status: str | None) -> dict | None:
    """The forward/backward consistency verdict, combined with correctness in one sentence."""
    cons = item.consistency
    if not cons:
        return None
    forward = ""
    try:
        forward = (spec.item(item.item).consistency or {}).get("forward", "")
    except (KeyError, AttributeError):
        pass
    forward = forward or item.item.replace("backward", "forward")
    verdict = cons.get("verdict", "not_checked")
    all_passed = bool(item.cases) and all(c.passed for c in item.cases)
    bad = sorted(k for k, v in (cons.get("tensors") or {}).items() if not v.get("ok", True))
    details = [
        {"name": k, "rel_err": fmt.error(v.get("rel_err"))}
        for k, v in sorted((cons.get("tensors") or {}).items()) if not v.get("ok", True)
    ]
    forward_ok = forward_status == "passed"
    if verdict == "consistent":
        if all_passed:
            key = "consistency.consistent_correct"
        elif forward_status is None:
            key = "consistency.consistent_unknown"
        elif forward_ok:
            key = "consistency.consistent_forward_ok"
        else:
            key = "consistency.consistent_forward_wrong"
    elif verdict == "inconsistent":
        key = "consistency.inconsistent_forward_ok" if forward_ok else "consistency.inconsistent"
    else:
        key = "consistency.not_checked"
    text = t(key, forward=forward, backward=item.item, tensors=", ".join(bad) or "—",
             reason=consistency_reason(cons, t.lang) or "—")
    credit = ""
    if verdict == "consistent" and not all_passed and item.consistency_credit > 0:
        credit = t("consistency.credit", pct=fmt.points(100 * item.consistency_credit))
    return {"verdict": verdict, "ok": verdict == "consistent", "text": text, "credit": credit,
            "details": details}


def symbolic_view(item: ItemResult, t: Translator) -> dict | None:
    sym = item.symbolic
    if sym is None:
        return None
    verdict = sym.get("verdict", "unanswered")
    answer = str(sym.get("answer") or "")
    caret = ""
    pos = sym.get("position")
    if isinstance(pos, int) and 0 <= pos <= len(answer):
        caret = " " * pos + "^"
    cex = sym.get("counterexample") or {}
    return {
        "verdict": verdict,
        "ok": verdict == "equivalent",
        "verdict_label": t(f"verdict.{verdict}") if t.has(f"verdict.{verdict}") else verdict,
        # "equivalent" and "unanswered" say what the item's status badge already says
        "show_verdict": verdict not in ("equivalent", "unanswered"),
        "answer": answer,
        "caret": caret,
        "message": sym.get("message", ""),
        "student_mathml": safe_mathml(sym.get("student_mathml")),
        "reference_mathml": safe_mathml(sym.get("reference_mathml")),
        "reference_text": str(sym.get("reference") or ""),
        "counterexample": [{"symbol": k, "value": fmt.number(v)} for k, v in cex.items()],
        "student_value": None if sym.get("student_value") is None else fmt.number(sym["student_value"]),
        "reference_value": None if sym.get("reference_value") is None else fmt.number(sym["reference_value"]),
    }


def free_view(item: ItemResult, t: Translator) -> dict | None:
    free = item.free
    if free is None:
        return None
    images, rejected = [], []
    for a in free.get("attachments") or []:
        uri, reason = image_data_uri(a)
        name = str(a.get("name", ""))
        if uri:
            images.append({"name": name, "src": uri})
        else:
            rejected.append(t(reason, name=name))
    graded = bool(item.manual and item.manual.get("points") is not None)
    return {"text": str(free.get("text") or ""), "images": images, "rejected": rejected,
            "rubric": free.get("rubric", ""), "graded": graded,
            "pending": not graded and item.status == "pending_manual"}


def _rubric_text(rubric, lang: str) -> str:
    if isinstance(rubric, dict):
        return rubric.get(lang) or next(iter(rubric.values()), "")
    return str(rubric or "")


def item_view(item: ItemResult, spec, lang: str, *, forward_status: str | None = None) -> dict:
    """Everything the report shows of one (already redacted) item."""
    # ``item`` is a redacted copy (reports.redact): its stored messages become text in ``lang`` here.
    localize_item(item, lang)
    t = Translator(lang)
    title, exercise = item_title(spec, item.item, lang)
    status = item.effective_status
    manual = None
    if item.manual and (item.manual.get("points") is not None or item.manual.get("comment")):
        manual = {"points": fmt.points(item.manual.get("points")),
                  "comment": str(item.manual.get("comment") or ""),
                  "override": item.kind != "free" and item.manual.get("points") is not None}
    shown = set(item.diagnoses)
    # An item not started yet fails every case with the same "not implemented" error, and one whose
    # cell failed to load with "not defined": its message says why once; listing the cases would
    # only repeat it.
    unanswered = status == "unanswered" or (status == "error" and bool(item.load_failure))
    failing = [] if unanswered else group_repeats(
        [case_view(c, t, lang, shown) for c in item.cases if not c.passed])
    passing = [{"label": case_label(c.label, t) if c.label else c.case_id, "hidden": c.visibility != "public",
                "visibility": t("visibility.public" if c.visibility == "public" else "visibility.hidden")}
               for c in item.cases if c.passed]
    message = item.message
    summary = cases_summary(item, t) if item.cases and not unanswered else ""
    if summary:
        # The grader's item message repeats the first failing case (by its internal id), which the
        # report shows in full below; the count of passed cases is what the headline needs.
        message = ""
    symbolic = symbolic_view(item, t)
    if symbolic is not None and symbolic["message"] == message:
        symbolic["message"] = ""  # the symbolic checker's sentence is often the item's message too
    free = free_view(item, t)
    if free is not None:
        free["rubric"] = _rubric_text(free["rubric"], lang)
        if free["pending"]:
            message = ""  # "graded by hand": the pending note below says it in full
    timed_out = status == "timeout" or any(c.status == "timeout" for c in item.cases)
    return {
        "id": item.item,
        "anchor": "item-" + "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in item.item),
        "kind": item.kind,
        "title": title,
        "exercise": exercise,
        # titles such as "Exercise 6-3: why ..." already name their exercise
        "exercise_prefix": exercise if exercise and exercise not in title else "",
        "status": status,
        "status_label": _status_label(t, status),
        "score": fmt.points(item.score),
        "max_score": fmt.points(item.max_score),
        "message": message,
        "manual": manual,
        "cases_summary": summary,
        "failing": failing,
        "passing": passing,
        "diagnoses": diagnoses(item.diagnoses, lang, item.diagnosis_candidates),
        "consistency": consistency_view(item, spec, t, forward_status),
        "timeout_hint": t("item.timeout_hint") if timed_out else "",
        "symbolic": symbolic,
        "free": free,
        "stdout": fmt.truncate_output(item.stdout, t("output.truncated")),
    }


def placeholder_item(item_spec, result: SubmissionResult, t: Translator) -> ItemResult:
    """An item the result lacks (a submission that failed to load or is missing)."""
    status = "error" if result.status == "load_error" else "unanswered"
    key = {"missing": "item.not_graded_missing", "load_error": "item.not_graded_load_error"}.get(
        result.status, "item.not_graded")
    return ItemResult(item=item_spec.id, kind=item_spec.kind, max_score=float(item_spec.points),
                      status=status, message=t(key))


def ordered_items(result: SubmissionResult, spec, t: Translator) -> list[ItemResult]:
    """The result's items in spec order (missing ones as placeholders), then any extra ones."""
    by_id = {i.item: i for i in result.items}
    out = []
    for it in getattr(spec, "items", ()):
        out.append(by_id.pop(it.id) if it.id in by_id else placeholder_item(it, result, t))
    out.extend(by_id.values())
    return out
