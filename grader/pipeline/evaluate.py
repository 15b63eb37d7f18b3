"""Turn what came back from the sandbox into item results (in the grader's process).

The child only ever saw inputs; here its decoded return values meet the expected values: staged
checks per case, the misconception matcher on failing cases, and the consistency verdict of backward
items. Messages about hidden cases never quote expected numbers.
"""
from __future__ import annotations

from grader.pipeline.cachecheck import apply_cache_verdicts, is_extract, visible_message
from grader.checking.checkcache import CheckCache
from grader.checking.compare import check_returned
from grader.checking.consistency import evaluate_consistency
from grader.loading.code_notes import shorten
from grader.loading.failed_defs import explains
from grader.core.places import place_of
from grader.messages import coded, label_message
from grader.model import CaseResult, ItemResult, OutputCheck
from grader.pipeline.plan import ItemPlan, call_id
from msgcat import message

_STUB_MARK = "NotImplementedError"
_CHECKS = CheckCache()  # identical returned values on the same case: one staged check
_DIAGNOSES = CheckCache()  # ... and one run of the mistake matcher (students share their bugs too)
_SHAPES = CheckCache()  # the input shapes a case reports, per case
_OUTPUT_FIELDS = tuple(OutputCheck.__dataclass_fields__)


def _shapes(case) -> dict:
    out = {}
    for name, value in zip(case.arg_names, case.args):
        if hasattr(value, "shape"):
            out[name] = list(value.shape)
        elif isinstance(value, dict):
            out[name] = {k: list(v.shape) for k, v in value.items() if hasattr(v, "shape")}
        else:
            out[name] = type(value).__name__
    return out


def _case_shapes(case) -> dict:
    """``_shapes(case)``, worked out once per case; each result gets its own dict (the shape lists
    inside are shared, as ``model._shallow`` shares leaves: nobody modifies them)."""
    shapes = _SHAPES.get(case, b"")
    if shapes is None:
        shapes = _shapes(case)
        _SHAPES.put(case, b"", shapes)
    return dict(shapes)


def evaluate_case(plan: ItemPlan, case, outcome) -> CaseResult:
    item = plan.item
    base = dict(case_id=case.case_id, visibility=case.visibility, label=case.label,
                input_shapes=_case_shapes(case))
    if outcome is None:
        return CaseResult(passed=False, status="error", message=message("not_run", item=item.id), **base)
    extra = dict(stdout=getattr(outcome, "stdout", "") or "", seconds=getattr(outcome, "seconds", None),
                 inputs_modified=list(getattr(outcome, "inputs_modified", []) or []))
    if outcome.status == "timeout":
        return CaseResult(passed=False, status="timeout", message=coded(outcome),
                          **base, **extra)
    if outcome.status != "ok":
        return CaseResult(passed=False, status="error", message=coded(outcome),
                          **base, **extra)
    rows, passed, said = _verdict(plan, case, outcome)
    if extra["inputs_modified"]:
        note = message("modified_inputs", item=item.id, names=", ".join(extra["inputs_modified"]))
        said = message("case.with_note", message=said, note=note) if said else note
    return CaseResult(passed=passed, status="passed" if passed else "failed", message=said,
                      outputs=[_output_check(row) for row in rows], **base, **extra)


def _output_check(fields: dict) -> OutputCheck:
    """``OutputCheck(**fields)`` without running ``__init__`` (a tenth of the checking time): the
    same attributes in the same order."""
    check = object.__new__(OutputCheck)
    check.__dict__.update(fields)
    return check


def _verdict(plan: ItemPlan, case, outcome) -> tuple:
    """``(output rows, passed, message)`` of a returned value on a case; the same for every student
    who returned the same value, so it is remembered by the value's digest. A row holds an
    OutputCheck's fields, in order (each result gets its own OutputCheck made from it)."""
    digest = outcome.digest
    verdict = _CHECKS.get(case, digest)
    if verdict is None:
        checks = check_returned(outcome.value, case.expected, plan.item.output_spec, case.rtol, case.atol)
        rows = tuple({k: c.get(k) for k in _OUTPUT_FIELDS} for c in checks)
        failing = [c for c in checks if not c["passed"]]
        said = visible_message(failing[0], case.visibility) if failing else ""
        verdict = (rows, not failing, said)
        _CHECKS.put(case, digest, verdict)
    return verdict


def _call_state(outcome) -> str:
    """"not_defined", "stub" (the template's NotImplementedError) or "other"."""
    if outcome is not None and outcome.status == "not_defined":
        return "not_defined"
    if outcome is not None and outcome.status == "exception" and outcome.message.startswith(_STUB_MARK):
        return "stub"
    return "other"


def load_failure_of(plan: ItemPlan, outcomes: dict, failed: dict):
    """The FailedDefinition that explains why this item's function was missing (or still the stub)
    when it was called, or None. ``failed`` is ``failed_definitions(units, unit outcomes)``."""
    failure = failed.get(plan.item.id)
    states = [_call_state(outcomes.get(call_id(plan.item.id, c.case_id))) for c in plan.cases]
    return failure if explains(failure, states) else None


def _load_failure_message(failure, item_id: str) -> dict:
    error = failure.error_msg or shorten(failure.error, 300)
    return message(f"not_loaded_{failure.kind}", item=item_id, where=place_of(failure.where), error=error)


def _not_attempted(outcome, placeholders: bool = False) -> bool:
    """The function is missing, or is still the notebook's stub: it raises the stub's
    NotImplementedError or, when its body still assigns ``None`` placeholders (``placeholders``,
    read statically), it returns only ``None``s or fails on one of them (``NoneType``)."""
    if outcome is None:
        return False
    if outcome.status == "not_defined" or (outcome.status == "exception" and outcome.message.startswith(_STUB_MARK)):
        return True
    if not placeholders:
        return False
    if outcome.status == "ok":
        return is_placeholder(outcome.value)
    return outcome.status == "exception" and "NoneType" in outcome.message


def is_placeholder(value) -> bool:
    """``None``, or a tuple/list/dict whose every output is ``None`` (a cache's extract aside)."""
    if value is None:
        return True
    parts = list(value.values()) if isinstance(value, dict) and not is_extract(value) else (
        list(value) if isinstance(value, (tuple, list)) else None)
    if not parts:
        return False
    rest = [v for v in parts if not is_extract(v)]
    return bool(rest) and all(v is None for v in rest)


def _item_status(cases: list, not_attempted: bool) -> str:
    if cases and all(c.passed for c in cases):
        return "passed"
    if any(c.passed or c.earned > 0 for c in cases):
        return "partial"
    if cases and not_attempted:
        return "unanswered"
    if cases and all(c.status == "timeout" for c in cases):
        return "timeout"
    if any(c.status in ("error", "timeout") for c in cases):
        return "error"
    return "failed"


def _item_message(item_id: str, cases: list, status: str, placeholder: bool = False) -> dict:
    head = message("cases_passed", n=sum(c.passed for c in cases), total=len(cases))
    if status == "passed":
        return message("item.all_passed", head=head)
    if status == "unanswered" and placeholder:
        return message("item.placeholder", head=head, text=message("not_implemented_placeholder", item=item_id))
    if status == "unanswered":
        first = cases[0].message if cases else ""
        text = message("not_implemented", item=item_id)
        return message("item.unanswered_because", text=text, first=first) if first else message("item.unanswered", text=text)
    failing = [c for c in cases if not c.passed]
    # Prefer a public case: its message may show numbers; a hidden one only says where it failed.
    first = next((c for c in failing if c.visibility == "public"), failing[0])
    where = message("case.at", case=first.case_id, label=label_message(first.label)) if first.label else first.case_id
    return message("item.failed_at", head=head, where=where, first=first.message)


def evaluate_code_item(plan: ItemPlan, outcomes: dict, *, diagnose=None,
                       source_diagnoses=None, consistency: bool = True, placeholders: bool = False,
                       load_failure=None) -> ItemResult:
    """Check every case of one code item; ``source_diagnoses()`` (reading the code costs ~ms) runs
    only for an item that did not pass.

    ``load_failure`` (from ``load_failure_of``): the function is missing because the code meant to
    define it failed to load; the item is then an error of the submission that says where and why.
    """
    item = plan.item
    returned = [outcomes.get(call_id(item.id, c.case_id)) for c in plan.cases]
    cases = [evaluate_case(plan, c, out) for c, out in zip(plan.cases, returned)]
    if load_failure is not None:
        return ItemResult(item=item.id, kind="code", max_score=float(item.points), status="error",
                          message=_load_failure_message(load_failure, item.id), cases=cases,
                          consistency_credit=float((item.consistency or {}).get("credit", 0.0)),
                          load_failure=load_failure.to_dict())
    found = None
    if diagnose is not None:
        failing = [(case, res, out) for case, res, out in zip(plan.cases, cases, returned)
                   if res.status == "failed" and out is not None and out.status == "ok"]
        found, per_case = diagnose.returned(item.id, [(case, out.value, out.digest) for case, _, out in failing],
                                            _DIAGNOSES, item.output_spec)
        for (_, res, _), matched in zip(failing, per_case):
            res.diagnoses = list(matched)
    cache_verdict = None
    if plan.cache_outputs or plan.credit:
        cache_verdict = apply_cache_verdicts(plan, cases, outcomes)
    not_attempted = all(_not_attempted(out, placeholders) for out in returned)
    placeholder = not_attempted and any(out is not None and out.status in ("ok", "exception")
                                        and not out.message.startswith(_STUB_MARK) for out in returned)
    status = _item_status(cases, not_attempted)
    if placeholder and status != "passed":
        status = "unanswered"
        for c in cases:
            c.passed, c.credit = False, None
    diagnoses: list = []
    if status not in ("passed", "unanswered") and found is not None:
        diagnoses = list(found.named)
        for d in (source_diagnoses() if source_diagnoses else []):
            if d not in diagnoses:
                diagnoses.append(d)
        if any("state_aliasing" in c.diagnoses for c in cases if c.cache) and "state_aliasing" not in diagnoses:
            diagnoses.append("state_aliasing")  # seen in the cache (grader/pipeline/cachecheck.py)
    candidates = [[m for m in diagnoses if m in group] for group in (found.candidates if found and diagnoses else ())]
    result = ItemResult(item=item.id, kind="code", max_score=float(item.points), status=status,
                        message=_item_message(item.id, cases, status, placeholder), cases=cases,
                        diagnoses=diagnoses, diagnosis_candidates=[g for g in candidates if len(g) > 1],
                        consistency_credit=float((item.consistency or {}).get("credit", 0.0)),
                        cache_verdict=cache_verdict if status != "unanswered" else None)
    if consistency and plan.consistency is not None:
        result.consistency = _consistency(plan, outcomes)
    return result


def _reason(outcome, function: str):
    """Why a call gave no value: the sandbox's coded message, Python's exception text, or "not run"."""
    if outcome is None:
        return message("not_run", item=function)
    return outcome.msg or outcome.message


def _consistency(plan: ItemPlan, outcomes: dict) -> dict:
    item = plan.item
    back = outcomes.get(call_id(item.id, plan.consistency_case.case_id))
    backward_value = back.value if back is not None and back.status == "ok" else None
    errors = {}
    if back is None or back.status != "ok":
        errors["backward"] = _reason(back, item.id)
    forward_values = {}
    for suffix, fn, _args in plan.consistency.calls:
        o = outcomes.get(call_id(item.id, suffix))
        forward_values[suffix] = o.value if o is not None and o.status == "ok" else None
        if o is None or o.status != "ok":
            errors[suffix] = _reason(o, fn)
    return evaluate_consistency(plan.consistency, backward_value, forward_values, errors=errors)
