"""What a student may see: the one place that decides it.

``student_view`` returns a redacted copy of a result; templates and the Gradescope text only
ever receive such copies. By default (before the instructor releases solutions) it removes:

- of hidden cases: expected and returned values (a passing case's returned value *is* the
  expected one), the values-stage messages that could quote them, and captured output (a student
  could print the hidden inputs); an exception message is kept, shortened;
- of symbolic items: everything about the reference (expression, MathML, value), and the
  checker's message of a not-equivalent answer (it quotes the reference's value there), also
  where the item's message repeats it; the counterexample point and the student's own value
  there stay;
- of free items: the rubric;
- of an item with hidden cases: its captured output, rebuilt from its public cases only.

With ``show_solutions=True`` (after the deadline, at the instructor's choice) nothing is removed.
"""
from __future__ import annotations

import copy

from grader.model import CaseResult, ItemResult, SubmissionResult

from .fmt import shorten

# What a student may see of a symbolic verdict before solutions are released.
SYMBOLIC_PUBLIC_KEYS = ("verdict", "answer", "message", "counterexample", "student_value",
                        "position", "student_mathml")


def student_view(result: SubmissionResult, spec=None, *, show_solutions: bool = False) -> SubmissionResult:
    """A redacted copy of ``result`` for its student (``spec`` is accepted for symmetry with the
    renderers; what is secret is decided from the result itself)."""
    view = _clone(result)
    view.items = [redact_item(i, show_solutions=show_solutions) for i in result.items]
    view.notes, view.flags = list(result.notes), list(result.flags)
    view.load_errors = [dict(e) for e in result.load_errors]
    view.isolation = copy.deepcopy(result.isolation)
    return view


def redact_item(item: ItemResult, *, show_solutions: bool = False) -> ItemResult:
    """A redacted copy of one item (see the module docstring)."""
    item = _clone(item)
    item.cases = [_copy_case(c) for c in item.cases]
    item.diagnoses = list(item.diagnoses)
    item.diagnosis_candidates = [list(g) for g in item.diagnosis_candidates]
    item.consistency = _copy_tree(item.consistency)
    item.symbolic = _copy_tree(item.symbolic)
    item.free = _copy_tree(item.free)
    item.manual = _copy_tree(item.manual)
    if show_solutions:
        return item
    if item.cases:
        item.cases = [_redact_case(c) for c in item.cases]
        if any(c.visibility != "public" for c in item.cases):
            item.stdout = "".join(c.stdout for c in item.cases if c.visibility == "public")
    if item.symbolic is not None:
        sym = {k: v for k, v in item.symbolic.items() if k in SYMBOLIC_PUBLIC_KEYS}
        if sym.get("verdict") == "not_equivalent":
            # The checker's sentence compares with the reference value; the item's message copies it.
            sym.pop("message", None)
            item.message = ""
        item.symbolic = sym
    if item.free is not None:
        item.free = {k: v for k, v in item.free.items() if k != "rubric"}
    return item


def _clone(obj):
    """A shallow copy of a dataclass instance. Copies are structural (new objects and lists where
    anything may change): deep-copying every case's previews cost more than rendering the report,
    and ``dataclasses.replace`` re-runs ``__init__``."""
    new = object.__new__(type(obj))
    new.__dict__.update(obj.__dict__)
    return new


_ATOMS = frozenset((str, int, float, bool, type(None)))


def _copy_tree(obj):
    """A deep copy of plain JSON-like data (what these fields hold), made without the bookkeeping of
    ``copy.deepcopy``; anything else is handed to ``copy.deepcopy``."""
    t = type(obj)
    if t in _ATOMS:
        return obj
    if t is dict:
        return {k if type(k) is str else copy.deepcopy(k): _copy_tree(v) for k, v in obj.items()}
    if t is list:
        return [_copy_tree(v) for v in obj]
    return copy.deepcopy(obj)


def _copy_case(case: CaseResult) -> CaseResult:
    # Previews (expected/got) are nested lists nobody mutates; the objects holding them are new.
    case = _clone(case)
    case.outputs = [_clone(o) for o in case.outputs]
    case.diagnoses = list(case.diagnoses)
    case.inputs_modified = list(case.inputs_modified)
    case.input_shapes = dict(case.input_shapes)
    return case


def _shortened(said, limit: int = 300):
    """A text shortened to ``limit``; a stored message (``{"key", "fields"}``) with its text fields
    shortened (the exception texts in it), rendered later in the reader's language."""
    if isinstance(said, dict) and "key" in said:
        return {"key": said["key"], "fields": {k: _shortened(v, limit) for k, v in (said.get("fields") or {}).items()}}
    return shorten(said, limit) if isinstance(said, str) else said


def _redact_case(case: CaseResult) -> CaseResult:
    if case.visibility == "public":
        return case
    case.stdout = ""
    if case.status in ("error", "timeout"):
        case.message = _shortened(case.message)
    elif any(o.stage == "values" and not o.passed for o in case.outputs):
        case.message = ""  # the checker's summary may quote values; the report words its own
    for o in case.outputs:
        o.expected = None
        o.got = None
        if o.passed or o.stage == "values":
            o.message = ""
    return case
