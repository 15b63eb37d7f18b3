"""Cache-style items in the grader's process: a forward's cache checked by its layout, and the two
verdicts of a backward (on the answer key's cache, on the student's own chain) with the spec's credit.

What arrives from the child is never a cache: it is the extract of one by its layout
(``grader/sandbox/cachewalk.py``: arrays per named entry and step, ``None`` placeholders, memory
shared with other steps or with the returned arrays). Here it meets the extract of the answer key's
cache on the same inputs, entry by entry, step by step; the first entry that differs is named.

Credit of one backward case (``credit = { reference_cache = w_r, own_cache = w_o }``)::

    own cache follows the layout (or the student's forward made none): w_r·[right on the key's cache] + w_o·[right on own chain]
    own cache does not follow the layout:                              [right on own chain]
"""
from __future__ import annotations

from typing import Any, Optional

import numpy as np

from grader.checking.compare import check_returned, tolerance_check
from grader.messages import coded
from grader.pipeline.plan import OWN, call_id
from grader.sandbox.cachewalk import extract
from grader.sandbox.jobs import valid_child_message
from msgcat import listing, message

EXTRACT_KEY = "cache_extract"


def visible_message(check: dict, visibility: str) -> dict:
    """A case message that never quotes a hidden expected value (the checker's own message for a
    public case: the student kit says the same)."""
    if visibility == "hidden" and check["stage"] == "values" and not check["passed"]:
        err = check.get("max_abs_err")
        err_txt = message("max_abs_err", err=float(err)) if isinstance(err, (int, float)) else ""
        return message("values_differ", name=check["name"], err=err_txt)
    return check["message"]


def is_extract(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {EXTRACT_KEY} and isinstance(value[EXTRACT_KEY], dict)


def _problem(leaf: dict, ref: dict, what: str, **extra) -> dict:
    steps = leaf.get("steps") or []
    return {"entry": ref["entry"], "step": steps[-1] if steps else None, "what": what,
            "shares": list(leaf.get("shares") or []), "type": leaf.get("type", ""), **extra}


def _leaf_problem(leaf: dict, ref: dict, rtol: float, atol: float) -> Optional[dict]:
    if ref["kind"] == "array":
        if leaf.get("kind") == "none":
            return _problem(leaf, ref, "none")
        got = leaf.get("value")
        if leaf.get("kind") != "array" or not isinstance(got, np.ndarray):
            return _problem(leaf, ref, "type")
        if got.shape != ref["value"].shape:
            return _problem(leaf, ref, "shape", shape=list(got.shape), expected=list(ref["value"].shape))
        if not tolerance_check(got, ref["value"], rtol, atol).ok:
            return _problem(leaf, ref, "overwritten" if leaf.get("shares") else "values")
        return None
    if ref["kind"] == "dict":
        got = leaf.get("value")
        if leaf.get("kind") == "none":
            return _problem(leaf, ref, "none")
        if not isinstance(got, dict) or set(got) != set(ref["value"]):
            return _problem(leaf, ref, "type")
        for k, v in ref["value"].items():
            g = got[k]
            if not isinstance(g, np.ndarray) or g.shape != v.shape or not tolerance_check(g, v, rtol, atol).ok:
                return _problem(leaf, ref, "values")
    return None


def check_cache(student: Any, reference_cache: Any, layout: dict, rtol: float, atol: float,
                name: str = "cache") -> dict:
    """``{"follows": bool, "why": str, "problem": None | {entry, step, what, shares, type}}`` of a
    student's cache extract against the answer key's cache (read by the same layout).

    ``what``: ``none`` (a ``None`` placeholder), ``type`` (not an array), ``shape``, ``values``, or
    ``overwritten`` (the values differ and the entry shares memory with another step's entry or a
    returned array: a view that a later write changed)."""
    ref = extract(reference_cache, layout)
    if not isinstance(student, dict) or not isinstance(student.get("follows"), bool):
        return {"follows": False, "why": message("cache.no_cache"), "problem": None}
    if not student["follows"]:
        why = student.get("why")  # made in the child: a message of its own keys, or nothing
        return {"follows": False, "why": why if valid_child_message(why) else "", "problem": None}
    leaves = student.get("leaves") or []
    for lf in leaves:  # a None where a whole cache (or a step's cache) belongs: a placeholder left in
        if lf.get("kind") == "none" and lf.get("entry") not in {r["entry"] for r in ref["leaves"]}:
            return {"follows": True, "why": "", "problem": _problem(lf, {"entry": lf.get("entry") or name}, "none")}
    places = [(lf.get("entry"), tuple(lf.get("steps") or ())) for lf in leaves]
    ref_places = [(lf["entry"], tuple(lf["steps"])) for lf in ref["leaves"]]
    if places != ref_places:
        n_got = len({p[1] for p in places if p[1]})
        n_ref = len({p[1] for p in ref_places if p[1]})
        return {"follows": False, "why": message("cache.list_count", got=n_got, expected=n_ref), "problem": None}
    for leaf, r in sorted(zip(leaves, ref["leaves"]), key=lambda pair: tuple(pair[1]["steps"])):
        problem = _leaf_problem(leaf, r, rtol, atol)
        if problem is not None:
            return {"follows": True, "why": "", "problem": problem}
    return {"follows": True, "why": "", "problem": None}


def problem_text(problem: dict) -> dict:
    """" at step 2: `c_prev` was overwritten after it was stored (it shares memory with output c)",
    as a message (rendered where it is shown)."""
    entry = problem["entry"]
    where = (message("cache_at_step", step=problem["step"]) if problem["step"] is not None
             else message("cache_at_entry"))
    what = problem["what"]
    if what == "overwritten":
        text = message("cache_overwritten", entry=entry, shares=listing(problem["shares"]))
    elif what == "none":
        text = message("cache_none", entry=entry)
    elif what == "type":
        text = message("cache_type", entry=entry, type=problem.get("type", "?"))
    elif what == "shape":
        text = message("cache_shape", entry=entry, shape=str(tuple(problem.get("shape", ()))),
                       expected=str(tuple(problem.get("expected", ()))))
    else:
        text = message("cache_values", entry=entry)
    return message("cache.problem", where=where, text=text)


# ------------------------------------------------------------------------------------------- forwards
def forward_cache_results(cache_outputs: list, case, value) -> list:
    """``[(output name, check_cache result)]`` for the cache outputs of a forward's returned value;
    ``cache_outputs`` is the plan's ``[{"index", "names", "layout"}]``."""
    found = []
    for c in cache_outputs:
        k = c["index"]
        if not isinstance(value, (tuple, list)) or k >= len(value):
            continue
        got = value[k][EXTRACT_KEY] if is_extract(value[k]) else None
        found.append((c["names"][k], check_cache(got, case.expected[k], c["layout"], case.rtol, case.atol,
                                                 name=c["names"][k])))
    return found


# ------------------------------------------------------------------------------------------ backwards
def own_chain(item, case, produced, outcome) -> dict:
    """The verdict of the backward on the student's own forward's cache (one produced argument):
    ``{"passed": bool, "follows": bool | None, "problem": ..., "message": str}``."""
    if outcome is None:
        return {"passed": False, "follows": None, "problem": None, "message": message("not_run", item=item.id)}
    if outcome.status == "producer_failed":
        return {"passed": False, "follows": None, "problem": None, "message": coded(outcome)}
    cache = None
    if outcome.status == "ok" and outcome.produced:
        cache = check_cache(outcome.produced[0], case.args[produced.position], produced.layout, case.rtol,
                            case.atol, name=produced.output_name)
    if outcome.status != "ok":
        return {"passed": False, "follows": None, "problem": None, "message": coded(outcome)}
    checks = check_returned(outcome.value, case.expected, item.output_spec, case.rtol, case.atol)
    failing = [c for c in checks if not c["passed"]]
    return {"passed": not failing, "follows": cache["follows"] if cache else None,
            "why": cache["why"] if cache else "", "problem": cache["problem"] if cache else None,
            "message": visible_message(failing[0], case.visibility) if failing else ""}


def case_credit(credit: dict, ref_passed: bool, own: dict) -> float:
    """The fraction of one case earned (see the module's docstring)."""
    if own.get("follows") is False:
        return 1.0 if own["passed"] else 0.0
    return float(credit["reference_cache"]) * ref_passed + float(credit["own_cache"]) * own["passed"]


def chain_message(item, produced, ref_passed: bool, own: dict) -> dict | str:
    """Both verdicts in words; "" when both are right."""
    by = produced.by
    if own.get("follows") is False:
        key = "chain_not_layout_right" if own["passed"] else "chain_not_layout_wrong"
        return message(key, item=item.id, by=by, why=own.get("why", ""), detail=own.get("message", ""))
    if ref_passed and own["passed"]:
        return ""
    if ref_passed:
        if own.get("problem"):
            key = "chain_ref_only_corrupted" if own["problem"]["what"] in ("overwritten", "none") \
                else "chain_ref_only_differs"
            return message(key, item=item.id, by=by, problem=problem_text(own["problem"]))
        return message("chain_ref_only", item=item.id, by=by, detail=own.get("message", ""))
    if own["passed"]:
        return message("chain_own_only", item=item.id, by=by)
    return ""


# ------------------------------------------------------------------------------------- one item's cases
def apply_cache_verdicts(plan, cases: list, outcomes: dict) -> Optional[str]:
    """Fold the cache checks and the own-chain verdicts into the case results (in place); returns
    the item's ``cache_verdict`` (see ``ItemResult``) or None."""
    item = plan.item
    corrupted = chain_only_wrong = 0
    for case, res in zip(plan.cases, cases):
        out = outcomes.get(call_id(item.id, case.case_id))
        # A cache is judged only when the outputs are right: with wrong outputs it differs anyway.
        if plan.cache_outputs and out is not None and out.status == "ok" and res.passed:
            for name, found in forward_cache_results(plan.cache_outputs, case, out.value):
                if not found["follows"]:
                    res.cache = {"output": name, "follows": False, "why": found["why"]}
                    continue
                res.cache = {"output": name, "follows": True, "problem": found["problem"]}
                if found["problem"] is None:
                    continue
                corrupted += 1
                res.passed, res.status = False, "failed"
                res.message = message("cache_corrupted", name=name, problem=problem_text(found["problem"]))
                if found["problem"]["what"] == "overwritten" and "state_aliasing" not in res.diagnoses:
                    res.diagnoses.append("state_aliasing")
                break
        if case.produced and plan.credit:
            produced = case.produced[0]
            own = own_chain(item, case, produced, outcomes.get(call_id(item.id, case.case_id, OWN)))
            ref_passed = bool(res.passed)
            res.credit = case_credit(plan.credit, ref_passed, own)
            res.chain = {"by": produced.by, "passed": own["passed"], "follows": own["follows"],
                         "problem": own["problem"], "message": own["message"]}
            words = chain_message(item, produced, ref_passed, own)
            res.passed = res.credit >= 1.0 - 1e-12
            if res.passed:
                res.status = "passed"
            elif res.status == "passed" or res.credit > 0:
                res.status = "failed"
            if words:
                res.message = words if ref_passed or not res.message else message(
                    "case.with_note", message=res.message, note=words)
            chain_only_wrong += ref_passed and not own["passed"]
    if corrupted and all(c.passed or (c.cache or {}).get("problem") for c in cases):
        return "cache_corrupted"
    if chain_only_wrong and all((c.chain or {}).get("passed") or c.status != "error" for c in cases):
        refs_ok = all(c.credit is None or c.credit > 0 or c.passed for c in cases)
        return "right_on_reference_cache" if refs_ok else None
    return None

