"""Does every buggy variant differ from the answer key, and does the matcher name exactly its mistake?"""
from __future__ import annotations

import copy

import numpy as np
import pytest

import solutions
from grader.diagnosis.diagnose import diagnose_case
from grader.diagnosis.matching import same_outputs
from grader.diagnosis.mistakes import INDISTINGUISHABLE, MISTAKES
from grader.diagnosis.variants import BUGGY_FUNCTIONS, all_variants, variants_for
from solutions import gru as gru_key
from tests.diagnosis.cases_support import OUTPUT_SPECS, SHAPE_IDS, SHAPES, make_case, run

NUMERIC = all_variants("numbers")


def expected_ids(item: str, bug: str) -> list[str]:
    """[the variant's mistake], or the mistakes of the documented set of variants (``mistake[:form]``)
    it cannot be told apart from on ``item``, in catalogue order."""
    for group in INDISTINGUISHABLE.get(item, ()):
        if bug in group:
            return [m for m in MISTAKES if any(b.split(":")[0] == m for b in group)]
    return [bug.split(":")[0]]


@pytest.mark.parametrize("item", sorted(BUGGY_FUNCTIONS))
@pytest.mark.parametrize("shape", SHAPES, ids=SHAPE_IDS)
def test_without_a_bug_the_buggy_functions_compute_the_answer_key(item, shape):
    """Is the only difference between a variant and the answer key its bug?"""
    case = make_case(item, shape, seed=7)
    assert same_outputs(run(BUGGY_FUNCTIONS[item], case), case.expected, 1e-12, 1e-12)


@pytest.mark.parametrize("variant", NUMERIC, ids=lambda v: f"{v.item}-{v.bug}")
def test_each_variant_differs_from_the_key_and_is_diagnosed_as_its_mistake(variant):
    """On every generated case where the variant differs from the key, is its output diagnosed as
    exactly its mistake (or the documented indistinguishable set), and never where it does not differ?"""
    differed = 0
    for k, shape in enumerate(SHAPES):
        case = make_case(variant.item, shape, seed=100 + k)
        out = run(variant, case)
        found = diagnose_case(variant.item, case, out, OUTPUT_SPECS[variant.item])
        if same_outputs(out, case.expected, case.rtol, case.atol):
            assert found == []
        else:
            differed += 1
            assert found == expected_ids(variant.item, variant.bug)
    assert differed >= 2, f"{variant} differs from the answer key on {differed} of {len(SHAPES)} shapes"


def test_every_mistake_has_a_variant_for_every_function_it_lists():
    for mistake in MISTAKES.values():
        for item in mistake.items:
            assert item in BUGGY_FUNCTIONS
            assert any(v.mistake == mistake.id for v in variants_for(item, detected_by=None))


def test_every_mistake_of_the_brief_is_in_the_catalogue():
    wanted = {
        "concat_x_first", "no_tanh_on_c", "candidate_sigmoid", "gate_activation_swapped", "dc_missing_dh_path",
        "double_tanh_candidate", "missing_sigmoid_derivative", "no_dh_accumulation", "no_dc_carry",
        "overwrite_param_grads", "bias_grad_axis", "h0_zeros", "gru_z_swapped", "gru_reset_after",
        "softmax_axis", "residual_missing_identity", "clip_per_tensor", "no_bptt_carry", "state_aliasing",
        "uses_notebook_globals", "weights_from_gradients", "missing_gate_derivative",
    }
    assert wanted <= set(MISTAKES)


@pytest.mark.parametrize("item", ["gru_cell_forward", "gru_cell_backward", "gru_forward", "gru_backward"])
def test_reset_after_variant_agrees_with_the_answer_keys_reset_after_convention(item):
    """An independent oracle: solutions.gru implements PyTorch's reset-after form too."""
    case = make_case(item, SHAPES[0], seed=3)
    ours = BUGGY_FUNCTIONS[item](*copy.deepcopy(case.args), bug={"gru_reset_after"})
    key = getattr(gru_key, item)(*copy.deepcopy(case.args), variant="reset_after")
    assert same_outputs(ours, key, 1e-10, 1e-12)


def test_bias_grad_axis_keeps_the_values_and_loses_the_shape():
    case = make_case("lstm_cell_backward", SHAPES[0], seed=5)
    out = BUGGY_FUNCTIONS["lstm_cell_backward"](*copy.deepcopy(case.args), bug={"bias_grad_axis:no_keepdims"})
    assert out["dbf"].shape == (5,)
    np.testing.assert_allclose(out["dbf"], case.expected["dbf"][:, 0], rtol=1e-12)


def test_state_aliasing_shifts_the_stored_cell_states_but_not_h_or_y():
    case = make_case("lstm_forward", SHAPES[0], seed=5)
    h, y, c = BUGGY_FUNCTIONS["lstm_forward"](*copy.deepcopy(case.args), bug={"state_aliasing:shifted"})
    h_ref, y_ref, c_ref = case.expected
    np.testing.assert_allclose(h, h_ref, rtol=1e-12)
    np.testing.assert_allclose(y, y_ref, rtol=1e-12)
    np.testing.assert_allclose(c[:, :, :-1], c_ref[:, :, 1:], rtol=1e-12)  # c[t] holds c_{t+1}
    np.testing.assert_allclose(c[:, :, -1], c_ref[:, :, -1], rtol=1e-12)


def test_overwritten_gradients_are_those_of_step_zero_alone():
    """Independent check with the answer key: step 0's parameter gradients are those of a one-step
    sequence fed with the full upstream gradient that reaches step 0."""
    case = make_case("residual_rnn_backward", SHAPES[0], seed=9)
    dh, x, h0, params = copy.deepcopy(case.args)
    out = BUGGY_FUNCTIONS["residual_rnn_backward"](dh, x, h0, params, bug={"overwrite_param_grads"})
    # the gradient reaching h_0 (output of step 0) = dh[..., 0] + what flows back from step 1
    later = solutions.residual_rnn_backward(dh[:, :, 1:], x[:, :, 1:], solutions.residual_rnn_forward(
        x[:, :, :1], h0, params)[:, :, 0], params)["dh0"]
    dh_first = (dh[:, :, 0] + later)[:, :, None]
    step0 = solutions.residual_rnn_backward(dh_first, x[:, :, :1], h0, params)
    for key in ("dU", "dW", "db"):
        np.testing.assert_allclose(out[key], step0[key], rtol=1e-10, atol=1e-12)


def test_a_buggy_function_not_listed_as_composable_gets_one_mistake_as_a_string(monkeypatch):
    """A buggy implementation written the one-mistake way (``bug == "..."``), as a new assignment's may
    be, is called with a string and gets no combinations."""
    from grader.diagnosis import variants

    seen = []
    monkeypatch.setitem(variants.BUGGY_FUNCTIONS, "new_function", lambda *args, bug=None: seen.append(bug))
    variants.call_buggy("new_function", ("some_mistake",), ())
    assert seen == ["some_mistake"]
    assert variants.pairs_for("new_function") == []
    with pytest.raises(ValueError, match="one mistake at a time"):
        variants.call_buggy("new_function", ("a", "b"), ())
