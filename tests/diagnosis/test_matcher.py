"""Is the matcher precise: correct code never diagnosed, contradictions dropped, failures contained?"""
from __future__ import annotations

import copy
import importlib.util
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import assignments
from grader.diagnosis import diagnose as diagnose_module
from grader.diagnosis.diagnose import (
    CaseDiagnosis, clear_cache, diagnose_case, diagnose_case_detail, diagnose_item,
)
from grader.diagnosis.variants import BUGGY_FUNCTIONS, Variant
from grader.sandbox.wire import Foreign
from tests.diagnosis.cases_support import OUTPUT_SPECS, SHAPES, make_case, run

ITEMS = sorted(BUGGY_FUNCTIONS)


def _load_model_solution():
    """The repository's student-style model solution, imported as a module (our own file)."""
    path = Path(assignments.__file__).parent / "nndl_ch6" / "solution.py"
    spec = importlib.util.spec_from_file_location("nndl_ch6_model_solution", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MODEL_SOLUTION = _load_model_solution()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    item=st.sampled_from(ITEMS),
    n_x=st.integers(1, 4), n_h=st.integers(1, 5), n_y=st.integers(1, 3), m=st.integers(1, 5),
    T=st.integers(1, 5), scale=st.sampled_from([0.3, 1.0, 30.0]), seed=st.integers(0, 2**32 - 1),
)
def test_correct_code_is_never_diagnosed(item, n_x, n_h, n_y, m, T, scale, seed):
    """Neither the answer key's output nor that of the student-style model solution (another correct
    implementation, other rounding) gets a diagnosis, whatever the shapes and seeds."""
    shape = {"n_x": n_x, "n_h": n_h, "n_y": n_y, "m": m, "T": T, "scale": scale}
    case = make_case(item, shape, seed)
    assert diagnose_case(item, case, copy.deepcopy(case.expected), OUTPUT_SPECS[item]) == []
    student = run(getattr(MODEL_SOLUTION, item), case)
    assert diagnose_case(item, case, student, OUTPUT_SPECS[item]) == []


def _perturb(value, rel):
    if isinstance(value, dict):
        return {k: _perturb(v, rel) for k, v in value.items()}
    if isinstance(value, tuple):
        return tuple(_perturb(v, rel) for v in value)
    return np.asarray(value) * (1.0 + rel)


@pytest.mark.parametrize("item", ITEMS)
def test_a_correct_answer_with_rounding_noise_is_not_diagnosed(item):
    case = make_case(item, SHAPES[0], seed=11)
    assert diagnose_case(item, case, _perturb(case.expected, 0.1 * case.rtol)) == []


@pytest.mark.parametrize("item", ITEMS)
def test_a_wrong_answer_no_mistake_explains_is_not_diagnosed(item):
    """Is a failing output that is none of the catalogued mistakes left without a diagnosis?"""
    case = make_case(item, SHAPES[0], seed=12)
    detail = diagnose_case_detail(item, case, _perturb(case.expected, 0.01))
    assert detail.failed and detail.matched == ()


def test_a_failing_case_where_the_variant_differs_but_does_not_match_contradicts_the_mistake():
    variant = Variant("no_dh_accumulation", "residual_rnn_backward")
    a = make_case("residual_rnn_backward", SHAPES[0], seed=1, case_id="public-0")
    one_step = make_case("residual_rnn_backward", SHAPES[2], seed=2, case_id="public-1")  # T = 1
    b = make_case("residual_rnn_backward", SHAPES[1], seed=3, case_id="hidden-0")
    matched_a = diagnose_case_detail("residual_rnn_backward", a, run(variant, a))
    assert matched_a.matched == ("no_dh_accumulation",)
    # With T = 1 nothing flows through time: the variant equals the key there and says nothing.
    wrong_one_step = diagnose_case_detail("residual_rnn_backward", one_step, _perturb(one_step.expected, 0.01))
    assert wrong_one_step.failed and "no_dh_accumulation" not in wrong_one_step.applicable
    assert diagnose_item("residual_rnn_backward", [matched_a, wrong_one_step]) == ["no_dh_accumulation"]
    # A failing case where the variant differs from the key and does not match: contradicted.
    wrong_b = diagnose_case_detail("residual_rnn_backward", b, _perturb(b.expected, 0.01))
    assert "no_dh_accumulation" in wrong_b.applicable
    assert diagnose_item("residual_rnn_backward", [matched_a, wrong_one_step, wrong_b]) == []


def test_diagnose_item_takes_case_and_value_pairs_and_ignores_passing_cases():
    variant = Variant("h0_zeros", "gru_forward")
    a = make_case("gru_forward", SHAPES[0], seed=21)
    passing = make_case("gru_forward", SHAPES[1], seed=22, case_id="public-1")
    assert diagnose_item("gru_forward", [(a, run(variant, a)), (passing, passing.expected)]) == ["h0_zeros"]
    assert diagnose_item("gru_forward", [(passing, passing.expected)]) == []


def test_diagnose_item_says_what_it_takes():
    with pytest.raises(TypeError, match="CaseDiagnosis objects"):
        diagnose_item("gru_forward", ["public-0"])


def test_a_bias_gradient_of_shape_n_h_is_matched_after_reshaping():
    case = make_case("gru_cell_backward", SHAPES[0], seed=31)
    out = BUGGY_FUNCTIONS["gru_cell_backward"](*copy.deepcopy(case.args), bug={"bias_grad_axis:no_keepdims"})
    assert out["dbz"].shape == (5,)
    assert diagnose_case("gru_cell_backward", case, out) == ["bias_grad_axis"]


def test_foreign_values_from_the_sandbox_are_compared_by_their_array_data():
    variant = Variant("residual_missing_identity", "residual_rnn_step_jacobian")
    case = make_case("residual_rnn_step_jacobian", SHAPES[0], seed=41)
    data = run(variant, case)
    returned = Foreign(type_name="numpy.matrix", repr="matrix(...)", array=data)
    assert diagnose_case("residual_rnn_step_jacobian", case, returned) == ["residual_missing_identity"]


def test_non_numeric_or_missing_outputs_are_not_diagnosed():
    case = make_case("lstm_cell_forward", SHAPES[0], seed=51)
    assert diagnose_case("lstm_cell_forward", case, None) == []
    assert diagnose_case("lstm_cell_forward", case, ("h", "c", "y")) == []
    assert diagnose_case("lstm_cell_forward", case, case.expected[:2]) == []


def test_a_variant_that_raises_on_the_inputs_is_skipped():
    case = make_case("lstm_cell_forward", SHAPES[0], seed=61)
    xt, h_prev, c_prev, params = case.args
    broken = dict(params)
    del broken["Wy"]  # every variant raises a KeyError here
    bad_case = type(case)(case.item, "public-9", "public", "", (xt, h_prev, c_prev, broken), case.arg_names,
                          case.expected, case.rtol, case.atol)
    assert diagnose_case("lstm_cell_forward", bad_case, _perturb(case.expected, 0.01)) == []


def test_variant_outputs_are_computed_once_per_case_inputs(monkeypatch):
    clear_cache()
    calls = []
    original = BUGGY_FUNCTIONS["clip_by_global_norm"]

    def counting(*args, **kwargs):
        calls.append(kwargs["bug"])
        return original(*args, **kwargs)

    monkeypatch.setitem(BUGGY_FUNCTIONS, "clip_by_global_norm", counting)
    first = make_case("clip_by_global_norm", SHAPES[0], seed=71)
    same_inputs = make_case("clip_by_global_norm", SHAPES[0], seed=71, case_id="public-0")
    wrong = _perturb(first.expected, 0.01)
    diagnose_case("clip_by_global_norm", first, wrong)
    diagnose_case("clip_by_global_norm", same_inputs, wrong)
    assert calls == [frozenset({"clip_per_tensor"})]
    clear_cache()


def test_a_case_of_another_function_is_refused():
    case = make_case("gru_forward", SHAPES[0], seed=81)
    with pytest.raises(ValueError, match="belongs to 'gru_forward', not 'lstm_forward'"):
        diagnose_case("lstm_forward", case, _perturb(case.expected, 0.01))


def test_case_diagnosis_of_a_passing_case_is_empty():
    case = make_case("lstm_forward", SHAPES[0], seed=91)
    assert diagnose_case_detail("lstm_forward", case, case.expected) == CaseDiagnosis("public-0", False)
    assert diagnose_module.SHAPE_TOLERANT == {"bias_grad_axis"}
