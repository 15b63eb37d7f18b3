"""The case book shares the public cases between students (the same objects, so what is remembered
about them serves the class) and never gives one student's consistency plan to another."""
import pytest

from assignments.spec import load_spec
from grader.pipeline.plan import CaseBook


@pytest.fixture(scope="module")
def book():
    return CaseBook(load_spec("nndl-ch6"))


def test_public_cases_are_the_same_objects_for_every_seed_and_hidden_ones_are_not(book):
    item = book.spec.item("lstm_backward")
    alice, bob = book.cases(item, 111), book.cases(item, 222)
    public = [c for c in alice if c.visibility == "public"]
    assert public and all(a is b for a, b in zip(public, [c for c in bob if c.visibility == "public"]))
    hidden_a = [c for c in alice if c.visibility == "hidden"]
    hidden_b = [c for c in bob if c.visibility == "hidden"]
    assert [c.case_id for c in hidden_a] == [c.case_id for c in hidden_b]
    assert all((a.args[0] != b.args[0]).any() for a, b in zip(hidden_a, hidden_b))
    assert [c.case_id for c in alice] == [f"public-{k}" for k in range(item.public)] + [
        f"hidden-{k}" for k in range(item.hidden)]


def test_a_consistency_plan_belongs_to_its_case_object(book):
    backward, forward = book.spec.item("lstm_backward"), book.spec.item("lstm_forward")
    alice, bob = book.cases(backward, 111), book.cases(backward, 222)
    hidden_a = next(c for c in alice if c.visibility == "hidden")
    hidden_b = next(c for c in bob if c.visibility == "hidden" and c.case_id == hidden_a.case_id)
    plan_a = book._consistency_plan(backward, forward, hidden_a)
    plan_b = book._consistency_plan(backward, forward, hidden_b)
    assert plan_a is not plan_b
    # each plan moves its own student's inputs
    assert plan_a.calls[0][2][0] is not plan_b.calls[0][2][0]
    assert book._consistency_plan(backward, forward, hidden_b) is plan_b
