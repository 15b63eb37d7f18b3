"""Cache-style cases and checks in the grader's process: a produced argument's case carries the
producer's inputs and the answer key's cache; a cache is read by its layout (aliasing, None
placeholders, another layout); a backward case's two verdicts give the spec's credit."""
import copy
import sys
from pathlib import Path

import numpy as np
import pytest

from assignments.spec import load_spec
from grader.pipeline.cachecheck import case_credit, check_cache, problem_text
from grader.core.cases import resolve_layout
from grader.messages import render
from grader.pipeline.evaluate import is_placeholder
from grader.model import CaseResult, ItemResult
from grader.pipeline.plan import CaseBook
from grader.sandbox.cachewalk import extract

CACHE_SPEC = Path(__file__).resolve().parents[1] / "cache_spec"


@pytest.fixture(scope="module")
def spec():
    return load_spec(CACHE_SPEC)


@pytest.fixture(scope="module")
def refs():
    sys.path.insert(0, str(CACHE_SPEC))
    import cache_refs

    yield cache_refs
    sys.path.remove(str(CACHE_SPEC))


@pytest.mark.parametrize("item_id", ["step_backward", "seq_backward"])  # a tuple / spliced inputs
def test_a_produced_argument_carries_the_producers_inputs_and_the_keys_cache(spec, refs, item_id):
    book = CaseBook(spec)
    for case in book.cases(spec.item(item_id), hidden_seed=99):
        (p,) = case.produced
        forward = getattr(refs, p.by)
        assert p.input_names == spec.item(p.by).params and len(p.inputs) == len(p.input_names)
        made = forward(*copy.deepcopy(p.inputs))[p.output]
        assert extract(case.args[p.position], p.layout)["leaves"].__len__() == extract(made, p.layout)["leaves"].__len__()
        for a, b in zip(extract(case.args[p.position], p.layout)["leaves"], extract(made, p.layout)["leaves"]):
            assert a["entry"] == b["entry"] and a["steps"] == b["steps"]
            if a["kind"] == "array":
                np.testing.assert_array_equal(a["value"], b["value"])
        expected = getattr(refs, item_id)(*copy.deepcopy(case.args))
        for key, value in expected.items():
            np.testing.assert_array_equal(case.expected[key], value)


def _seq(refs, spec, T=3):
    rng = np.random.default_rng(3)
    x, h0, parameters = refs.seq_inputs({"n_x": 2, "n_h": 3, "m": 2, "T": T}, rng)
    return (x, h0, parameters), resolve_layout(spec.layouts, "seq_caches")


def _aliasing_seq_forward(x, h0, parameters):
    """The survey's bug: the state is a view of the output array, overwritten at the next write."""
    from cache_refs import step_forward

    n_x, m, T = x.shape
    h = np.zeros((h0.shape[0], m, T))
    h[:, :, 0] = h0
    h_next = h[:, :, 0]
    caches = []
    for t in range(T):
        h_next, cache = step_forward(x[:, :, t], h_next, parameters)
        h[:, :, t] = h_next
        caches.append(cache)
    return h, (caches, x)


def test_a_view_overwritten_after_it_was_stored_is_named_with_its_step(spec, refs):
    inputs, layout = _seq(refs, spec)
    ref_h, ref_caches = refs.seq_forward(*copy.deepcopy(inputs))
    h, caches = _aliasing_seq_forward(*copy.deepcopy(inputs))
    np.testing.assert_allclose(h, ref_h)  # the outputs are right
    found = check_cache(extract(caches, layout, {"h": h}), ref_caches, layout, 1e-6, 1e-8)
    assert found["follows"] and found["problem"]["entry"] == "h_prev" and found["problem"]["step"] == 0
    assert found["problem"]["what"] == "overwritten"
    assert [render(s, "en") for s in found["problem"]["shares"]] == ["output h"]
    assert render(problem_text(found["problem"]), "en") == (
        " at step 0: `h_prev` was overwritten after it was stored (it shares memory with output h)")
    assert render(problem_text(found["problem"]), "zh") == "（第 0 步）：`h_prev` 在存入之后被覆盖了（它与 输出 h 共用内存）"


def test_a_correct_cache_passes_although_steps_share_arrays(spec, refs):
    """h_next of step t is h_prev of step t+1 (the same array): sharing alone is no corruption."""
    inputs, layout = _seq(refs, spec)
    h, caches = refs.seq_forward(*copy.deepcopy(inputs))
    got = extract(caches, layout, {"h": h})
    assert "step 1 h_prev" in [render(s, "en") for s in got["leaves"][0]["shares"]]
    assert check_cache(got, refs.seq_forward(*copy.deepcopy(inputs))[1], layout, 1e-6, 1e-8) == {
        "follows": True, "why": "", "problem": None}


def test_a_none_placeholder_and_other_layouts(spec, refs):
    inputs, layout = _seq(refs, spec)
    h, (steps, x) = refs.seq_forward(*copy.deepcopy(inputs))
    ref = refs.seq_forward(*copy.deepcopy(inputs))[1]
    steps_with_none = list(steps)
    steps_with_none[2] = (steps[2][0], steps[2][1], None, steps[2][3])
    found = check_cache(extract((steps_with_none, x), layout), ref, layout, 1e-6, 1e-8)
    assert found["problem"]["what"] == "none" and found["problem"]["step"] == 2
    assert render(problem_text(found["problem"]), "en") == " at step 2: `xt` is None (a template placeholder left in?)"
    for value, en, zh in [
        ({"caches": steps}, "a dict, not a tuple of 2 entries (caches, x)", "dict，而不是含 2 个条目（caches, x）的 tuple"),
        ((steps[:2], x), "a list of 2 caches, not 3", "含 2 个缓存的列表，而不是 3 个"),
        ((steps, x, x), "a tuple of 3 entries, not 2 (caches, x)", "含 3 个条目的 tuple，而不是 2 个（caches, x）"),
    ]:
        found = check_cache(extract(value, layout), ref, layout, 1e-6, 1e-8)
        assert found["follows"] is False and found["problem"] is None
        assert (render(found["why"], "en"), render(found["why"], "zh")) == (en, zh)


@pytest.mark.parametrize("ref_passed, own, earned", [
    (True, {"passed": True, "follows": True}, 1.0),
    (True, {"passed": False, "follows": True}, 0.8),
    (False, {"passed": True, "follows": True}, 0.2),
    (True, {"passed": False, "follows": None}, 0.8),      # the student's forward made no cache
    (False, {"passed": True, "follows": False}, 1.0),     # another layout: only the chain counts
    (True, {"passed": False, "follows": False}, 0.0),
])
def test_credit_of_one_backward_case(ref_passed, own, earned):
    assert case_credit({"reference_cache": 0.8, "own_cache": 0.2}, ref_passed, own) == pytest.approx(earned)


def test_an_items_score_sums_the_credit_of_its_cases():
    cases = [CaseResult("public-0", "public", False, "failed", credit=0.8),
             CaseResult("hidden-0", "hidden", True, "passed", credit=1.0),
             CaseResult("hidden-1", "hidden", False, "failed", credit=0.2)]
    item = ItemResult("seq_backward", "code", 15.0, "partial", cases=cases)
    assert item.auto_score == pytest.approx(15.0 * 2.0 / 3)
    assert "credit" in cases[0].to_dict() and "credit" not in CaseResult("a", "public", True, "passed").to_dict()


@pytest.mark.parametrize("value, placeholder", [
    (None, True), ((None, None, {"cache_extract": {"follows": True}}), True), ({"dx": None, "da0": None}, True),
    ((np.zeros(2), None), False), ({}, False), ((), False)])
def test_template_placeholders(value, placeholder):
    assert is_placeholder(value) is placeholder


def test_the_own_chain_message_of_a_hidden_case_quotes_no_expected_value(spec):
    from types import SimpleNamespace

    from grader.pipeline.cachecheck import own_chain

    book = CaseBook(spec)
    case = next(c for c in book.cases(spec.item("step_backward"), hidden_seed=3) if c.visibility == "hidden")
    wrong = {k: v + 1.0 for k, v in case.expected.items()}
    outcome = SimpleNamespace(status="ok", value=wrong, produced=None, message="")
    verdict = own_chain(spec.item("step_backward"), case, case.produced[0], outcome)
    assert verdict["passed"] is False
    assert render(verdict["message"], "en").startswith("dxt: values differ (max abs error 1.0e+00)")
    assert "expected" not in render(verdict["message"], "en")
