"""The grader's data model: what a grading run produces, as small dataclasses.

Scores are derived from results (never stored twice): a case passes or not, an item's score follows
from its cases, its consistency verdict and any manual points, a submission's score is the sum of its
items. ``to_dict()`` gives JSON-safe dictionaries; ``from_dict()`` reads them back (the gradebook keeps
the JSON, so reports can be re-rendered without re-grading).

Item statuses: passed, partial, failed, error, timeout, unanswered, pending_manual.
Submission statuses: graded, load_error, missing.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import lru_cache
from typing import Any, Iterable, Optional

ITEM_STATUSES = ("passed", "partial", "failed", "error", "timeout", "unanswered", "pending_manual")
SUBMISSION_STATUSES = ("graded", "load_error", "missing")


def _round(x: float) -> float:
    # Points are shown to people; 1e-9 noise from fractions like 10 * 2/3 must not show.
    return round(float(x), 6)


@dataclass
class OutputCheck:
    """The staged check of one output (one array, one dict entry, one tuple element) of one case.

    ``stage`` is the first stage that failed (returned, structure, ndarray, shape, dtype, finite,
    values), or ``"values"`` when everything passed. ``expected``/``got`` hold small previews (nested
    lists) for the report; the report layer decides whether a student may see them.
    """

    name: str
    passed: bool
    stage: str
    message: Any  # a stored message ({"key", "fields"}), text once localized
    max_abs_err: Optional[float] = None
    max_rel_err: Optional[float] = None
    worst_index: Optional[list[int]] = None
    expected: Any = None
    got: Any = None


@dataclass
class CaseResult:
    """One call of one function on one set of inputs."""

    case_id: str
    visibility: str  # "public" | "hidden"
    passed: bool
    status: str  # "passed" | "failed" | "error" | "timeout"
    message: str = ""
    label: str = ""
    input_shapes: dict[str, Any] = field(default_factory=dict)
    outputs: list[OutputCheck] = field(default_factory=list)
    diagnoses: list[str] = field(default_factory=list)
    stdout: str = ""
    inputs_modified: list[str] = field(default_factory=list)
    seconds: Optional[float] = None
    # Cache-style items (grader/pipeline/cachecheck.py); absent from to_dict() when None.
    credit: Optional[float] = None  # the fraction of the case earned, when it is not all or nothing
    chain: Optional[dict] = None  # a backward on the student's own forward's cache: {"passed", "follows", "problem", ...}
    cache: Optional[dict] = None  # a forward's cache checked by its layout: {"output", "follows", "problem", ...}

    @property
    def earned(self) -> float:
        """The fraction of this case earned: its credit, or 1/0 as it passed."""
        return float(self.credit) if self.credit is not None else float(self.passed)

    def to_dict(self) -> dict:
        d = _shallow(self)
        d["outputs"] = [_shallow(o) for o in self.outputs]
        for key in _OPTIONAL_CASE_KEYS:
            if d.get(key) is None:
                d.pop(key, None)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "CaseResult":
        d = dict(d)
        d["outputs"] = [OutputCheck(**o) for o in d.get("outputs", [])]
        return cls(**_known(cls, d))


@dataclass
class ItemResult:
    """The result of one assignment item (a code function, a symbolic answer, a free answer).

    ``score`` is derived: for a code item ``points × (passed + credit × failed, if consistent) /
    cases``; for a symbolic item all or nothing; a manual entry (free items, or an override of
    any item) replaces the automatic points.
    """

    item: str
    kind: str  # "code" | "symbolic" | "free"
    max_score: float
    status: str
    message: str = ""
    cases: list[CaseResult] = field(default_factory=list)
    diagnoses: list[str] = field(default_factory=list)
    # Groups of the diagnoses that fit the student's numbers equally (the matcher cannot tell them apart)
    diagnosis_candidates: list[list[str]] = field(default_factory=list)
    # Backward items: {"verdict": "consistent"|"inconsistent"|"not_checked", "message": str,
    #                  "tensors": {name: {"ok": bool, "rel_err": float}}}
    consistency: Optional[dict] = None
    consistency_credit: float = 0.0
    # Symbolic items: {"verdict", "answer", "message", "counterexample", "student_value",
    #                  "reference_value", "student_mathml", "reference_mathml", ...}
    symbolic: Optional[dict] = None
    # Free items: {"text": str, "attachments": [{"name", "mime", "data_b64"}], "rubric": str}
    free: Optional[dict] = None
    # {"points": float|None, "comment": str} from manual grading; survives re-grading.
    manual: Optional[dict] = None
    stdout: str = ""
    # Code items whose function was missing because the code meant to define it failed to load:
    # {"name", "where", "kind", "error"} (grader.loading.failed_defs.FailedDefinition.to_dict()).
    load_failure: Optional[dict] = None
    # Cache-style items: "cache_corrupted" (a forward whose outputs are right but whose cache is not),
    # "right_on_reference_cache" (a backward right on the answer key's cache, not on its own chain).
    cache_verdict: Optional[str] = None

    @property
    def auto_score(self) -> float:
        if self.kind == "code":
            if not self.cases:
                return 0.0
            passed = sum(c.earned for c in self.cases) if any(c.credit is not None for c in self.cases) \
                else sum(c.passed for c in self.cases)
            failed = len(self.cases) - sum(c.passed for c in self.cases)
            consistent = bool(self.consistency and self.consistency.get("verdict") == "consistent")
            credit = self.consistency_credit * failed if consistent else 0.0
            return _round(self.max_score * (passed + credit) / len(self.cases))
        if self.kind == "symbolic":
            ok = bool(self.symbolic and self.symbolic.get("verdict") == "equivalent")
            return _round(self.max_score if ok else 0.0)
        return 0.0

    @property
    def score(self) -> float:
        return self._score(self.auto_score)

    def _score(self, auto_score: float) -> float:
        if self.manual and self.manual.get("points") is not None:
            return _round(self.manual["points"])
        return auto_score

    @property
    def effective_status(self) -> str:
        """The status after manual grading: a graded free item is no longer pending."""
        if self.manual and self.manual.get("points") is not None:
            pts = float(self.manual["points"])
            if pts >= self.max_score:
                return "passed"
            return "partial" if pts > 0 else "failed"
        return self.status

    def to_dict(self) -> dict:
        d = _shallow(self)
        d["cases"] = [c.to_dict() for c in self.cases]
        auto = self.auto_score
        d["score"] = self._score(auto)
        d["auto_score"] = auto
        d["status"] = self.effective_status
        d["auto_status"] = self.status
        if d.get("cache_verdict") is None:
            d.pop("cache_verdict", None)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "ItemResult":
        d = dict(d)
        d["cases"] = [CaseResult.from_dict(c) for c in d.get("cases", [])]
        if "auto_status" in d:
            d["status"] = d["auto_status"]
        return cls(**_known(cls, d))


@dataclass
class SubmissionResult:
    """Everything the grader knows about one student's submission."""

    student: str
    status: str  # "graded" | "load_error" | "missing"
    assignment: str
    version: str
    items: list[ItemResult] = field(default_factory=list)
    message: str = ""
    path: Optional[str] = None  # the file graded, relative to the batch folder
    content_hash: Optional[str] = None
    notes: list = field(default_factory=list)  # loader notes (messages; older results: text)
    load_errors: list[dict] = field(default_factory=list)  # {"where", "message"} per failing cell
    isolation: dict = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)  # "not_on_roster", "other_release_version", ...
    lang: str = "en"
    stdout: str = ""
    # lateness from an LMS intake (grader.lms.late.late_info), with a manual "override" merged in;
    # kept in the gradebook's intake table and merged on reading, like manual points
    late: dict = field(default_factory=dict)

    @property
    def score(self) -> float:
        return _round(sum(i.score for i in self.items))

    @property
    def late_penalty(self) -> float:
        """The fraction of the score taken off for lateness, after a manual override (0 when none)."""
        override = (self.late or {}).get("override")
        if override is not None and override.get("percent") is not None:
            return min(1.0, max(0.0, float(override["percent"]) / 100.0))
        return float((self.late or {}).get("penalty") or 0.0)

    @property
    def final_score(self) -> float:
        """score × (1 − late_penalty): what goes to the LMS."""
        return _round(self.score * (1.0 - self.late_penalty))

    @property
    def max_score(self) -> float:
        return _round(sum(i.max_score for i in self.items))

    def item(self, item_id: str) -> ItemResult:
        for i in self.items:
            if i.item == item_id:
                return i
        raise KeyError(item_id)

    def to_dict(self) -> dict:
        d = {name: getattr(self, name) for name in _field_names(type(self)) if name != "items"}
        items = [i.to_dict() for i in self.items]
        d["score"] = _round(sum(i["score"] for i in items))  # == self.score, without scoring twice
        d["max_score"] = self.max_score
        d["items"] = items
        if self.late:
            d["final_score"] = _round(d["score"] * (1.0 - self.late_penalty))
        else:
            d.pop("late", None)  # a result without an intake keeps its JSON as before
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "SubmissionResult":
        d = dict(d)
        d["items"] = [ItemResult.from_dict(i) for i in d.get("items", [])]
        return cls(**_known(cls, d))


def by_student(results: Iterable[SubmissionResult]) -> Iterable[SubmissionResult]:
    """``results`` in student order: a gradebook's stream (``Gradebook.stream``) already is, and is
    read one result at a time; anything else is sorted."""
    if getattr(results, "in_student_order", False):
        return results
    return sorted(results, key=lambda r: r.student)


_ATOMS = frozenset((str, int, float, bool, type(None)))
# A result object's ``message`` is a stored message (``{"key", "fields"}``): a value nobody changes in
# place (showing it makes a new attribute), so copies share it.
_SHARED_FIELDS = frozenset(("message",))
_OPTIONAL_CASE_KEYS = ("credit", "chain", "cache")


def _shallow(obj) -> dict:
    """The fields of a result object as a dict whose containers are new (their leaves are shared).

    ``dataclasses.asdict`` deep-copies every preview of every case: a tenth of the grading time.
    """
    d = obj.__dict__.copy()
    for k, v in d.items():
        if type(v) in _ATOMS or k in _SHARED_FIELDS:
            continue
        if isinstance(v, list):
            d[k] = list(v)
        elif isinstance(v, dict):
            d[k] = dict(v)
    return d


@lru_cache(maxsize=None)
def _field_names(cls) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


@lru_cache(maxsize=None)
def _field_set(cls) -> frozenset:
    return frozenset(_field_names(cls))


def _known(cls, d: dict) -> dict:
    names = _field_set(cls)
    return {k: v for k, v in d.items() if k in names}
