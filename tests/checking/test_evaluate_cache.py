"""Remembered verdicts: a value seen before on a case gets exactly the checks a fresh check gives,
in objects of its own; the digest that keys them tells apart every value a check could tell apart."""
import numpy as np
import pytest

from assignments.spec import load_spec
from grader.core.digest import value_digest
from grader.messages import render
from grader.checking.compare import check_returned
from grader.pipeline.evaluate import evaluate_case, evaluate_code_item
from grader.model import OutputCheck
from grader.pipeline.plan import CaseBook, call_id
from grader.sandbox import CallOutcome
from grader.sandbox.wire import Foreign


@pytest.fixture(scope="module")
def plans():
    spec = load_spec("nndl-ch6")
    book = CaseBook(spec, call_timeout=1.0)
    return {p.item.id: p for p in book.plan(book.default_hidden_seed)}


def test_equal_values_share_a_digest_and_any_difference_changes_it():
    a = np.arange(12.0).reshape(3, 4)
    value = (a, {"dW": a.T, "db": np.zeros((3, 1))}, 2.5)
    same = (a.copy(), {"dW": a.T.copy(), "db": np.zeros((3, 1))}, 2.5)
    assert value_digest(value) == value_digest(same)
    others = [
        (a.astype(np.float32), value[1], 2.5),                       # dtype
        (a.reshape(4, 3), value[1], 2.5),                            # shape
        (np.where(a == 11, np.nextafter(11.0, 12.0), a), value[1], 2.5),  # one bit of one number
        (a, {"db": np.zeros((3, 1)), "dW": a.T}, 2.5),               # key order
        (a, {"dW": a.T, "db": np.zeros((3, 1))}, 2),                 # int for float
        [a, {"dW": a.T, "db": np.zeros((3, 1))}, 2.5],               # list for tuple
        (a, {"dW": a.T, "db": np.zeros((3, 1))}, 2.5, None),         # one more element
        ((a,), {"dW": a.T, "db": np.zeros((3, 1))}, 2.5),            # nesting
    ]
    digests = {value_digest(v) for v in others}
    assert value_digest(value) not in digests and len(digests) == len(others)
    assert value_digest((a, Foreign("Tensor", "tensor(...)", None))) is None
    assert value_digest({1: a}) is None


def _fresh_outputs(plan, case, value):
    return [OutputCheck(**{k: c.get(k) for k in OutputCheck.__dataclass_fields__})
            for c in check_returned(value, case.expected, plan.item.output_spec, case.rtol, case.atol)]


@pytest.mark.parametrize("item", ["lstm_cell_forward", "gru_backward", "clip_by_global_norm"])
def test_a_value_seen_before_gets_the_checks_of_a_fresh_check_in_objects_of_its_own(plans, item):
    plan = plans[item]
    case = plan.cases[0]
    for value in (case.expected, _wrong(case.expected)):
        first = evaluate_case(plan, case, CallOutcome("ok", value))
        again = evaluate_case(plan, case, CallOutcome("ok", value))
        assert first.to_dict() == again.to_dict()
        assert first.outputs == _fresh_outputs(plan, case, value)
        assert first.passed is (value is case.expected)
        assert all(a is not b for a, b in zip(first.outputs, again.outputs))
        assert first.input_shapes is not again.input_shapes
        again.outputs[0].message = "changed"
        again.input_shapes["extra"] = [1]
        assert evaluate_case(plan, case, CallOutcome("ok", value)).to_dict() == first.to_dict()


def test_an_item_whose_cases_all_pass_reports_every_case(plans):
    plan = plans["lstm_cell_forward"]
    outcomes = {call_id(plan.item.id, c.case_id): CallOutcome("ok", c.expected) for c in plan.cases}
    result = evaluate_code_item(plan, outcomes, consistency=False)
    assert result.status == "passed"
    assert [c.case_id for c in result.cases] == [c.case_id for c in plan.cases]
    assert render(result.message, "en") == f"{len(plan.cases)}/{len(plan.cases)} cases passed."


def _wrong(value):
    if isinstance(value, np.ndarray):
        return value + 1.0
    if isinstance(value, tuple):
        return tuple(_wrong(v) for v in value)
    if isinstance(value, dict):
        return {k: _wrong(v) for k, v in value.items()}
    return value + 1.0
