"""An item's cases built from the spec: its reference and generator resolved, then public (and hidden) cases.

Shared by the release step (which writes the cases) and the spec validator (which checks that an item
with produced arguments makes a case).
"""
from __future__ import annotations

from typing import Optional

from assignments.spec.model import Spec
from grader.core.cases import build_cases, producers_of, resolve_generator


def code_item_parts(spec: Spec, item):
    """``(reference, generator)`` callables of a code item (built-in generator or ``module:function``)."""
    reference = spec.resolve(item.reference)
    name = item.generator or item.id
    generator = spec.resolve(name) if ":" in name else resolve_generator(name)
    return reference, generator


def build_item_cases(spec: Spec, hidden_seed: Optional[int]) -> dict:
    """``{item id: [Case]}`` for every code item: public cases, plus hidden ones when a seed is given."""
    cases = {}
    for item in spec.items_of("code"):
        reference, generator = code_item_parts(spec, item)
        producers = producers_of(spec, item, lambda by: spec.resolve(by.reference))
        cases[item.id] = build_cases(item, reference, generator, spec.seed, hidden_seed, producers=producers)
    return cases
