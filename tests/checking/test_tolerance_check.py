"""Is the one tolerance rule |got − exp| ≤ atol + rtol·|exp| applied exactly, with NaN never passing?"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

from grader.checking.compare import tolerance_check


def test_hand_computed_errors_and_worst_index():
    # diffs [0, 0.1, 1.0]; allowed 0.01·|exp| = [0.01, 0.02, 0.02]; excess [-0.01, 0.08, 0.98]
    rep = tolerance_check([1.0, 2.1, 3.0], [1.0, 2.0, 2.0], rtol=0.01, atol=0.0)
    assert not rep.ok
    assert rep.max_abs_err == pytest.approx(1.0)
    assert rep.max_rel_err == pytest.approx(0.5)  # 1.0 / 2.0
    assert rep.worst_index == (2,)
    assert (rep.n_bad, rep.size) == (2, 3)


def test_worst_index_is_the_largest_excess_not_the_largest_error():
    # abs errors 0.5 at [0, 0] (|exp| = 100) and 0.2 at [1, 1] (|exp| = 1); rtol 0.01 → excess −0.5 vs 0.19
    got = np.array([[100.5, 0.0], [0.0, 1.2]])
    exp = np.array([[100.0, 0.0], [0.0, 1.0]])
    rep = tolerance_check(got, exp, rtol=0.01, atol=0.0)
    assert rep.worst_index == (1, 1) and all(type(i) is int for i in rep.worst_index)
    assert rep.max_abs_err == pytest.approx(0.5)
    assert rep.max_rel_err == pytest.approx(0.2)
    assert rep.n_bad == 1


def test_the_bound_itself_passes():
    assert tolerance_check(1.5, 1.0, rtol=0.0, atol=0.5).ok
    assert not tolerance_check(1.5, 1.0, rtol=0.0, atol=0.4375).ok
    assert tolerance_check(3.0, 2.0, rtol=0.5, atol=0.0).ok  # 1 ≤ 0.5·2


def test_nan_never_passes_and_counts_as_an_infinite_error():
    rep = tolerance_check([1.0, np.nan], [1.0, 2.0], rtol=1.0, atol=1e9)
    assert not rep.ok and rep.worst_index == (1,) and rep.max_abs_err == np.inf and rep.n_bad == 1
    assert not tolerance_check(np.nan, np.nan, rtol=1.0, atol=1.0).ok


def test_equal_infinities_pass_and_opposite_ones_do_not():
    assert tolerance_check([np.inf, -np.inf], [np.inf, -np.inf], 1e-6, 1e-8).ok
    rep = tolerance_check([np.inf], [-np.inf], 1e-6, 1e-8)
    assert not rep.ok and rep.max_abs_err == np.inf


def test_relative_error_against_zero_uses_the_smallest_normal_number():
    rep = tolerance_check([1e-300], [0.0], rtol=1e-6, atol=1e-8)
    assert rep.ok and rep.max_rel_err == pytest.approx(1e-300 / np.finfo(float).tiny)


def test_scalars_and_empty_arrays():
    rep = tolerance_check(2.0, 2.5, 1e-6, 1e-8)
    assert not rep.ok and rep.worst_index == () and rep.max_abs_err == 0.5
    assert tolerance_check(np.zeros((0, 3)), np.zeros((0, 3)), 1e-6, 1e-8).ok


def test_different_shapes_are_refused():
    with pytest.raises(ValueError, match=r"equal shapes, got \(2,\) and \(3,\)"):
        tolerance_check(np.zeros(2), np.zeros(3), 1e-6, 1e-8)


finite = st.floats(-1e6, 1e6, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(
    hnp.arrays(np.float64, st.integers(1, 12), elements=finite),
    hnp.arrays(np.float64, st.integers(1, 12), elements=finite),
    st.sampled_from([0.0, 1e-6, 1e-2]),
    st.sampled_from([0.0, 1e-8, 1e-1]),
)
def test_verdict_agrees_with_numpy_isclose(a, b, rtol, atol):
    n = min(a.size, b.size)
    a, b = a[:n], b[:n]
    rep = tolerance_check(a, b, rtol, atol)
    close = np.isclose(a, b, rtol=rtol, atol=atol)  # |a − b| ≤ atol + rtol·|b|, the same rule
    assert rep.ok == bool(close.all())
    assert rep.n_bad == int((~close).sum())
    assert rep.max_abs_err == pytest.approx(float(np.max(np.abs(a - b))))
