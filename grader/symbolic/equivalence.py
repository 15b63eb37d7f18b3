"""Is a student's expression equal to the reference? Decided numerically, confirmed symbolically.

1. Parse the answer (``parse.py``) with the item's symbols and abbreviation names; substitute the
   abbreviations (which may use each other, e.g. GRU's ``n`` uses ``r``).
2. Draw points uniformly in ``item.domain`` (default [-2, 2] per symbol), rounded to 3 decimals so
   a student can redo a counterexample by hand. Evaluate both sides with mpmath at 30 digits;
   points where the reference is undefined are skipped, until ``N_POINTS`` points are compared;
   a point where only the answer is undefined is a counterexample.
3. A point *matches* when |s − r| ≤ RTOL·max(1, |r|). Any clear mismatch (> BORDER_HIGH) gives
   ``not_equivalent`` with that point. Differences between BORDER_LOW and BORDER_HIGH are
   *borderline*: ``sympy.simplify`` of the difference runs under a time limit and, if it proves
   zero, the verdict is ``equivalent``; otherwise the numeric test decides. So a simplification
   that runs out of time never fails an equivalent answer.

The result is a plain dict (JSON-safe), messages are rendered later in the reader's language.
"""
from __future__ import annotations

import hashlib
import random
import signal
import threading
from contextlib import contextmanager

import sympy

from grader.symbolic import messages as M
from grader.symbolic.numeric import Undefined, evaluate, make_context
from grader.symbolic.parse import ParseError, read_expression
from solutions.symbolic import sigmoid

N_POINTS = 20
MAX_DRAWS = 200
DEFAULT_DOMAIN = (-2.0, 2.0)
RTOL = 1e-9
BORDER_LOW = 1e-14
BORDER_HIGH = 1e-6
SIMPLIFY_SECONDS = 2.0


class SpecError(ValueError):
    """The item's own definitions are wrong (abbreviations, reference): an instructor's bug."""


def expand_abbreviations(symbols, abbreviations: dict) -> dict:
    """{abbreviation symbol: expression in the item's symbols only}, definitions parsed with the
    student parser (they may refer to each other, in any order, but not in a cycle)."""
    names = list(symbols) + list(abbreviations)
    parsed = {}
    for name, text in abbreviations.items():
        try:
            parsed[sympy.Symbol(name, real=True)] = read_expression(text, names)
        except ParseError as e:
            raise SpecError(f"abbreviation {name} = {text!r}: {e.message('en')}") from None
    for _ in range(len(parsed) + 1):
        changed = False
        for key, value in parsed.items():
            new = value.xreplace(parsed)
            if new != value:
                parsed[key], changed = new, True
        if not changed:
            return parsed
    raise SpecError("the abbreviations refer to each other in a cycle: " + ", ".join(abbreviations))


def sample_points(item_id: str, symbols, domain: dict, count: int):
    """Deterministic points for an item: the same for every student (fair and cacheable)."""
    seed = int.from_bytes(hashlib.sha256(item_id.encode()).digest()[:8], "big")
    rng = random.Random(seed)
    for _ in range(count):
        point = {}
        for name in symbols:
            lo, hi = domain.get(name, DEFAULT_DOMAIN)
            point[name] = min(max(round(rng.uniform(lo, hi), 3), lo), hi)
        yield point


def check_answer(answer: str, *, item_id: str, symbols, abbreviations: dict, domain: dict,
                 reference: sympy.Expr) -> dict:
    """Grade one answer; returns {"verdict", "position", "parse_error", "counterexample",
    "student_value", "reference_value", "student_expr", "method"} (expressions as SymPy)."""
    out = {"verdict": None, "position": None, "parse_error": None, "counterexample": None,
           "student_value": None, "reference_value": None, "student_expr": None,
           "method": None}
    if not answer.strip():
        out["verdict"] = "unanswered"
        return out
    extra = set(reference.free_symbols) - {sympy.Symbol(s, real=True) for s in symbols}
    if extra:
        raise SpecError("the reference uses symbols the item does not declare: "
                        + ", ".join(sorted(map(str, extra))))
    abbrev = expand_abbreviations(symbols, abbreviations)
    try:
        student = read_expression(answer, list(symbols) + list(abbreviations))
    except ParseError as e:
        out.update(verdict="unparsable", position=e.column, parse_error=e.to_dict())
        return out
    out["student_expr"] = student
    full = student.xreplace(abbrev)
    out.update(_compare(full, reference, item_id, symbols, domain))
    return out


def _compare(student, reference, item_id, symbols, domain) -> dict:
    ctx = make_context(30)
    compared, borderline = 0, []
    for point in sample_points(item_id, symbols, domain, MAX_DRAWS):
        try:
            r = evaluate(reference, point, ctx)
        except Undefined:
            continue
        try:
            s = evaluate(student, point, ctx)
        except Undefined:  # the reference has a value here, the answer has none: not equal
            return {"verdict": "not_equivalent", "counterexample": point, "student_value": None,
                    "reference_value": float(r), "method": "numeric"}
        rel = float(abs(s - r) / max(1, abs(r)))
        if rel > BORDER_HIGH:
            return _mismatch(point, s, r)
        if rel > BORDER_LOW:
            borderline.append((point, s, r, rel))
        compared += 1
        if compared >= N_POINTS:
            break
    if compared < N_POINTS:
        raise SpecError(f"the reference has a value at only {compared} of {MAX_DRAWS} sampled "
                        "points; check the item's domain")
    if borderline:
        if simplifies_to_zero(student - reference, SIMPLIFY_SECONDS):
            return {"verdict": "equivalent", "method": "numeric+simplify"}
        worst = max(borderline, key=lambda b: b[3])
        if worst[3] > RTOL:
            return _mismatch(*worst[:3])
        return {"verdict": "equivalent", "method": "numeric (borderline, not simplified)"}
    return {"verdict": "equivalent", "method": "numeric"}


def _mismatch(point, s, r) -> dict:
    return {"verdict": "not_equivalent", "counterexample": point, "student_value": float(s),
            "reference_value": float(r), "method": "numeric"}


class _SimplifyTimeout(Exception):
    pass


@contextmanager
def _time_limit(seconds: float):
    """SIGALRM-based limit; only possible in the main thread (the worker's case). Elsewhere the
    block is skipped by raising at once, so callers fall back to the numeric verdict."""
    if threading.current_thread() is not threading.main_thread():
        raise _SimplifyTimeout()

    def on_alarm(signum, frame):
        raise _SimplifyTimeout()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def simplifies_to_zero(diff: sympy.Expr, seconds: float) -> bool:
    """True when SymPy proves ``diff`` == 0 within ``seconds``; False if not or out of time."""
    try:
        with _time_limit(seconds):
            rewritten = diff.rewrite(sigmoid, sympy.exp).rewrite(sympy.tanh, sympy.exp)
            return sympy.simplify(rewritten) == 0
    except _SimplifyTimeout:
        return False


def verdict_of(result: dict, *, timeout: float | None = None, reason: object = "",
               lang: str = "en") -> dict:
    """The message a student reads for a result of :func:`check_answer` (or timeout/error), to store:
    ``symbolic.verdict.<key>`` with its fields (``lang`` only reads an older cached verdict's hints)."""
    v = result["verdict"]
    if v == "not_equivalent":
        point = M.format_point(result["counterexample"])
        if result["student_value"] is None:
            return M.verdict("not_equivalent_undefined", point=point,
                             reference=M.format_value(result["reference_value"]))
        return M.verdict("not_equivalent", point=point,
                         student=M.format_value(result["student_value"]),
                         reference=M.format_value(result["reference_value"]))
    if v == "unparsable":
        return M.verdict("unparsable", detail=ParseError.from_dict(result["parse_error"]).as_message(lang))
    if v == "timeout":
        return M.verdict("timeout", seconds=timeout or 0)
    if v == "error":
        return M.verdict("error", reason=reason)
    return M.verdict(v)


def verdict_message(result: dict, lang: str, *, timeout: float | None = None,
                    reason: object = "") -> str:
    """The text of :func:`verdict_of` in ``lang``."""
    stored = verdict_of(result, timeout=timeout, reason=reason, lang=lang)
    return M.texts(lang)(stored["key"][len(M.PREFIX):], **stored["fields"])
