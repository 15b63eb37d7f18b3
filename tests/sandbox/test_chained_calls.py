"""Chained calls: a backward's cache is made in the child by the student's own forward and never
crosses the wire (asserted on the frames the grader reads); a forward's cache comes back as its
extract by the layout; support modules import, inert modules give stand-ins that cost nothing."""
from pathlib import Path

import numpy as np
import pytest

from assignments.spec import load_spec
from grader.pipeline.plan import CaseBook, case_calls
from grader.sandbox import Job, wire

from .conftest import call, units_of

CACHE_SPEC = Path(__file__).resolve().parents[1] / "cache_spec"
MARKER = "SECRET-CACHE-MARKER"
SOURCE = (CACHE_SPEC / "solution.py").read_text(encoding="utf-8").replace(
    'cache = (h_next, h_prev, xt, parameters)',
    f'cache = (h_next, h_prev, xt, dict(parameters, note="{MARKER}"))')
HELPERS = {"cache_helpers": (CACHE_SPEC / "cache_helpers.py").read_text(encoding="utf-8")}


@pytest.fixture(scope="module")
def plans():
    spec = load_spec(CACHE_SPEC)
    return {p.item.id: p for p in CaseBook(spec).plan(hidden_seed=5)}


@pytest.fixture
def frames(monkeypatch):
    """Every (header, blob) the grader's process reads from a child."""
    seen = []
    feed = wire.FrameReader.feed

    def recording(self, data):
        for frame in feed(self, data):
            seen.append(frame)
            yield frame

    monkeypatch.setattr(wire.FrameReader, "feed", recording)
    return seen


def test_a_produced_cache_stays_in_the_child(pool, plans, frames):
    plan = plans["seq_backward"]
    case = plan.cases[0]
    ref_call, own_call = case_calls(plan, case)
    assert own_call.call_id == "seq_backward::public-0::own" and own_call.produced[0]["function"] == "seq_forward"
    r = pool.run(Job(units_of(SOURCE), [ref_call, own_call], 5.0, support_modules=HELPERS))
    ref, own = r.calls[ref_call.call_id], r.calls[own_call.call_id]
    assert ref.status == own.status == "ok", (ref.message, own.message)
    for key, value in case.expected.items():  # both verdicts right: the chain is the key's
        np.testing.assert_allclose(own.value[key], value, rtol=1e-10)
        np.testing.assert_allclose(ref.value[key], value, rtol=1e-10)
    (extract,) = own.produced
    assert extract["follows"] and [lf["entry"] for lf in extract["leaves"][:4]] == ["h_next", "h_prev", "xt", "parameters"]
    assert extract["leaves"][3]["kind"] == "other" and extract["leaves"][3]["value"] is None
    calls = [(h, b) for h, b in frames if h.get("ev") == "call"]
    assert len(calls) == 2
    for header, blob in frames:  # the cache held the marker; no frame did
        assert MARKER.encode() not in wire.pack_frame(header, blob)


def test_a_forwards_cache_comes_back_as_its_extract(pool, plans, frames):
    plan = plans["seq_forward"]
    (forward_call,) = case_calls(plan, plan.cases[0])
    r = pool.run(Job(units_of(SOURCE), [forward_call], 5.0, support_modules=HELPERS))
    out = r.calls[forward_call.call_id]
    assert out.status == "ok"
    h, extract = out.value
    assert set(extract) == {"cache_extract"} and extract["cache_extract"]["follows"] is True
    assert all(MARKER.encode() not in wire.pack_frame(hd, b) for hd, b in frames)


def test_the_producer_failing_is_said_and_the_backward_not_called(pool, plans):
    plan = plans["step_backward"]
    _, own_call = case_calls(plan, plan.cases[0])
    source = "def step_forward(xt, h_prev, parameters):\n    return h_prev\n" \
             "def step_backward(dh_next, cache):\n    raise RuntimeError('not reached')\n"
    r = pool.run(Job(units_of(source), [own_call], 5.0))
    out = r.calls[own_call.call_id]
    assert (out.status, out.message) == ("producer_failed", "step_forward returned a ndarray, so there is no output 2 to pass on")
    r = pool.run(Job(units_of("def step_backward(dh_next, cache):\n    return {}\n"), [own_call], 5.0))
    assert r.calls[own_call.call_id].message == "step_forward is not defined, so there is no cache to pass on"


NOTEBOOK_LINES = '''
from google.colab import drive
drive.mount("/content/drive")
import google.colab.files as files
from public_tests import *
from cache_helpers import tanh_prime_from_output
def f(x):
    return tanh_prime_from_output(x)
f_test(f)
result = f_test(f).anything(1, 2)
'''


def test_support_and_inert_modules(pool):
    """Do colab lines, `from public_tests import *` and the test helpers it stood for cost nothing,
    while the support module is the real one and other modules stay unavailable?"""
    job = Job(units_of(NOTEBOOK_LINES + "import requests\n"), [call("c", "f", np.array([0.5]))], 5.0,
              support_modules=HELPERS, inert_modules=("public_tests", "google"), inert_names=("f_test",))
    r = pool.run(job)
    assert [(u.label, u.status) for u in r.units if u.status != "ok"] == [("line 11", "error")]
    assert "module requests is not available to submissions" in r.units[-1].message
    np.testing.assert_allclose(r.calls["c"].value, [0.75])


def test_a_graded_function_is_never_an_inert_stand_in(pool):
    """A function only an inert star import could provide is not defined, not a stand-in's call."""
    job = Job(units_of("from public_tests import *\n"), [call("c", "g", 1.0)], 5.0,
              inert_modules=("public_tests",), inert_names=("g",))
    assert pool.run(job).calls["c"].status == "not_defined"


def test_a_producer_that_hangs_costs_the_chain_not_the_backward(pool, plans):
    """The backward's call on the key's cache still runs; the forward is not called again."""
    plan = plans["step_backward"]
    ref_call, own_call = case_calls(plan, plan.cases[0])
    source = ("def step_forward(xt, h_prev, parameters):\n    while True:\n        pass\n"
              "def step_backward(dh_next, cache):\n    return {'dxt': dh_next}\n")
    own_call.timeout = 0.3
    r = pool.run(Job(units_of(source), [own_call, ref_call], 5.0))
    assert (r.calls[own_call.call_id].status, r.calls[own_call.call_id].message) == (
        "producer_failed", "step_forward ran out of time while making the cache")
    assert r.calls[ref_call.call_id].status == "ok"
