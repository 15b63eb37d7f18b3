"""Do the built-in assignment's code items build cases that the answer key passes, and is each of its
backward items consistent with its forward?"""
from __future__ import annotations

import copy

import pytest

from assignments.spec.loader import load_spec
from grader.core.cases import build_cases
from grader.checking.compare import check_returned
from grader.checking.consistency import evaluate_consistency, plan_consistency

SPEC = load_spec("nndl-ch6")
CODE_ITEMS = [it.id for it in SPEC.items_of("code")]


@pytest.mark.parametrize("item_id", CODE_ITEMS)
def test_the_answer_key_passes_every_case_of_the_builtin_spec(item_id):
    item = SPEC.item(item_id)
    reference = SPEC.resolve(item.reference)
    cases = build_cases(item, reference, None, SPEC.seed, SPEC.seed + 1)
    assert len(cases) == item.public + item.hidden
    labels = {c.label for c in cases if c.visibility == "hidden"}
    if item.hidden >= len(item.shapes):  # hidden cases reach every shape, the edge ones included
        assert len(labels) == len(item.shapes)
    for case in cases:
        checks = check_returned(reference(*copy.deepcopy(case.args)), case.expected, item.output_spec,
                                case.rtol, case.atol)
        assert all(c["passed"] for c in checks), (case.case_id, checks)


@pytest.mark.parametrize("item_id", [i for i in CODE_ITEMS if SPEC.item(i).consistency])
def test_each_builtin_backward_is_consistent_with_its_forward(item_id):
    item = SPEC.item(item_id)
    forward = SPEC.item(item.consistency["forward"])
    backward_fn, forward_fn = SPEC.resolve(item.reference), SPEC.resolve(forward.reference)
    case = build_cases(item, backward_fn, None, SPEC.seed, None)[0]
    plan = plan_consistency(item, forward, case)
    values = {suffix: forward_fn(*copy.deepcopy(args)) for suffix, _, args in plan.calls}
    result = evaluate_consistency(plan, backward_fn(*copy.deepcopy(case.args)), values)
    assert result["verdict"] == "consistent", result
    assert set(result["tensors"]) == set(item.output_spec["keys"])
