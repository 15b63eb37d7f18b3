"""Ordinary behaviour of the pool: units, calls, messages with original line numbers, modified
inputs, what the sandboxed process can see, threads."""
import os
import threading

import numpy as np
import pytest

from grader.loading.units import CodeUnit
from grader.sandbox import SandboxPool

from .conftest import LIMITS, call, job, units_of

X = np.arange(6.0).reshape(2, 3)
IS_ROOT = os.geteuid() == 0

NOTEBOOK = [
    CodeUnit("cell 2", "import numpy as np\n", 1, 1),
    CodeUnit("cell 3", "def f(x, parameters):\n    parameters['Wf'] += 1\n    x[0, 0] = 7\n"
                       "    print('in f', x.shape)\n    return x @ parameters['Wf']\n", 2, 1),
    CodeUnit("cell 4", "y = 1\nz = undefined_name + 1\n", 3, 1),
    CodeUnit("cell 5", "def g(x):\n    a = 1\n    return a / 0\n", 4, 1),
    CodeUnit("cell 6", "x = (\n", 5, 1),
    CodeUnit("cell 7", "h = 3\nprint('loaded')\n", 6, 1),
]


@pytest.fixture(scope="module")
def notebook_result(pool):
    params = {"Wf": np.eye(3), "bf": np.zeros((3, 1))}
    return pool.run(job(NOTEBOOK, call("f", "f", X, params, names=("x", "parameters")),
                        call("f_unnamed", "f", X, params), call("g", "g", X),
                        call("h", "h", X), call("missing", "nope", X)))


def test_units_report_errors_with_original_lines(notebook_result):
    assert [(u.label, u.status, u.message, u.line) for u in notebook_result.units] == [
        ("cell 2", "ok", "", None),
        ("cell 3", "ok", "", None),
        ("cell 4", "error", "NameError: name 'undefined_name' is not defined", 2),
        ("cell 5", "ok", "", None),
        ("cell 6", "error", "SyntaxError: '(' was never closed", 1),
        ("cell 7", "ok", "", None),
    ]
    assert notebook_result.stdout == "loaded\n"


def test_call_values_prints_and_modified_inputs(notebook_result):
    f = notebook_result.calls["f"]
    expected = X.copy()
    expected[0, 0] = 7
    assert f.status == "ok" and np.array_equal(f.value, expected @ (np.eye(3) + 1))
    assert f.inputs_modified == ["x", "parameters['Wf']"]
    assert f.stdout == "in f (2, 3)\n"
    assert notebook_result.calls["f_unnamed"].inputs_modified == ["argument 1", "argument 2['Wf']"]


@pytest.mark.parametrize("call_id,status,message", [
    ("g", "exception", "ZeroDivisionError in g: division by zero (cell 5, line 3)"),
    ("h", "not_callable", "h is not callable (it is a int)"),
    ("missing", "not_defined", "nope is not defined"),
])
def test_call_failures_are_named(notebook_result, call_id, status, message):
    outcome = notebook_result.calls[call_id]
    assert (outcome.status, outcome.message, outcome.value) == (status, message, None)


def test_py_units_report_file_lines(pool):
    source = "import numpy as np\n\n\ndef f(x):\n    return x.missing\n"
    r = pool.run(job(units_of(source), call("f", "f", X)))
    assert r.calls["f"].message == "AttributeError in f: 'numpy.ndarray' object has no attribute 'missing' (line 5)"


@pytest.mark.needs_layer("fork_server", "network_namespace", "mount_namespace", "process_list", "uid_drop",
                         "seccomp", "rlimits", "subreaper")
def test_isolation_is_full_on_this_machine(pool):
    r = pool.run(job([]))
    assert r.isolation == {"layers": dict.fromkeys(
        ["fork_server", "network_namespace", "mount_namespace", "process_list", "uid_drop", "seccomp",
         "rlimits", "subreaper"], "on"), "summary": "full"}
    assert pool.isolation == r.isolation


@pytest.mark.needs_layer("fork_server", "network_namespace", "mount_namespace", "process_list", "uid_drop", "rlimits", "subreaper")
def test_disabled_layers_are_reported(pool_without_seccomp):
    r = pool_without_seccomp.run(job([]))
    assert r.isolation["summary"] == "partial: seccomp"


def test_unknown_layer_names_are_refused():
    with pytest.raises(ValueError, match=r"cannot disable sandbox layer\(s\) \['firewall'\]"):
        SandboxPool(workers=1, disable=["firewall"])


PROBE = '''
import os, sys
def environment(x):
    return sorted(os.environ)
def grader_modules(x):
    return sorted(m for m in sys.modules if m.split(".")[0] in ("grader", "solutions", "assignments"))
def sockets(x):
    links = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            links.append(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:  # the descriptor listdir itself used
            pass
    return [link for link in links if link.startswith("socket:")]
def whoami(x):
    return os.getuid(), os.getcwd()
'''


@pytest.mark.needs_layer("mount_namespace")
def test_the_sandboxed_process_holds_nothing_of_the_grader(pool):
    calls = [call(n, n, 0) for n in ("environment", "grader_modules", "sockets", "whoami")]
    r = pool.run(job(units_of(PROBE), *calls))
    assert r.calls["environment"].value == sorted([
        "HOME", "LANG", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS", "OMP_NUM_THREADS",
        "OPENBLAS_NUM_THREADS", "PATH", "VECLIB_MAXIMUM_THREADS"])
    assert r.calls["grader_modules"].value == []
    assert r.calls["sockets"].value == []
    uid, cwd = r.calls["whoami"].value
    assert cwd == "/tmp/scratch"
    if IS_ROOT:
        assert uid in pool.uids


@pytest.mark.parametrize("statement,message", [
    ("import grader", "ModuleNotFoundError: module grader is not available to submissions"),
    ("from solutions import lstm",
     "ModuleNotFoundError: module solutions is not available to submissions"),
    pytest.param("import sqlite3", "ModuleNotFoundError: module sqlite3 is not available to "
                 "submissions (available: numpy, math and most of the standard library)",
                 marks=pytest.mark.needs_layer("uid_drop")),
])
def test_grader_packages_cannot_be_imported(pool, statement, message):
    r = pool.run(job([CodeUnit("cell 1", statement, 0, 1)]))
    assert (r.units[0].status, r.units[0].message) == ("error", message)


def test_preloaded_numpy_submodules_work(pool):
    source = ("import numpy as np\ndef f(x):\n    return (np.linalg.norm(x), np.fft.fft(x[0]).real,"
              " np.random.default_rng(0).standard_normal(2))\n")
    r = pool.run(job(units_of(source), call("f", "f", X)))
    norm, fft, rnd = r.calls["f"].value
    assert norm == np.linalg.norm(X) and np.allclose(fft, np.fft.fft(X[0]).real)
    assert np.array_equal(rnd, np.random.default_rng(0).standard_normal(2))


def test_jobs_from_many_threads_get_their_own_results(pool):
    results = {}

    def grade(k):
        source = f"def f(x):\n    return x * {k}\n"
        results[k] = pool.run(job(units_of(source), call("c", "f", X)))

    threads = [threading.Thread(target=grade, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(np.array_equal(results[k].calls["c"].value, X * k) for k in range(8))


def test_close_ends_the_workers():
    p = SandboxPool(workers=1, limits=LIMITS)
    procs = [s.proc for s in p.slots]
    p.close()
    assert all(proc.poll() is not None for proc in procs)
    with pytest.raises(RuntimeError, match="the sandbox pool is closed"):
        p.run(job([]))
