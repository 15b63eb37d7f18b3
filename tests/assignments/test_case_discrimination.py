"""Every case tells every mistake from the truth: on each case the generators make (public, and hidden
for 200 students of a class), every single-mistake buggy variant of the function
(grader/diagnosis/buggy/, the catalogue's numeric mistakes) gets some output wrong beyond the case's
tolerance. A case on which a variant passes gives a student who made that mistake the case's points.
The variants are those the matcher compares by numbers (`variants_for`); mistakes found another way
(the code scan's notebook globals, wrong dictionary keys, a forward's cache checked by its layout)
do not depend on the case's numbers. A variant that raises fails the case.

rnn-step-by-step: no exception. Its one-element cases are drawn in bands where every mistake moves
the single number (assignments/rnn_step_by_step/case_inputs.py), its sequences' edge case has two
steps (one step cannot show a missing carry; with c0 = 0 the forget gate's gradient vanishes at
step 0), and its saturated cases keep one unsaturated unit (fully saturated, every gradient through a
step vanishes and a missing carry or a dW-for-W passes).

nndl-ch6: its cases are kept as they are (its fixed-class goldens depend on them); the weak ones
are listed below with the reason, and a new weak case fails the test. `python
benchmarks/weak_cases.py nndl-ch6` prints them with their rates over 300 students.
"""
from __future__ import annotations

import numpy as np
import pytest

from assignments.spec import load_spec
from assignments.variants import hidden_seed
from grader.core.cases import Case
from grader.pipeline.discrimination import undetected_in, undetected_on

SECRET = b"case-discrimination-test-secret!"
STEP = load_spec("rnn-step-by-step")
STEP_SEEDS = [hidden_seed(SECRET, f"s{k:03d}", STEP) for k in range(200)]


@pytest.mark.parametrize("item", [it.id for it in STEP.items_of("code")])
def test_rnn_step_by_step_every_case_shows_every_mistake(item):
    weak = undetected_in(STEP, STEP.item(item), STEP_SEEDS)
    assert weak == []


def test_the_check_finds_the_old_weak_case():
    """The check can fail: the one-element case of the old generator (a_next = 0.060), where
    1 − tanh²(a_next) is within rtol 1e-5 of 1 − a_next², is found weak for that variant only."""
    item = STEP.item("rnn_cell_backward")
    p = {"Wax": np.array([[0.5]]), "Waa": np.array([[0.4]]), "Wya": np.array([[0.3], [-0.2]]),
         "ba": np.array([[-0.2]]), "by": np.array([[0.1], [0.2]])}
    xt, a_prev = np.array([[0.36]]), np.array([[0.2]])
    a_next = np.tanh(p["Waa"] @ a_prev + p["Wax"] @ xt + p["ba"])
    assert abs(a_next.item()) < 0.07
    dz = 0.8 * (1 - a_next ** 2)
    expected = {"dxt": p["Wax"].T @ dz, "da_prev": p["Waa"].T @ dz, "dWax": dz @ xt.T, "dWaa": dz @ a_prev.T,
                "dba": dz.copy()}
    case = Case("rnn_cell_backward", "public-1", "public", "m=1, n_a=1",
                (np.array([[0.8]]), (a_next, a_prev, xt, p)), ("da_next", "cache"), expected, 1e-5, 1e-7,
                produced=("cache",))
    assert [u.bug for u in undetected_on(item, case)] == ["missing_tanh_derivative:tanh_of_output"]


# nndl-ch6: (function, shape label, variant) -> why that case cannot (or, for some students'
# draws, does not) show it. Kept weak on purpose: changing its cases would change its goldens.
ONE_STEP = "one step: nothing is carried, accumulated or overwritten between steps"
NNDL_WEAK = {
    **{(f, "T=1, m=1, n_h=1", v): ONE_STEP
       for f in ("lstm_backward", "gru_backward", "residual_rnn_backward")
       for v in ("no_bptt_carry", "no_dc_carry", "no_dh_accumulation", "overwrite_param_grads",
                 "dc_missing_dh_path:dc_prev")},
    **{(f, "T=1, m=1, n_h=1", v): "one step: the states' array holds that step only, so a shifted or "
       "last-only store gives the same values"
       for f in ("lstm_forward", "lstm_backward", "gru_forward", "gru_backward", "residual_rnn_forward",
                 "residual_rnn_backward")
       for v in ("state_aliasing:last", "state_aliasing:shifted")},
    **{(f, s, "bias_grad_axis:axis0"): "one unit, one example: a bias gradient summed over axis 0 has "
       "the right shape (1, 1) and value"
       for f in ("lstm_cell_backward", "lstm_backward", "gru_cell_backward", "gru_backward",
                 "residual_rnn_backward")
       for s in ("m=1, n_h=1", "T=1, m=1, n_h=1")},
    **{(f, s, "softmax_axis"): "one unit, one example: this form of the axis mistake gives the same "
       "probabilities"
       for f in ("lstm_cell_forward", "lstm_forward", "gru_cell_forward", "gru_forward")
       for s in ("m=1, n_h=1", "T=1, m=1, n_h=1")},
    **{(f, s, "gru_reset_after"): "one unit: r·(U h) and U (r·h) are the same number"
       for f in ("gru_cell_forward", "gru_cell_backward", "gru_forward", "gru_backward")
       for s in ("m=1, n_h=1", "T=1, m=1, n_h=1")},
    ("lstm_forward", "T=1, m=1, n_h=1", "gate_activation_swapped:f"):
        "one step from c0 = 0: the forget gate multiplies zero",
    ("lstm_backward", "T=1, m=1, n_h=1", "gate_activation_swapped:f"):
        "one step from c0 = 0: the forget gate multiplies zero",
    ("lstm_backward", "T=1, m=1, n_h=1", "missing_gate_derivative:f"):
        "one step from c0 = 0: the forget gate's gradient is dc·c_prev = 0 with or without σ′",
    **{(f, s, v): "drawn near zero or saturation for some students (one number per output)"
       for f, s, v in [
           ("lstm_cell_forward", "m=1, n_h=1", "no_tanh_on_c"),
           ("lstm_cell_backward", "m=1, n_h=1", "no_tanh_on_c"),
           ("lstm_cell_backward", "m=1, n_h=1", "double_tanh_candidate"),
           ("lstm_cell_backward", "m=1, n_h=1", "missing_gate_derivative:c"),
           ("lstm_forward", "T=1, m=1, n_h=1", "no_tanh_on_c"),
           ("lstm_backward", "T=1, m=1, n_h=1", "no_tanh_on_c"),
           ("lstm_backward", "T=1, m=1, n_h=1", "double_tanh_candidate"),
           ("lstm_backward", "T=1, m=1, n_h=1", "missing_gate_derivative:c"),
           ("gru_cell_forward", "m=1, n_h=1", "gate_activation_swapped:r"),
           ("gru_cell_backward", "m=1, n_h=1", "double_tanh_candidate"),
           ("gru_cell_backward", "m=1, n_h=1", "missing_gate_derivative:h"),
           ("gru_forward", "T=1, m=1, n_h=1", "gate_activation_swapped:r"),
           ("gru_backward", "T=1, m=1, n_h=1", "double_tanh_candidate"),
           ("gru_backward", "T=1, m=1, n_h=1", "missing_gate_derivative:h"),
       ]},
    **{(f, "saturated gates", v): "saturated: the reset gate's path is ~0 for some students"
       for f, v in [("gru_cell_forward", "gate_activation_swapped:r"), ("gru_cell_forward", "gru_reset_after"),
                    ("gru_cell_backward", "gate_activation_swapped:r"), ("gru_cell_backward", "gru_reset_after"),
                    ("gru_cell_backward", "missing_gate_derivative:r")]},
    **{("residual_rnn_backward", "saturated tanh", v): "saturated: every gradient through a step "
       "vanishes for some students"
       for v in ("no_dh_accumulation", "overwrite_param_grads", "state_aliasing:last", "h0_zeros:backward",
                 "state_aliasing:shifted", "weights_from_gradients")},
    **{("clip_by_global_norm", s, "clip_per_tensor"): "no tensor's own norm exceeds max_norm (or "
       "nothing is clipped): clipping per tensor changes nothing"
       for s in ("n_h=1", "large gradients", "norm above max_norm")},
}


def test_nndl_ch6_weak_cases_are_the_listed_ones():
    spec = load_spec("nndl-ch6")
    seeds = [hidden_seed(SECRET, f"s{k:03d}", spec) for k in range(30)]
    found = {(u.item, u.label, u.bug) for it in spec.items_of("code") for u in undetected_in(spec, it, seeds)}
    assert found - set(NNDL_WEAK) == set()
    # the public cases' weak ones are there for every student
    public = {(u.item, u.label, u.bug) for it in spec.items_of("code") for u in undetected_in(spec, it, [])}
    assert ("lstm_backward", "T=1, m=1, n_h=1", "no_bptt_carry") in public
    assert ("lstm_cell_backward", "m=1, n_h=1", "bias_grad_axis:axis0") in public
