"""Follow-up calls (asked for once the first calls are done) run in the same process; a function
that hung stops the functions that call it at once."""
import numpy as np
import pytest

from grader.sandbox import Job

from .conftest import call, units_of

SOURCE = '''
import os
state = {"calls": 0}
def pid(x):
    state["calls"] += 1
    return os.getpid(), state["calls"]
def forward(x):
    while True:
        pass
def backward(x):
    return forward(x) * 2
def crash(x):
    os._exit(3)
'''


def test_followup_calls_run_in_the_same_process_after_the_first_ones(pool):
    seen = []

    def followup(outcomes):
        seen.append(sorted(outcomes))
        return [call("p2", "pid", 0), call("p3", "pid", 0)]

    r = pool.run(Job(units_of(SOURCE), [call("p1", "pid", 0)], 2.0, followup, 2.0))
    assert seen == [["p1"]]  # asked once, with the first outcomes
    (pid1, n1), (pid2, n2), (pid3, n3) = (r.calls[c].value for c in ("p1", "p2", "p3"))
    assert pid1 == pid2 == pid3 and (n1, n2, n3) == (1, 2, 3)
    assert list(r.calls) == ["p1", "p2", "p3"]


def test_no_followup_calls_end_the_process_normally(pool):
    r = pool.run(Job(units_of(SOURCE), [call("p1", "pid", 0)], 2.0, lambda outcomes: [], 0.0))
    assert list(r.calls) == ["p1"] and r.calls["p1"].status == "ok"


def test_followup_after_a_crash_on_the_last_call_runs_in_a_new_process(pool):
    r = pool.run(Job(units_of(SOURCE), [call("p1", "pid", 0), call("c", "crash", 0)], 2.0,
                     lambda outcomes: [call("p2", "pid", 0)], 1.0))
    assert r.calls["c"].status == "crashed"
    assert r.calls["c"].message == "process exited with code 3 while running crash"
    (pid1, n1), (pid2, n2) = r.calls["p1"].value, r.calls["p2"].value
    assert pid1 != pid2 and (n1, n2) == (1, 1)


def test_a_function_that_hung_stops_its_callers_without_a_second_time_limit(pool):
    def followup(outcomes):
        return [call("f2", "forward", np.zeros(2), timeout=0.3), call("b2", "backward", np.zeros(2))]

    r = pool.run(Job(units_of(SOURCE), [call("f", "forward", np.zeros(2), timeout=0.3),
                                        call("b", "backward", np.zeros(2), timeout=0.3),
                                        call("p", "pid", 0)], 2.0, followup, 2.0))
    assert r.calls["f"].status == "timeout"
    assert r.calls["f"].message == "timed out after 0.3 s while running forward"
    for cid in ("b", "b2"):
        assert r.calls[cid].status == "timeout"
        assert r.calls[cid].message == "stopped: backward calls forward, which timed out on an earlier case"
    assert r.calls["f2"].message == ("not run: forward timed out on an earlier case; its remaining "
                                     "cases were skipped")
    assert r.calls["p"].status == "ok"  # the process carried on


def test_a_new_process_still_knows_which_functions_hung(pool):
    r = pool.run(Job(units_of(SOURCE), [call("f", "forward", np.zeros(2), timeout=0.3),
                                        call("c", "crash", 0),
                                        call("b", "backward", np.zeros(2), timeout=0.3)], 2.0))
    assert r.calls["c"].status == "crashed"
    assert r.calls["b"].message == "stopped: backward calls forward, which timed out on an earlier case"


def test_a_bug_in_the_graders_followup_is_the_graders_error_not_the_submissions(pool):
    """The follow-up callback is grader code: its exception comes out of pool.run (the batch turns
    it into an "rnngrade failed" row), it is not reported as the child corrupting its reports."""
    def followup(outcomes):
        raise KeyError("a grader bug")

    with pytest.raises(KeyError, match="a grader bug"):
        pool.run(Job(units_of(SOURCE), [call("p1", "pid", 0)], 2.0, followup, 1.0))
    after = pool.run(Job(units_of(SOURCE), [call("p1", "pid", 0)], 2.0))  # the slot still works
    assert after.calls["p1"].status == "ok"


STUBBORN = '''
import signal
def forward(x):
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
    while True:
        pass
def backward(x):
    return forward(x) * 2
'''


def test_a_function_killed_for_its_time_is_known_as_hung_in_the_next_process(pool):
    r = pool.run(Job(units_of(STUBBORN), [call("f", "forward", np.zeros(2), timeout=0.3),
                                          call("b", "backward", np.zeros(2), timeout=0.3)], 2.0))
    assert r.calls["f"].status == "timeout"
    assert r.calls["f"].message == "timed out after 0.3 s while running forward"
    assert r.calls["b"].message == "stopped: backward calls forward, which timed out on an earlier case"
