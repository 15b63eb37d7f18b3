"""The matcher on cache-style items (a forward returns a cache, a backward takes it).

A forward's cache never comes back from the sandbox (only its extract by the layout, checked in
grader/cachecheck.py), so the matcher compares the other outputs: the cache is taken out of the
student's value and of the case's expected value, and the buggy variants
(grader/diagnosis/buggy/rnn_step.py) return none. A dict of gradients under other keys than the documented ones is
``wrong_grad_keys``. When no single mistake explains a failing case, pairs of mistakes are tried
(a backward that both forgets the carry and drops a σ′ is common in real notebooks); a pair that
reproduces the outputs reports both.
"""
from __future__ import annotations

import copy
import dataclasses
import itertools
import threading
import warnings
from collections import OrderedDict
from typing import Any

import numpy as np

from grader.checking.cases import Case


@dataclasses.dataclass(frozen=True)
class CacheStyleCase(Case):
    """A case of the cache-style contract whose expected value has its caches taken out."""

    contract = "cache"  # a class attribute, read by grader.diagnosis.variants.contract_of


def _without_caches(value: Any, output_spec: dict) -> Any:
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


def diagnose_cache_style_case(matcher, item_id: str, case, value: Any, output_spec: dict):
    """``matcher.diagnose_case_detail`` on the case with its caches taken out, plus wrong_grad_keys."""
    stripped = _without_caches(value, output_spec)
    if any(o.get("kind") == "cache" for o in (output_spec or {}).get("items") or ()):
        fields = {f.name: getattr(case, f.name) for f in dataclasses.fields(case)}
        case = CacheStyleCase(**{**fields, "expected": _without_caches(case.expected, output_spec)})
    detail = matcher.diagnose_case_detail(item_id, case, stripped, output_spec)
    if detail.failed and not detail.matched:
        pair = matching_pair(item_id, case, stripped)
        if pair:
            detail = dataclasses.replace(detail, matched=pair)
    if wrong_keys(value, case.expected) and "wrong_grad_keys" not in detail.matched:
        detail = dataclasses.replace(detail, failed=True, matched=tuple(detail.matched) + ("wrong_grad_keys",))
    return detail


_PAIRS: OrderedDict = OrderedDict()  # (item, case inputs, tolerance) -> [(mistakes, output)]
_PAIRS_LOCK = threading.Lock()
_PAIRS_MAX = 512


def _pair_outputs(item_id: str, case) -> list:
    """The outputs of every pair of two different mistakes' variants on the case's inputs, those that
    differ from the reference; cached per case inputs (public cases are everyone's)."""
    from grader.diagnosis.matching import digest, same_outputs
    from grader.diagnosis.variants import CACHE_STYLE_FUNCTIONS, variants_for

    key = (item_id, digest(case.args), float(case.rtol), float(case.atol))
    with _PAIRS_LOCK:
        hit = _PAIRS.get(key)
    if hit is not None:
        return hit
    function = CACHE_STYLE_FUNCTIONS.get(item_id)
    found = []
    if function is not None:
        variants = variants_for(item_id, contract="cache")
        for a, b in itertools.combinations(variants, 2):
            if a.mistake == b.mistake:
                continue
            try:
                with warnings.catch_warnings(), np.errstate(all="ignore"):
                    warnings.simplefilter("ignore")
                    out = function(*copy.deepcopy(tuple(case.args)), bug=f"{a.bug}+{b.bug}")
            except Exception:
                continue
            if not same_outputs(out, case.expected, case.rtol, case.atol):
                found.append(((a.mistake, b.mistake), out))
    with _PAIRS_LOCK:
        _PAIRS[key] = found
        while len(_PAIRS) > _PAIRS_MAX:
            _PAIRS.popitem(last=False)
    return found


def matching_pair(item_id: str, case, value: Any) -> tuple:
    """The two mistakes (catalogue order) whose combined variant reproduces ``value``, or ()."""
    from grader.diagnosis.matching import same_outputs
    from grader.diagnosis.mistakes import MISTAKES

    order = list(MISTAKES)
    for mistakes, out in _pair_outputs(item_id, case):
        if same_outputs(value, out, case.rtol, case.atol, reshape="bias_grad_axis" in mistakes):
            return tuple(sorted(mistakes, key=order.index))
    return ()
