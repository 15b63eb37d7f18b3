"""The matcher on cache-style items (a forward returns a cache, a backward takes it).

A forward's cache never comes back from the sandbox (only its extract by the layout, checked in
grader/pipeline/cachecheck.py), so the matcher compares the other outputs: the cache is taken out of the
student's value and of the case's expected value, and the buggy variants
(grader/diagnosis/buggy/rnn_step.py) return none. A dict of gradients under other keys than the documented ones is
``wrong_grad_keys``. Everything else (pairs of mistakes, candidates) is the matcher's
(grader/diagnosis/diagnose.py), on the cache contract's variants (``variants.contract_of``).
"""
from __future__ import annotations

import dataclasses
from typing import Any

from grader.core.cases import Case


@dataclasses.dataclass(frozen=True)
class CacheStyleCase(Case):
    """A case of the cache-style contract whose expected value has its caches taken out."""

    contract = "cache"  # a class attribute, read by grader.diagnosis.variants.contract_of


def without_caches(value: Any, output_spec: dict) -> Any:
    items = (output_spec or {}).get("items") or []
    if not isinstance(value, (tuple, list)) or len(value) != len(items):
        return value
    return tuple(v for spec, v in zip(items, value) if spec.get("kind") != "cache")


def wrong_keys(value: Any, expected: Any) -> bool:
    """A dict that misses some expected keys and has keys of its own instead."""
    if not isinstance(value, dict) or not isinstance(expected, dict):
        return False
    got, want = {str(k) for k in value}, set(expected)
    return bool(want - got) and bool(got - want)


def _stripped(case, value: Any, output_spec: dict) -> tuple:
    """``(case, value)`` with the caches taken out (a forward's), else as they are."""
    if not any(o.get("kind") == "cache" for o in (output_spec or {}).get("items") or ()):
        return case, value
    fields = {f.name: getattr(case, f.name) for f in dataclasses.fields(case)}
    return CacheStyleCase(**{**fields, "expected": without_caches(case.expected, output_spec)}), \
        without_caches(value, output_spec)


def diagnose_cache_style_case(matcher, item_id: str, case, value: Any, output_spec: dict):
    """``matcher.diagnose_case_detail`` on the case with its caches taken out, plus wrong_grad_keys."""
    stripped_case, stripped = _stripped(case, value, output_spec)
    detail = matcher.diagnose_case_detail(item_id, stripped_case, stripped, output_spec)
    if wrong_keys(value, case.expected) and "wrong_grad_keys" not in detail.matched:
        detail = dataclasses.replace(detail, failed=True, matched=tuple(detail.matched) + ("wrong_grad_keys",))
    return detail


_STRIPPED: dict = {}  # id(case) -> (case, its CacheStyleCase): one stripped object per case (tables key on it)


def diagnose_cache_style_returned(matcher, item_id: str, returned: list, remembered, output_spec: dict):
    """``matcher.diagnose_returned`` on cases and values with their caches taken out; a dict under
    other keys than the documented ones adds wrong_grad_keys (to the item and to those cases)."""
    rows, keys = [], []
    for entry in returned:
        case, value, digest = tuple(entry) + (None,) * (3 - len(entry))
        hit = _STRIPPED.get(id(case))
        if hit is None or hit[0] is not case:
            hit = (case, _stripped(case, value, output_spec)[0])
            if len(_STRIPPED) > 4096:
                _STRIPPED.clear()
            _STRIPPED[id(case)] = hit
        rows.append((hit[1], without_caches(value, output_spec), digest))
        keys.append(wrong_keys(value, case.expected))
    found, per_case = matcher.diagnose_returned(item_id, rows, remembered)
    if any(keys):
        per_case = [tuple(m) + (("wrong_grad_keys",) if k and "wrong_grad_keys" not in m else ())
                    for m, k in zip(per_case, keys)]
        if "wrong_grad_keys" not in found.named:
            found = dataclasses.replace(found, named=tuple(found.named) + ("wrong_grad_keys",))
    return found, per_case
