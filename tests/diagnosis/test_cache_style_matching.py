"""The matcher on rnn-step-by-step's cases: each cache-style variant's output, returned as a
student's, is diagnosed as its mistake; two mistakes at once are found as a pair; wrong keys."""
import copy

import pytest

from assignments.spec import load_spec
from grader.diagnosis import diagnose
from grader.diagnosis.cache_style import diagnose_cache_style_case, diagnose_cache_style_returned
from grader.diagnosis.mistakes import INDISTINGUISHABLE
from grader.diagnosis.variants import variants_for
from grader.pipeline.plan import CaseBook


@pytest.fixture(scope="module")
def book():
    spec = load_spec("rnn-step-by-step")
    return spec, CaseBook(spec)


def _as_returned(item, out, case):
    """What the sandbox gives back for a forward: its outputs, the cache as an extract."""
    outputs = item.output_spec.get("items") or []
    if any(o["kind"] == "cache" for o in outputs):
        it = iter(out)
        return tuple({"cache_extract": {"follows": True, "why": "", "leaves": []}} if o["kind"] == "cache"
                     else next(it) for o in outputs)
    return out


ITEMS = ("rnn_cell_forward", "rnn_forward", "lstm_cell_forward", "lstm_forward", "rnn_cell_backward",
         "rnn_backward", "lstm_cell_backward", "lstm_backward")


@pytest.mark.parametrize("item_id", ITEMS)
def test_each_variant_is_diagnosed_as_its_mistake(book, item_id):
    spec, cb = book
    item = spec.item(item_id)
    case = cb.cases(item, 17)[0]
    for v in variants_for(item_id, contract="cache"):
        returned = _as_returned(item, v(*copy.deepcopy(case.args)), case)
        detail = diagnose_cache_style_case(diagnose, item_id, case, returned, item.output_spec)
        together = next((g for g in INDISTINGUISHABLE.get(item_id, ()) if v.mistake in g), {v.mistake})
        assert detail.failed and set(detail.matched) == set(together), (v.bug, detail.matched)


def test_two_mistakes_at_once_are_found_as_a_pair(book):
    spec, cb = book
    item = spec.item("lstm_backward")
    case = cb.cases(item, 17)[0]
    from grader.diagnosis.buggy.rnn_step import buggy_lstm_backward

    returned = buggy_lstm_backward(*copy.deepcopy(case.args), bug="missing_gate_derivative:o+no_bptt_carry")
    found, _ = diagnose_cache_style_returned(diagnose, "lstm_backward", [(case, returned)], None, item.output_spec)
    assert found.named == ("missing_gate_derivative", "no_bptt_carry")


def test_wrong_keys(book):
    spec, cb = book
    item = spec.item("lstm_backward")
    case = cb.cases(item, 17)[0]
    returned = dict(case.expected)
    returned["dWu"] = returned.pop("dWi")
    detail = diagnose_cache_style_case(diagnose, "lstm_backward", case, returned, item.output_spec)
    assert "wrong_grad_keys" in detail.matched
    found, per_case = diagnose_cache_style_returned(diagnose, "lstm_backward", [(case, returned)], None,
                                                    item.output_spec)
    assert found.named[-1] == "wrong_grad_keys" and "wrong_grad_keys" in per_case[0]


def _no_activation_derivatives(da_next, dc_next, cache):
    """A student's lstm_cell_backward (shape found in a public notebook) that leaves out σ′ of the
    three gates and tanh′ of the candidate; everything else right. Written here with NumPy, apart
    from the buggy module."""
    import numpy as np

    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, p = cache
    n_a = a_next.shape[0]
    dc = da_next * ot * (1 - np.tanh(c_next) ** 2) + dc_next
    d = {"o": da_next * np.tanh(c_next), "c": dc * it, "i": dc * cct, "f": dc * c_prev}
    concat = np.concatenate((a_prev, xt), axis=0)
    out = {f"dW{g}": d[g] @ concat.T for g in "fico"}
    out.update({f"db{g}": d[g].sum(axis=1, keepdims=True) for g in "fico"})
    out["da_prev"] = sum(p[f"W{g}"][:, :n_a].T @ d[g] for g in "fico")
    out["dxt"] = sum(p[f"W{g}"][:, n_a:].T @ d[g] for g in "fico")
    out["dc_prev"] = dc * ft
    return out


def test_every_activation_derivative_left_out_is_named(book):
    spec, cb = book
    item = spec.item("lstm_cell_backward")
    cases = cb.cases(item, 17)
    returned = [(case, _no_activation_derivatives(*copy.deepcopy(case.args))) for case in cases]
    found, _ = diagnose_cache_style_returned(diagnose, "lstm_cell_backward", returned, None, item.output_spec)
    assert set(found.named) == {"missing_sigmoid_derivative", "missing_gate_derivative"}
