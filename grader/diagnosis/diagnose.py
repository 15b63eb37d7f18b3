"""The matcher: which named mistakes explain a student's failing outputs.

For a failing case, every buggy variant registered for the function runs on copies of the case's
inputs (in the grader's process: variants are our code, never a student's). A mistake is reported when
one of its variants reproduces every output the student returned, within the case's tolerance. A
variant whose output equals the reference on that case says nothing about it and is ignored, so
correct code is never diagnosed. Variant outputs are cached per (case inputs, tolerance): the public
cases are the same for every student.

Over an item, :func:`diagnose_item` keeps the mistakes that matched on at least one failing case and
were contradicted by none (a failing case where the variant differs from the reference and still
does not match the student).
"""
from __future__ import annotations

import copy
import threading
import warnings
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Iterable, Optional

import numpy as np

from grader.diagnosis.globals_scan import diagnose_source, notebook_globals_read
from grader.diagnosis.matching import digest, same_outputs
from grader.diagnosis.mistakes import MISTAKES
from grader.diagnosis.probe import diagnose_probe, probe_calls
from grader.diagnosis.variants import Variant, contract_of, variants_for

__all__ = [
    "CaseDiagnosis", "clear_cache", "diagnose_case", "diagnose_case_detail", "diagnose_item",
    "diagnose_source", "notebook_globals_read", "probe_calls", "diagnose_probe",
]

#: Mistakes whose outputs differ from the reference in shape only, compared after reshaping.
SHAPE_TOLERANT = frozenset({"bias_grad_axis"})

_CACHE_SIZE = 4096
_NO_OUTPUT = object()  # the variant raised: it can match nothing


@dataclass(frozen=True)
class CaseDiagnosis:
    """What the matcher found on one case.

    ``matched``: the mistakes whose variant reproduces the student's outputs; ``applicable``: the
    mistakes whose variant differs from the reference on this case (a mistake applicable but not
    matched on a failing case is contradicted by it). Both are empty when the case passed or could
    not be compared (no value returned).
    """

    case_id: str
    failed: bool
    matched: tuple = ()
    applicable: tuple = ()


class _VariantCache:
    """Outputs of every variant of an item on one case's inputs, LRU over cases, thread-safe."""

    def __init__(self, size: int = _CACHE_SIZE):
        self._size = size
        self._lock = threading.Lock()
        self._entries: OrderedDict = OrderedDict()

    def outputs(self, case) -> list[tuple[Variant, Any, bool]]:
        """``[(variant, output or _NO_OUTPUT, equals_reference)]`` for ``case.item``'s variants."""
        key = (case.item, contract_of(case), digest(case.args), float(case.rtol), float(case.atol))
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None:
                self._entries.move_to_end(key)
                return hit
        computed = [_run(v, case) for v in variants_for(case.item, contract=contract_of(case))]
        with self._lock:
            self._entries[key] = computed
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return computed

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def _run(variant: Variant, case) -> tuple[Variant, Any, bool]:
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            out = variant(*copy.deepcopy(tuple(case.args)))
    except Exception:  # a variant that cannot run on these inputs explains nothing here
        return variant, _NO_OUTPUT, True
    return variant, out, same_outputs(out, case.expected, case.rtol, case.atol)


_cache = _VariantCache()


def clear_cache() -> None:
    """Forget every cached variant output (tests; a long-lived process that changes the key)."""
    _cache.clear()


def diagnose_case_detail(item_id: str, case, returned_value: Any, output_spec: Optional[dict] = None) -> CaseDiagnosis:
    """Run the matcher on one case; see :class:`CaseDiagnosis`.

    ``output_spec`` (the item's normalised output spec) is accepted for symmetry with the checker; the
    comparison follows the structure of the reference's and the variants' outputs.
    """
    if same_outputs(returned_value, case.expected, case.rtol, case.atol):
        return CaseDiagnosis(case.case_id, failed=False)
    if item_id != case.item:
        raise ValueError(f"case {case.case_id!r} belongs to {case.item!r}, not {item_id!r}")
    matched, applicable = [], []
    for variant, out, equals_reference in _cache.outputs(case):
        if out is _NO_OUTPUT or equals_reference:
            continue
        if variant.mistake not in applicable:
            applicable.append(variant.mistake)
        reshape = variant.mistake in SHAPE_TOLERANT
        if variant.mistake not in matched and same_outputs(returned_value, out, case.rtol, case.atol, reshape):
            matched.append(variant.mistake)
    return CaseDiagnosis(case.case_id, True, tuple(matched), tuple(applicable))


def diagnose_case(item_id: str, case, returned_value: Any, output_spec: Optional[dict] = None) -> list[str]:
    """The ids of the mistakes that explain ``returned_value`` on ``case`` (empty when it passes)."""
    return list(diagnose_case_detail(item_id, case, returned_value, output_spec).matched)


def diagnose_item(item_id: str, case_results: Iterable) -> list[str]:
    """The mistakes that matched on at least one failing case of ``item_id`` and were contradicted by
    none, in catalogue order.

    ``case_results``: :class:`CaseDiagnosis` objects (from :func:`diagnose_case_detail`), or
    ``(case, returned_value)`` / ``(case, returned_value, output_spec)`` tuples, diagnosed here (the
    variant outputs are cached, so this costs little after :func:`diagnose_case`). Leave out cases
    that returned no value (errors, timeouts): they neither support nor contradict a mistake.
    """
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
    failing = [d for d in details if d.failed]
    found = {m for d in failing for m in d.matched}
    contradicted = {m for d in failing for m in d.applicable if m not in d.matched}
    return [m for m in MISTAKES if m in found and m not in contradicted]
