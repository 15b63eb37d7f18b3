"""Hostile submissions (tests/corpus/hostile/) through the real pool: each failure costs only what
it touches, nothing escapes, nothing is left behind."""
import socket
import uuid
from pathlib import Path

import numpy as np
import pytest

from grader.sandbox import Foreign

from .conftest import ROOT, call, hostile_units, job

X = np.arange(6.0).reshape(2, 3)


def outcome(result, call_id):
    c = result.calls[call_id]
    return c.status, c.message


def test_infinite_loop_in_one_function_costs_only_that_call(pool):
    params = {"Wz": np.ones((2, 2))}
    r = pool.run(job(hostile_units("loop_in_function.py"),
                     call("loop", "gru_forward", X, X[:, :1], params, timeout=0.5),
                     call("ok", "gru_cell_forward", X, X[:, :1], params)))
    assert outcome(r, "loop") == ("timeout", "timed out after 0.5 s while running gru_forward")
    assert r.calls["loop"].seconds == 0.5
    assert r.calls["ok"].status == "ok"
    assert np.array_equal(r.calls["ok"].value[0], np.tanh(X[:, :1]))


def test_loop_that_silences_the_alarm_is_killed_and_the_next_call_runs(pool):
    r = pool.run(job(hostile_units("ignores_alarm.py"),
                     call("a", "stubborn", X, timeout=0.5), call("b", "after", X)))
    assert outcome(r, "a") == ("timeout", "timed out after 0.5 s while running stubborn")
    assert r.calls["b"].status == "ok" and np.array_equal(r.calls["b"].value, X + 1)


def test_endless_loop_at_import_marks_that_statement_and_loading_goes_on(pool):
    r = pool.run(job(hostile_units("loop_at_import.py"), call("b", "before", X),
                     call("a", "after", X), load_timeout=0.5))
    assert [(u.label, u.status) for u in r.units] == [
        ("line 1", "ok"), ("line 4", "ok"), ("line 8", "timeout"), ("line 12", "ok")]
    assert r.units[2].message == "timed out after 0.5 s while loading line 8"
    assert np.array_equal(r.calls["b"].value, X * 2) and np.array_equal(r.calls["a"].value, X * 3)


def test_sys_exit_at_import_is_an_error_of_that_statement(pool):
    r = pool.run(job(hostile_units("exit_at_import.py"), call("b", "before", X), call("a", "after", X)))
    assert [(u.status, u.message) for u in r.units] == [
        ("ok", ""), ("ok", ""), ("ok", ""), ("error", "SystemExit: 3"), ("ok", "")]
    assert r.units[3].line == 9
    assert r.calls["b"].status == r.calls["a"].status == "ok"


def test_os_exit_at_import_crashes_that_statement_only(pool):
    r = pool.run(job(hostile_units("os_exit_at_import.py"), call("b", "before", X), call("a", "after", X)))
    assert [(u.status, u.message) for u in r.units] == [
        ("ok", ""), ("ok", ""), ("ok", ""),
        ("crashed", "process exited with code 0 while loading line 9"), ("ok", "")]
    assert r.calls["b"].status == r.calls["a"].status == "ok"


def test_exits_inside_functions(pool):
    r = pool.run(job(hostile_units("exits_in_functions.py"), call("s", "soft_exit", X),
                     call("h", "hard_exit", X), call("f", "fine", X)))
    assert outcome(r, "s") == ("exception", "SystemExit in soft_exit: 0 (line 7)")
    assert outcome(r, "h") == ("crashed", "process exited with code 0 while running hard_exit")
    assert r.calls["f"].status == "ok"


def test_memory_hogs_get_memory_error_and_the_process_survives(pool):
    r = pool.run(job(hostile_units("memory_hogs.py"), call("huge", "alloc_huge", X),
                     call("grow", "grow", X, timeout=5.0), call("f", "fine", X)))
    assert r.calls["huge"].status == "exception"
    assert r.calls["huge"].message.startswith(
        "MemoryError in alloc_huge: Unable to allocate 10.0 GiB for an array with shape (1342177280,)")
    assert outcome(r, "grow") == ("exception", "MemoryError in grow (line 12)")
    assert r.calls["f"].status == "ok"


@pytest.mark.needs_layer("seccomp")
def test_forking_is_refused(pool):
    r = pool.run(job(hostile_units("process_escape.py"), call("fork", "fork_many", X),
                     call("setsid", "escape_setsid", X)))
    assert r.calls["fork"].value == (0, 50)
    assert r.calls["setsid"].value == []


def test_without_seccomp_forks_are_bounded_and_escapees_are_killed(pool_without_seccomp):
    r = pool_without_seccomp.run(job(hostile_units("process_escape.py"),
                                     call("fork", "fork_many", X), call("setsid", "escape_setsid", X)))
    forked, refused = r.calls["fork"].value
    assert forked + refused == 50 and refused >= 40  # RLIMIT_NPROC of the sandbox uid
    assert r.isolation["layers"]["seccomp"] == "off: disabled by the grader's configuration"
    # the conftest fixture then checks that no process of the sandbox uid survived


@pytest.fixture
def listener():
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.bind(("127.0.0.1", 0))
    srv.listen(5)
    srv.setblocking(False)
    yield srv
    srv.close()


def _nobody_connected(srv):
    with pytest.raises(BlockingIOError):
        srv.accept()
    return True


@pytest.mark.needs_layer("seccomp")
def test_sockets_are_refused(pool, listener):
    port = listener.getsockname()[1]
    r = pool.run(job(hostile_units("network.py"), call("v4", "connect", port),
                     call("v6", "connect_ipv6", port)))
    assert outcome(r, "v4") == ("exception", "PermissionError in connect: [Errno 1] Operation not "
                                             "permitted (line 6)")
    assert outcome(r, "v6") == ("exception", "PermissionError in connect_ipv6: [Errno 1] Operation "
                                             "not permitted (line 14)")
    assert _nobody_connected(listener)


@pytest.mark.needs_layer("network_namespace")
def test_without_seccomp_the_network_namespace_still_cuts_the_network(pool_without_seccomp, listener):
    port = listener.getsockname()[1]
    r = pool_without_seccomp.run(job(hostile_units("network.py"), call("v4", "connect", port)))
    assert outcome(r, "v4") == ("exception", "OSError in connect: [Errno 101] Network is "
                                             "unreachable (line 8)")
    assert _nobody_connected(listener)


@pytest.mark.needs_layer("mount_namespace", "uid_drop")
def test_hidden_and_protected_files_cannot_be_read(pool, secret_dir):
    r = pool.run(job(hostile_units("files.py"),
                     call("secret", "read_file", str(secret_dir / "secret.txt")),
                     call("key", "read_file", str(ROOT / "pyproject.toml")),
                     call("shadow", "read_file", "/etc/shadow")))
    assert outcome(r, "secret") == (
        "exception", f"PermissionError in read_file: [Errno 13] Permission denied: "
                     f"'{secret_dir / 'secret.txt'}' (line 6)")
    assert r.calls["key"].status == "exception"
    # A project under /tmp (some CI checkouts) is simply absent from the child's private /tmp.
    under_tmp = Path("/tmp") in ROOT.resolve().parents
    assert r.calls["key"].message.startswith(
        "FileNotFoundError in read_file: [Errno 2]" if under_tmp else "PermissionError in read_file: [Errno 13]")
    assert outcome(r, "shadow") == (
        "exception", "PermissionError in read_file: [Errno 13] Permission denied: '/etc/shadow' (line 6)")


@pytest.mark.needs_layer("mount_namespace", "uid_drop")
def test_files_written_outside_scratch_do_not_appear(pool, secret_dir):
    in_tmp = Path("/tmp") / f"rnngrade-hostile-{uuid.uuid4().hex}"
    in_project = ROOT / f"rnngrade-hostile-{uuid.uuid4().hex}"
    in_var = Path("/var/tmp") / f"rnngrade-hostile-{uuid.uuid4().hex}"
    r = pool.run(job(hostile_units("files.py"), call("tmp", "write_file", str(in_tmp)),
                     call("project", "write_file", str(in_project)),
                     call("var", "write_file", str(in_var)),
                     call("scratch", "write_scratch", "notes.txt")))
    assert r.calls["tmp"].value is True  # a private /tmp: the write succeeds there...
    assert not in_tmp.exists()  # ...and is gone with the process
    assert r.calls["project"].status == "exception" and not in_project.exists()
    assert outcome(r, "var") == (
        "exception", f"OSError in write_file: [Errno 30] Read-only file system: '{in_var}' (line 11)")
    assert not in_var.exists()
    assert r.calls["scratch"].value == ("/tmp/scratch", "scratch is fine")


def test_printing_never_costs_points_but_flooding_the_descriptor_stops_the_call(pool):
    r = pool.run(job(hostile_units("output_flood.py"), call("chatty", "chatty", X, timeout=5.0),
                     call("flood", "flood_fd", X, timeout=5.0), call("again", "chatty", X, timeout=5.0)))
    assert [u.status for u in r.units] == ["ok"] * 5
    assert r.stdout.startswith("x" * 1000)
    prints, raw = r.stdout.split("\n[written directly to file descriptors 1/2]\n")
    assert prints == "x" * 65536 + f"\n... [output truncated: {100_000_000 - 65536 + 1} more characters]\n"
    assert raw.startswith("y" * 65536) and raw.endswith(" more bytes]\n")
    chatty = r.calls["chatty"]
    assert chatty.status == "ok" and np.array_equal(chatty.value, X + 1)
    assert chatty.stdout.startswith("line 0\nline 1\n") and "[output truncated:" in chatty.stdout
    assert outcome(r, "flood") == ("crashed", "wrote more than 1024 KiB directly to its output while "
                                              "running flood_fd; the process was stopped")
    assert r.calls["again"].status == "ok"


def test_monkeypatching_numpy_stays_in_the_sandbox(pool):
    r = pool.run(job(hostile_units("monkeypatch_numpy.py"), call("w", "wrong", X)))
    assert r.calls["w"].status == "ok"
    assert not np.allclose(r.calls["w"].value, X)
    assert not np.array_equal(r.calls["w"].value, X)


@pytest.mark.needs_layer("mount_namespace")
@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")
def test_odd_return_values_arrive_as_plain_values(pool):
    names = ["returns_list", "returns_matrix", "returns_float32", "returns_nan",
             "returns_wrong_shape", "returns_none", "returns_evil", "returns_evil_array",
             "returns_cycle", "returns_scalar", "returns_object_array"]
    marker = Path("/tmp/rnngrade-reduce-ran")
    r = pool.run(job(hostile_units("odd_returns.py"), *[call(n, n, X) for n in names]))
    v = {n: r.calls[n].value for n in names}
    assert v["returns_list"] == [1.0, 2.0, 3.0]
    assert isinstance(v["returns_matrix"], Foreign) and v["returns_matrix"].type_name == "numpy.matrix"
    assert type(v["returns_matrix"].array) is np.ndarray
    assert v["returns_matrix"].array.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    assert v["returns_float32"].dtype == np.float32 and np.array_equal(v["returns_float32"], X)
    assert np.isnan(v["returns_nan"][0, 0]) and v["returns_nan"][1, 2] == 5.0
    assert v["returns_wrong_shape"].shape == (3, 2)
    assert r.calls["returns_none"].status == "ok" and v["returns_none"] is None
    assert v["returns_evil"] == Foreign("__main__.Evil", "Evil()", None)
    assert v["returns_evil_array"].type_name == "__main__.EvilArray"
    assert type(v["returns_evil_array"].array) is np.ndarray
    assert outcome(r, "returns_cycle") == (
        "bad_output", "returns_cycle returned a value that cannot be graded: WireError: the value "
                      "is nested more than 32 levels deep")
    assert v["returns_scalar"] == (2.5, 7, True)
    assert v["returns_object_array"].type_name == "numpy.ndarray[object]"
    assert not marker.exists()


def test_recursion_and_segfault(pool):
    r = pool.run(job(hostile_units("crashes.py"), call("deep", "deep", 0),
                     call("segv", "segfault", X), call("f", "fine", X)))
    assert outcome(r, "deep") == ("exception", "RecursionError in deep: maximum recursion depth "
                                               "exceeded (line 7)")
    assert outcome(r, "segv") == ("crashed", "process crashed with a segmentation fault (SIGSEGV) "
                                             "while running segfault")
    assert r.calls["f"].status == "ok"


def test_restarts_are_bounded(pool):
    calls = [call(f"c{k}", f"crash{k}", X) for k in (1, 2, 3, 4)] + [call("f", "fine", X)]
    r = pool.run(job(hostile_units("crashes.py"), *calls))
    assert [outcome(r, f"c{k}") for k in (1, 2, 3)] == [
        ("crashed", f"process exited with code {k} while running crash{k}") for k in (1, 2, 3)]
    limit = "not run: the submission's process was restarted 3 times, the limit"
    assert outcome(r, "c4") == ("crashed", "process exited with code 4 while running crash4")
    assert outcome(r, "f") == ("crashed", f"{limit}; fine was not called")


def test_a_function_that_ended_the_process_is_not_called_again(pool):
    calls = [call(f"c{k}", "crash1", X) for k in range(4)] + [call("f", "fine", X)]
    r = pool.run(job(hostile_units("crashes.py"), *calls))
    assert outcome(r, "c0") == ("crashed", "process exited with code 1 while running crash1")
    assert [outcome(r, f"c{k}") for k in (1, 2, 3)] == [
        ("crashed", "not run: crash1 ended the process on an earlier case; its remaining cases "
                    "were skipped")] * 3
    assert r.calls["f"].status == "ok"


def test_one_crashing_function_never_reaches_the_restart_limit(pool):
    # ten cases of one crashing function, between which the others run: one fresh process in all
    calls = [c for k in range(10) for c in (call(f"c{k}", "crash1", X), call(f"f{k}", "fine", X))]
    r = pool.run(job(hostile_units("crashes.py"), *calls))
    assert [r.calls[f"f{k}"].status for k in range(10)] == ["ok"] * 10
    assert r.calls["c9"].message == ("not run: crash1 ended the process on an earlier case; its "
                                     "remaining cases were skipped")
