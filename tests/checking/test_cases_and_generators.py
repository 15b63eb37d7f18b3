"""Are cases deterministic, shared for public and per-student for hidden, and do the generators give
every contract function valid, fresh, float64 inputs?"""
from __future__ import annotations

import copy
import subprocess
import sys
import warnings

import numpy as np
import pytest

import solutions
from grader.core.cases import build_cases, case_seed
from grader.checking.compare import check_returned
from grader.core.generators import GENERATORS

from tests.checking.items_support import ITEM_IDS, item

PARAM_KEYS = {
    "lstm": {"Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo", "bo", "Wy", "by"},
    "gru": {"Wz", "bz", "Wr", "br", "Wh", "bh", "Wy", "by"},
    "residual": {"U", "W", "b"},
}


def leaves(value):
    """Every ndarray inside a tuple/dict of arguments."""
    if isinstance(value, np.ndarray):
        return [value]
    if isinstance(value, dict):
        return [a for v in value.values() for a in leaves(v)]
    if isinstance(value, (tuple, list)):
        return [a for v in value for a in leaves(v)]
    return []


def same(a, b) -> bool:
    la, lb = leaves(a), leaves(b)
    return len(la) == len(lb) and all(x.shape == y.shape and np.array_equal(x, y) for x, y in zip(la, lb))


def test_every_contract_function_has_a_generator_of_its_name():
    assert sorted(GENERATORS) == sorted(ITEM_IDS)


def test_case_seed_is_a_stable_64_bit_value_across_processes():
    here = [case_seed(20201, "lstm_cell_forward", k) for k in range(3)]
    code = ("from grader.core.cases import case_seed; "
            "print([case_seed(20201, 'lstm_cell_forward', k) for k in range(3)])")
    there = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert str(here) == there.strip()
    assert len(set(here)) == 3 and all(0 <= s < 2**64 for s in here)
    assert case_seed(20201, "lstm_cell_forward", 0) != case_seed(20201, "lstm_cell_backward", 0)
    assert case_seed(20201, "gru_forward", 0) != case_seed(20202, "gru_forward", 0)
    # an HMAC-sized per-student seed is taken as it is
    assert case_seed(2**255 + 7, "gru_forward", 0) != case_seed(7, "gru_forward", 0)


@pytest.mark.parametrize("item_id", ITEM_IDS)
def test_cases_are_deterministic_and_expected_is_the_reference_output(item_id):
    spec = item(item_id)
    reference = getattr(solutions, item_id)
    first = build_cases(spec, reference, None, public_seed=20201, hidden_seed=99)
    again = build_cases(spec, reference, GENERATORS[item_id], public_seed=20201, hidden_seed=99)
    assert [c.case_id for c in first] == ["public-0", "public-1", "hidden-0", "hidden-1", "hidden-2", "hidden-3"]
    for a, b in zip(first, again):
        assert a.label == b.label and same(a.args, b.args) and same(a.expected, b.expected)
    for case in first:
        assert case.arg_names == spec.params and (case.rtol, case.atol) == (1e-6, 1e-8)
        recomputed = reference(*copy.deepcopy(case.args))
        checks = check_returned(recomputed, case.expected, spec.output_spec, 0.0, 0.0)
        assert all(c["passed"] for c in checks), checks


@pytest.mark.parametrize("item_id", ITEM_IDS)
def test_public_cases_are_shared_and_hidden_cases_are_per_student(item_id):
    spec = item(item_id)
    reference = getattr(solutions, item_id)
    alice = build_cases(spec, reference, None, public_seed=20201, hidden_seed=111)
    bob = build_cases(spec, reference, None, public_seed=20201, hidden_seed=222)
    for a, b in zip(alice, bob):
        if a.visibility == "public":
            assert same(a.args, b.args)
        else:
            assert not same(a.args, b.args), a.case_id


def test_without_a_hidden_seed_only_public_cases_are_built():
    cases = build_cases(item("gru_forward"), solutions.gru_forward, None, 20201, None)
    assert [c.visibility for c in cases] == ["public", "public"]


def test_hidden_cases_start_after_the_public_shapes_and_reach_every_edge_shape():
    cases = build_cases(item("lstm_backward", public=2, hidden=4), solutions.lstm_backward, None, 1, 2)
    assert [c.label for c in cases] == [
        "n_x=3, n_h=5, n_y=2, m=4, T=3", "m=1, n_h=1, T=1",
        "saturated gates", "n_x=3, n_h=5, n_y=2, m=4, T=3", "m=1, n_h=1, T=1", "saturated gates",
    ]
    edge = next(c for c in cases if c.case_id == "hidden-2")
    assert edge.args[0].shape == (1, 1, 1)  # dh (n_h, m, T) with n_h = m = T = 1


def test_the_reference_runs_on_copies():
    def scribbling_reference(x, h0, parameters):
        out = solutions.residual_rnn_forward(x, h0, parameters)
        x[...] = 0.0
        parameters["U"][...] = 0.0
        return out

    cases = build_cases(item("residual_rnn_forward"), scribbling_reference, None, 5, None)
    assert all(np.abs(c.args[0]).sum() > 0 and np.abs(c.args[2]["U"]).sum() > 0 for c in cases)


def test_a_generator_with_the_wrong_arity_is_reported():
    with pytest.raises(ValueError, match=r"returned 2 arguments, the item has 3 parameters \(x, h0, parameters\)"):
        build_cases(item("gru_forward"), solutions.gru_forward, lambda shape, rng: (1, 2), 1, 2)


@pytest.mark.parametrize("item_id", [i for i in ITEM_IDS if i != "clip_by_global_norm"])
@pytest.mark.parametrize("shape_index", [0, 1, 2])
def test_generated_inputs_are_fresh_float64_with_the_contract_keys(item_id, shape_index):
    spec = item(item_id)
    args = GENERATORS[item_id](dict(spec.shapes[shape_index]), np.random.default_rng(shape_index))
    assert len(args) == len(spec.params)
    arrays = leaves(args)
    assert all(a.dtype == np.float64 for a in arrays)
    for i, a in enumerate(arrays):  # no two arguments share memory
        assert not any(np.shares_memory(a, b) for b in arrays[i + 1:])
    params = args[spec.params.index("parameters")]
    family = "lstm" if item_id.startswith("lstm") else "gru" if item_id.startswith("gru") else "residual"
    assert set(params) == PARAM_KEYS[family]
    assert all(np.all(params[k] != 0.0) for k in params if k.startswith("b"))  # non-zero biases
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        getattr(solutions, item_id)(*copy.deepcopy(args))


def test_scale_saturates_the_gates():
    shape = {"n_x": 4, "n_h": 3, "n_y": 2, "m": 50}
    plain = GENERATORS["lstm_cell_forward"](shape, np.random.default_rng(0))
    hot = GENERATORS["lstm_cell_forward"](dict(shape, scale=30.0), np.random.default_rng(0))

    def saturated_fraction(xt, h_prev, c_prev, p):
        a = p["Wf"] @ np.vstack([h_prev, xt]) + p["bf"]
        return float(np.mean(np.abs(a) > 5.0))

    assert saturated_fraction(*plain) < 0.05
    assert saturated_fraction(*hot) > 0.8


def test_missing_shape_keys_are_named():
    with pytest.raises(ValueError, match=r"generator 'lstm_forward' needs shape keys n_x, n_h, n_y, m, T; missing T"):
        GENERATORS["lstm_forward"]({"n_x": 1, "n_h": 1, "n_y": 1, "m": 1}, np.random.default_rng(0))


def test_clipping_cases_clip_about_half_the_time():
    clipped = 0
    for k in range(200):
        grads, max_norm = GENERATORS["clip_by_global_norm"]({"n_x": 3, "n_h": 4}, np.random.default_rng(k))
        assert 2 <= len(grads) <= 5 and isinstance(max_norm, float)
        assert len({g.shape for g in grads.values()}) >= 2 or len(grads) == 2
        norm = np.sqrt(sum(float(np.sum(g * g)) for g in grads.values()))
        assert abs(norm / max_norm - 1.0) > 0.05  # never on the boundary
        clipped += norm > max_norm
    assert 70 <= clipped <= 130


def test_clipping_all_zero_gradients_needs_no_division():
    grads, max_norm = GENERATORS["clip_by_global_norm"]({"zero_grads": True}, np.random.default_rng(3))
    assert max_norm > 0 and all(not g.any() for g in grads.values())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clipped, norm = solutions.clip_by_global_norm(grads, max_norm)
    assert norm == 0.0 and set(clipped) == set(grads)


@pytest.mark.parametrize("force", [True, False])
def test_clipping_side_can_be_forced(force):
    for k in range(20):
        grads, max_norm = GENERATORS["clip_by_global_norm"]({"clip": force}, np.random.default_rng(k))
        norm = np.sqrt(sum(float(np.sum(g * g)) for g in grads.values()))
        assert (norm > max_norm) == force
