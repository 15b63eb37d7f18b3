"""Can a case tell a mistake from the truth? The single-mistake buggy variants of a function
(grader/diagnosis/variants.py) run on a case's inputs; a variant whose every output is within the
case's tolerance of the answer key's (``|got − expected| ≤ atol + rtol·|expected|``) is *undetected*
there: a student who made that mistake would pass that case.

Used by the tests that prove the generators discriminate (tests/assignments/test_case_discrimination.py)
and by ``benchmarks/weak_cases.py``, which reports the weak cases of an assignment.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass

from grader.diagnosis.cache_style import without_caches
from grader.diagnosis.matching import leaf_matches, leaves
from grader.diagnosis.variants import CACHE_STYLE_FUNCTIONS, contract_of, variants_for
from grader.pipeline.plan import CaseBook


@dataclass(frozen=True)
class Undetected:
    item: str
    case_id: str
    label: str
    bug: str  # the variant's ``mistake[:form]``


def undetected_on(item, case) -> list[Undetected]:
    """The single-mistake variants of ``item`` (an ItemSpec) whose outputs on ``case`` all pass."""
    contract = contract_of(case)
    if contract == "cache" or (item.id in CACHE_STYLE_FUNCTIONS and _has_cache_output(item)):
        contract = "cache"
    expected = without_caches(case.expected, item.output_spec) if contract == "cache" else case.expected
    out = []
    for variant in variants_for(item.id, contract=contract):
        try:
            got = variant(*copy.deepcopy(case.args))
        except Exception:  # a variant that raises fails the case
            continue
        free = set(variant.free)
        if all(leaf_matches(g, e, case.rtol, case.atol)
               for path, g, e in leaves(got, expected) if not (path and path[0] in free)):
            out.append(Undetected(item.id, case.case_id, case.label, variant.bug))
    return out


def _has_cache_output(item) -> bool:
    return any(o.get("kind") == "cache" for o in (item.output_spec or {}).get("items") or ())


def undetected_in(spec, item, hidden_seeds) -> list[Undetected]:
    """Every undetected (variant, case) of ``item``: its public cases, and its hidden cases for each
    seed of ``hidden_seeds`` (case ids of hidden cases carry the seed: ``hidden-2@17``)."""
    book = CaseBook(spec, public_only=False)
    out = []
    public = book.public_cases(item)
    for case in public:
        out += undetected_on(item, case)
    for seed in hidden_seeds:
        for case in book.cases(item, seed)[len(public):]:
            out += [Undetected(u.item, f"{u.case_id}@{seed}", u.label, u.bug) for u in undetected_on(item, case)]
    return out
