"""The matcher: which named mistakes explain a student's failing outputs, output by output.

A *hypothesis* is a buggy variant (one mistake, made in one form) or a combination of two variants of
distinct mistakes; it runs on copies of a failing case's inputs in the grader's process (our code,
never a student's). On each returned value (*output*: ``dWf``, ``dh0``, the first element of a tuple)
a hypothesis either equals the reference (it does not affect that output) or differs from it (it
affects it). A mistake may leave some outputs *free* (``Mistake.free``: ``dh0`` of a backward that
carries nothing back, which a student may return as anything).

- A hypothesis is **consistent** with a case when the student's values equal the hypothesis's on
  every output it affects and does not leave free. Outputs it does not affect are not looked at:
  there another mistake may show, so a mistake is found even beside a second one.
- A case is **complete** when the consistent single variants account for every output the student
  got wrong (a free output counts as accounted for). Two mistakes that touch different outputs are
  thus named as both without trying combinations.
- When some case is not complete, the combinations of two variants are tried on one such case (a
  public one when there is one: its table is shared by the class), and each consistent combination is
  then checked on the item's other failing cases: two mistakes that touch the same outputs are named
  as both. When no pair is consistent, the few pairs that reproduce the most wrong outputs are
  extended by a third mistake (a beam, not every triple).
- Over an item, a mistake is **named** when a hypothesis containing one of its forms is consistent on
  at least one failing case and that form is contradicted by none (a failing case where the form
  differs from the reference on an output it defines, and no consistent hypothesis contains the
  mistake). Another form of the same mistake differing somewhere says nothing.
- Named mistakes whose hypotheses account for exactly the same outputs on every failing case are
  **candidates** of one another (the numbers cannot tell them apart): all of them are named.

A hypothesis that equals the reference says nothing about a case, and a case that passes is not
looked at, so correct code is never diagnosed. A combination that gives the same outputs as one of its
parts adds nothing and is not used (no second mistake is named that changes nothing). Outputs are compared with the case's tolerance, many
hypotheses at once (:class:`grader.diagnosis.table.OutputTable`); the tables are cached per (case
inputs, tolerance): public cases are the same for every student.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Iterable, Optional

import numpy as np

from grader.diagnosis.globals_scan import diagnose_source, notebook_globals_read
from grader.diagnosis.matching import digest, same_outputs
from grader.diagnosis.mistakes import MISTAKES
from grader.diagnosis.probe import diagnose_probe, probe_calls
from grader.diagnosis.table import SHAPE_TOLERANT, OutputTable
from grader.diagnosis.variants import Combination, composable, contract_of, pairs_for, variants_for

__all__ = [
    "CaseDiagnosis", "ItemDiagnosis", "clear_cache", "diagnose_case", "diagnose_case_detail",
    "diagnose_item", "diagnose_item_detail", "diagnose_returned", "diagnose_source", "notebook_globals_read", "probe_calls",
    "diagnose_probe", "SHAPE_TOLERANT",
]

_CACHE_SIZE = 2048
_CACHE_BYTES = 64 * 2**20
_BEAM = 3  # pairs extended by a third mistake when no pair is consistent


@dataclass(frozen=True)
class CaseDiagnosis:
    """What the matcher found on one case.

    ``matched``: the mistakes of the single variants consistent with the student's outputs;
    ``applicable``: the mistakes with a variant that differs from the reference on an output it
    defines; ``complete``: the consistent variants account for every wrong output; ``explained``:
    ``((variant, output names it accounts for), ...)`` per consistent variant; ``usable``: the
    variants that differ from the reference on an output they define (those that could contradict).
    ``case`` and ``value`` are kept for the item's search for combinations (not compared). Everything
    is empty when the case passed or could not be compared.
    """

    case_id: str
    failed: bool
    matched: tuple = ()
    applicable: tuple = ()
    complete: bool = True
    explained: tuple = ()
    usable: tuple = ()
    case: Any = field(default=None, compare=False, repr=False)
    value: Any = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class ItemDiagnosis:
    """The mistakes named for an item, in catalogue order, and the groups of them that are candidates
    (alternatives the numbers cannot tell apart)."""

    named: tuple = ()
    candidates: tuple = ()  # of frozensets of mistake ids


class _TableCache:
    """Output tables per (item, case inputs, tolerance, which hypotheses), LRU, thread-safe, bounded
    by count and by the bytes of the tables (a table of every pair on a long sequence is ~1 MB)."""

    def __init__(self, size: int = _CACHE_SIZE, max_bytes: int = _CACHE_BYTES):
        self._size, self._max_bytes = size, max_bytes
        self._bytes = 0
        self._lock = threading.Lock()
        self._entries: OrderedDict = OrderedDict()

    def get(self, key, build):
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None:
                self._entries.move_to_end(key)
                return hit
        table = build()
        with self._lock:
            if key not in self._entries:
                self._entries[key] = table
                self._bytes += table.nbytes
            while len(self._entries) > 1 and (len(self._entries) > self._size or self._bytes > self._max_bytes):
                self._bytes -= self._entries.popitem(last=False)[1].nbytes
        return table

    def peek(self, key):
        """The table stored under ``key``, or None (never builds one)."""
        with self._lock:
            return self._entries.get(key)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0


_cache = _TableCache()


def clear_cache() -> None:
    """Forget every cached table (tests; a long-lived process that changes the key)."""
    _cache.clear()


def _key(case, which: str) -> tuple:
    return (case.item, contract_of(case), digest(case.args), float(case.rtol), float(case.atol), which)


def _singles(case) -> OutputTable:
    return _cache.get(_key(case, "singles"), lambda: OutputTable(
        variants_for(case.item, contract=contract_of(case)), case.args, case.expected, case.rtol, case.atol))


def _combinations(case) -> OutputTable:
    """The table of every pair of the item's variants on ``case``; a combination that gives the same
    outputs as one of its parts alone adds nothing and is not usable."""

    def build() -> OutputTable:
        table = OutputTable(pairs_for(case.item, contract_of(case)), case.args, case.expected, case.rtol, case.atol)
        singles = _singles(case)
        index = {v: i for i, v in enumerate(singles.hypotheses)}
        for j, combination in enumerate(table.hypotheses):
            if table.usable[j] and any(table.same_as(j, singles, index[v]) for v in combination.parts
                                       if v in index):
                table.usable[j] = False
        return table

    return _cache.get(_key(case, "pairs"), build)


def _triples(case, pairs: OutputTable, student: list, beam: int = _BEAM) -> OutputTable:
    """The pairs that reproduce the most of the student's wrong outputs (at least one), each with a
    third variant of another mistake: the table of those combinations of three on ``case``."""
    wrong = pairs.failing(student)
    score = (pairs.affected & pairs.matches(student) & wrong[None, :]).sum(axis=1) * pairs.usable
    order = [j for j in np.argsort(-score, kind="stable")[:beam] if score[j] > 0]
    rank = {m: k for k, m in enumerate(MISTAKES)}
    triples = {}
    for j in order:
        pair = pairs.hypotheses[j]
        for third in variants_for(case.item, contract=contract_of(case)):
            if third.mistake not in pair.mistakes:
                parts = tuple(sorted(pair.parts + (third,), key=lambda v: rank[v.mistake]))
                triples.setdefault(parts, Combination(parts))
    return _some(case, tuple(triples.values()))


def _some(case, hypotheses: tuple) -> OutputTable:
    """The table of a few given hypotheses on ``case`` (those found on the item's other cases)."""
    return _cache.get(_key(case, "|".join(h.bug for h in hypotheses)), lambda: OutputTable(
        hypotheses, case.args, case.expected, case.rtol, case.atol))


def _names(table: OutputTable, row: np.ndarray) -> frozenset:
    return frozenset(str(p[0]) if p else "" for p, on in zip(table.paths, row) if on)


def diagnose_case_detail(item_id: str, case, returned_value: Any, output_spec: Optional[dict] = None) -> CaseDiagnosis:
    """Run the single variants on one case; see :class:`CaseDiagnosis`.

    ``output_spec`` (the item's normalised output spec) is accepted for symmetry with the checker; the
    comparison follows the structure of the reference's output.
    """
    if same_outputs(returned_value, case.expected, case.rtol, case.atol):
        return CaseDiagnosis(case.case_id, failed=False)
    if item_id != case.item:
        raise ValueError(f"case {case.case_id!r} belongs to {case.item!r}, not {item_id!r}")
    return _detail(case, returned_value, _singles(case))


def _detail(case, value: Any, table: OutputTable) -> CaseDiagnosis:
    """The case's verdicts from one table of single variants (all of the item's, or some)."""
    student = table.student_leaves(value)
    consistent, explains = table.verdicts(student)
    wrong = table.failing(student)
    covered = explains.any(axis=0) if len(table.hypotheses) else np.zeros(len(table.paths), dtype=bool)
    hyps = table.hypotheses
    matched = tuple(dict.fromkeys(hyps[j].mistake for j in np.flatnonzero(consistent)))
    applicable = tuple(dict.fromkeys(hyps[j].mistake for j in np.flatnonzero(table.usable)))
    explained = tuple((hyps[j], _names(table, explains[j])) for j in np.flatnonzero(consistent))
    return CaseDiagnosis(case.case_id, True, matched, applicable, complete=not bool((wrong & ~covered).any()),
                         explained=explained, usable=tuple(hyps[j] for j in np.flatnonzero(table.usable)),
                         case=case, value=value)


def diagnose_case(item_id: str, case, returned_value: Any, output_spec: Optional[dict] = None) -> list[str]:
    """The ids of the mistakes that explain ``returned_value`` on ``case`` (empty when it passes)."""
    return list(diagnose_case_detail(item_id, case, returned_value, output_spec).matched)


def diagnose_returned(item_id: str, returned: Iterable, remembered=None) -> tuple[ItemDiagnosis, list]:
    """Diagnose an item from its failing cases' returned values: ``(item diagnosis, [matched mistakes
    per case])``; ``returned``: ``(case, value)`` or ``(case, value, digest)`` tuples.

    What the grader calls. The public cases come first (every single variant; their tables are shared
    by the class). A hidden case, built from one student's seed, first gets only the variants found
    so far: when they account for all its wrong outputs, the item's other variants are not run on it
    (they could only add mistakes that nothing requires). ``remembered``: a ``CheckCache`` of case
    details keyed by the value's ``digest`` (students share their bugs).
    """
    returned = [tuple(r) + (None,) * (3 - len(r)) for r in returned]
    order = sorted(range(len(returned)), key=lambda k: getattr(returned[k][0], "visibility", "") != "public")
    details: list = [None] * len(returned)
    found: list = []  # the single variants consistent so far
    for k in order:
        case, value, key = returned[k]
        if found and getattr(case, "visibility", "") != "public" and _cache.peek(_key(case, "singles")) is None:
            partial = _detail(case, value, _some(case, tuple(found)))
            if partial.complete and partial.matched:
                details[k] = partial
                continue
        detail = remembered.get(case, key) if remembered is not None else None
        if detail is None:
            detail = diagnose_case_detail(item_id, case, value)
            if remembered is not None:
                remembered.put(case, key, detail)
        details[k] = detail
        found += [h for h, _ in detail.explained if h not in found]
    return diagnose_item_detail(item_id, details), [d.matched for d in details]


def diagnose_item(item_id: str, case_results: Iterable) -> list[str]:
    """The mistakes named for ``item_id`` (see :func:`diagnose_item_detail`), in catalogue order."""
    return list(diagnose_item_detail(item_id, case_results).named)


def _details(item_id: str, case_results: Iterable) -> list:
    details = []
    for entry in case_results:
        if isinstance(entry, CaseDiagnosis):
            details.append(entry)
        elif isinstance(entry, tuple) and len(entry) in (2, 3):
            details.append(diagnose_case_detail(item_id, *entry))
        else:
            raise TypeError(
                "diagnose_item takes CaseDiagnosis objects (diagnose_case_detail) or (case, returned_value) "
                f"tuples, got {type(entry).__name__}"
            )
    return details


def _consistent_combinations(item_id: str, failing: list) -> list:
    """``[(combination, {case_id: output names})]``: the pairs consistent on one incomplete case (a
    public one first) and contradicted on no other failing case."""
    incomplete = [d for d in failing if not d.complete and d.case is not None]
    if not incomplete:
        return []
    pivot = min(incomplete, key=lambda d: getattr(d.case, "visibility", "") != "public")
    if not composable(item_id, contract_of(pivot.case)):
        return []
    table = _combinations(pivot.case)
    student = table.student_leaves(pivot.value)
    consistent, explains = table.verdicts(student)
    if not consistent.any():  # three mistakes at once: extend the pairs that explain the most
        table = _triples(pivot.case, table, student)
        consistent, explains = table.verdicts(table.student_leaves(pivot.value))
    found = []
    for j in np.flatnonzero(consistent):
        combination = table.hypotheses[j]
        support = {pivot.case_id: _names(table, explains[j])}
        for d in failing:
            if d is pivot or d.case is None:
                continue
            other = _some(d.case, (combination,))
            ok, why = other.verdicts(other.student_leaves(d.value))
            if ok[0]:
                support[d.case_id] = _names(other, why[0])
            elif other.usable[0]:
                break  # it differs from the reference there and is not what the student returned
        else:
            found.append((combination, support))
    return found


def diagnose_item_detail(item_id: str, case_results: Iterable) -> ItemDiagnosis:
    """The mistakes consistent on at least one failing case of ``item_id`` and contradicted by none,
    single or in a combination of two, and the candidate groups among them (see the module docstring).

    ``case_results``: :class:`CaseDiagnosis` objects (from :func:`diagnose_case_detail`), or
    ``(case, returned_value)`` / ``(case, returned_value, output_spec)`` tuples, diagnosed here (the
    tables are cached, so this costs little after :func:`diagnose_case`). Leave out cases that
    returned no value (errors, timeouts): they neither support nor contradict a mistake.
    """
    failing = [d for d in _details(item_id, case_results) if d.failed]
    records: dict = {}  # mistakes of a consistent hypothesis -> {case_id: output names it accounts for}
    consistent_on: dict = {d.case_id: set() for d in failing}
    supporting: set = set()  # the variants (forms) of the consistent hypotheses
    for d in failing:
        for hypothesis, names in d.explained:
            records.setdefault(hypothesis.mistakes, {})[d.case_id] = names
            consistent_on[d.case_id].update(hypothesis.mistakes)
            supporting.update(hypothesis.parts)
    for combination, support in _consistent_combinations(item_id, failing):
        records.setdefault(combination.mistakes, {}).update(support)
        supporting.update(combination.parts)
        for case_id in support:
            consistent_on[case_id].update(combination.mistakes)

    def contradicted(variant) -> bool:
        # the form the student's numbers support differs from the reference on a failing case where
        # no hypothesis with its mistake is consistent (another form being usable there says nothing)
        return any(variant in d.usable and variant.mistake not in consistent_on[d.case_id] for d in failing)

    kept = {v.mistake for v in supporting if not contradicted(v)}
    named = tuple(m for m in MISTAKES if m in kept)
    return ItemDiagnosis(named, _candidates(records, set(named)))


def _candidates(records: dict, named: set) -> tuple:
    """Groups of named mistakes whose hypotheses account for the same outputs on the same cases."""
    by_signature: dict = {}
    for mistakes, support in records.items():
        if set(mistakes) <= named:
            signature = tuple(sorted(support.items()))
            by_signature.setdefault(signature, set()).add(frozenset(mistakes))
    groups = []
    for sets in by_signature.values():
        if len(sets) > 1:
            alternatives = frozenset().union(*sets) - frozenset.intersection(*sets)
            if len(alternatives) > 1 and alternatives not in groups:
                groups.append(alternatives)
    return tuple(groups)
