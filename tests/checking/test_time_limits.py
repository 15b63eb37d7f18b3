"""The per-call time limit: max(0.25 s, the item's or spec's floor, 200 x the answer key's time on that
case), measured once per run; ``--timeout`` sets every limit.

The answer key's time is read from a clock the test drives (the reference advances it by a set amount
per case), so the limits are exact and nothing here depends on the machine's speed.
"""
from __future__ import annotations

import dataclasses

import pytest

import grader.pipeline.plan as plan_module
from assignments.spec import load_spec
from assignments.spec.loader import build_spec, locate_spec, read_toml
from grader.pipeline.plan import FLOOR_SECONDS, REFERENCE_FACTOR, REFERENCE_RUNS, CaseBook, _two_digits_up

ITEM = "lstm_cell_forward"  # shapes: m=10, m=1, m=6; public-0/1 and hidden-0/1/2 use m=10, 1, 6, 10, 1
SECONDS_BY_M = {10: 0.004, 1: 0.0001, 6: 0.002}  # the answer key's "time" on each shape


class Clock:
    def __init__(self):
        self.now = 0.0
        self.reads = 0

    def perf_counter(self) -> float:
        self.reads += 1
        return self.now


@pytest.fixture
def clock(monkeypatch):
    c = Clock()
    monkeypatch.setattr(plan_module, "time", c)
    return c


def _book(clock, spec=None, **kw) -> CaseBook:
    spec = spec or load_spec("nndl-ch6")
    book = CaseBook(spec, **kw)
    real = book._refs[ITEM]

    def timed_reference(xt, *rest):
        clock.now += SECONDS_BY_M[xt.shape[1]]
        return real(xt, *rest)

    book._refs[ITEM] = timed_reference
    return book


def _with_timeout(spec, seconds: float):
    items = tuple(dataclasses.replace(it, timeout=seconds) if it.id == ITEM else it for it in spec.items)
    return dataclasses.replace(spec, items=items)


def test_each_case_gets_200_times_the_answer_keys_time_on_it_or_a_quarter_second(clock):
    book = _book(clock)
    item = book.spec.item(ITEM)
    assert (FLOOR_SECONDS, REFERENCE_FACTOR) == (0.25, 200.0)
    assert book.case_timeouts(item) == {
        "public-0": 0.8, "public-1": 0.25, "hidden-0": 0.4,
        "hidden-1": 0.8, "hidden-2": 0.25}
    assert book.timeout_for(item) == 0.8


def test_the_plan_gives_each_call_its_cases_limit_and_follow_ups_the_longest(clock):
    book = _book(clock)
    (p,) = [p for p in book.plan(12345) if p.item.id == ITEM]
    assert [(c.case_id, p.timeout_of(c)) for c in p.cases] == [
        ("public-0", 0.8), ("public-1", 0.25), ("hidden-0", 0.4),
        ("hidden-1", 0.8), ("hidden-2", 0.25)]
    assert p.timeout == 0.8
    assert book.followup_seconds([p]) == 0.8 * len(p.probes)


def test_the_answer_key_is_timed_once_per_run(clock):
    book = _book(clock)
    item = book.spec.item(ITEM)
    book.plan(1)
    reads = clock.reads
    # every case of every code item, REFERENCE_RUNS times, two clock reads each
    assert reads == 2 * REFERENCE_RUNS * sum(len(book.cases(it, book.default_hidden_seed))
                                             for it in book.spec.items_of("code"))
    book.plan(2)
    book.plan(3)
    assert book.case_timeouts(item)["public-0"] == 0.8
    assert clock.reads == reads


def test_limits_from_the_answer_key_are_rounded_up_to_two_significant_digits():
    assert [_two_digits_up(s) for s in (0.37653, 1.2, 80.01, 0.0012301, 0.0, float("nan"))] == [
        0.38, 1.2, 81.0, 0.0013, 0.0, 0.0]


def test_an_items_timeout_raises_the_limit(clock):
    book = _book(clock, _with_timeout(load_spec("nndl-ch6"), 0.5))
    assert book.case_timeouts(book.spec.item(ITEM)) == {
        "public-0": 0.8, "public-1": 0.5, "hidden-0": 0.5, "hidden-1": 0.8,
        "hidden-2": 0.5}


def test_an_items_timeout_below_the_floor_does_not_lower_it(clock):
    book = _book(clock, _with_timeout(load_spec("nndl-ch6"), 0.01))
    assert book.case_timeouts(book.spec.item(ITEM))["public-1"] == 0.25


def test_the_command_lines_timeout_sets_every_limit(clock):
    book = _book(clock, call_timeout=0.1)
    for p in book.plan(7):
        assert p.timeout == 0.1 and {p.timeout_of(c) for c in p.cases} == {0.1}
    assert clock.reads == 0  # the answer key is not timed


def test_the_specs_call_timeout_defaults_to_the_floor():
    path = locate_spec("nndl-ch6")
    data = read_toml(path)
    del data["defaults"]["call_timeout"]
    spec = build_spec(data, path)
    assert {it.timeout for it in spec.items_of("code")} == {0.25}
    data["defaults"]["call_timeout"] = 2.0
    assert {it.timeout for it in build_spec(data, path).items_of("code")} == {2.0}


def test_a_run_of_the_answer_key_paused_by_a_busy_machine_does_not_raise_the_limit(clock):
    book = _book(clock)
    fast = book._refs[ITEM]
    calls = []

    def paused_once_per_case(xt, *rest):
        calls.append(1)
        if len(calls) % REFERENCE_RUNS == 2:  # one run of each case (after the warm-up call) waits 10 ms
            clock.now += 0.01
        return fast(xt, *rest)

    book._refs[ITEM] = paused_once_per_case
    book.cases(book.spec.item(ITEM), book.default_hidden_seed)  # built before: the timing calls only
    calls.clear()
    assert book.case_timeouts(book.spec.item(ITEM)) == {
        "public-0": 0.8, "public-1": 0.25, "hidden-0": 0.4, "hidden-1": 0.8, "hidden-2": 0.25}
