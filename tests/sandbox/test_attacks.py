"""Attacks on the sandbox's own machinery (tests/corpus/hostile/forgery.py, snooping.py): the
report pipe, the grader's decoder, /proc, other jobs. Each costs the attacking job only."""
import os
import shutil
import socket
import tempfile
import threading
from pathlib import Path

import numpy as np
import pytest

from grader.sandbox import Foreign

from .conftest import HOSTILE, call, hostile_units, job, units_of

X = np.arange(3.0)


def test_a_forged_report_is_only_what_the_function_could_have_returned(pool):
    # The child runs the student's code, so it can write any report for its own calls: that is
    # no more than returning that value. The real report then arrives out of order, which the
    # grader charges to the call it expected next (of the same submission).
    r = pool.run(job(hostile_units("forgery.py"), call("forged", "claims_42", X),
                     call("next", "after", X)))
    assert (r.calls["forged"].status, r.calls["forged"].value) == ("ok", 42)
    assert (r.calls["next"].status, r.calls["next"].message) == (
        "crashed", "the sandbox's reports were corrupted while running after (call report out of order)")


def test_a_fake_done_covers_only_the_forgers_own_calls(pool):
    r = pool.run(job(hostile_units("forgery.py"), call("done-0", "fake_done", X),
                     call("done-1", "after", X), call("done-2", "after", X)))
    assert r.calls["done-0"].status == "crashed"
    assert r.calls["done-0"].message.startswith("the sandbox's reports were corrupted while running "
                                                "fake_done (call report out of order)")
    # the forged values of the later calls were never taken: they ran for real in a fresh process
    for c in ("done-1", "done-2"):
        assert r.calls[c].status == "ok" and np.array_equal(r.calls[c].value, X + 1)


@pytest.mark.parametrize("name,why", [
    ("float_index", "malformed unit report"),
    ("huge_seconds", "malformed call report"),
    ("huge_header", "a message of 62914560 bytes is larger than allowed"),
    ("deep_header", "malformed message header"),
    ("json_bomb", "malformed message header"),
    ("garbage", "larger than allowed"),
    ("unknown_key", "malformed unit report"),
    ("foreign_key", "malformed unit report"),
    ("deep_msg", "malformed unit report"),
])
def test_bad_frames_stop_the_child_never_the_grader(pool, name, why):
    source = (HOSTILE / "forgery.py").read_text() + f"\nwrite_bad_frame({name!r})\n"
    units = units_of(source)
    r = pool.run(job(units, call("after", "after", X)))
    bad = r.units[-1]
    assert (bad.label, bad.status) == (units[-1].label, "crashed")
    assert bad.message.startswith("the sandbox's reports were corrupted while loading "
                                  f"{units[-1].label} (")
    assert why in bad.message
    assert all(u.status == "ok" for u in r.units[:-1])
    assert r.calls["after"].status == "ok" and np.array_equal(r.calls["after"].value, X + 1)
    # the slot holds nothing of this job: the next job on it is graded normally
    again = pool.run(job(units_of("def f(x):\n    return x * 2\n"), call("f", "f", X)))
    assert np.array_equal(again.calls["f"].value, 2 * X)


def test_protocol_text_on_stdout_is_only_text(pool):
    r = pool.run(job(hostile_units("forgery.py"), call("p", "protocol_on_stdout", X)))
    assert (r.calls["p"].status, r.calls["p"].value) == ("ok", 5)
    assert '{"ev": "done"}' in r.calls["p"].stdout
    assert r.stdout.endswith('{"ev": "done"}')


def test_values_built_to_hurt_the_decoder(pool):
    r = pool.run(job(hostile_units("odd_values.py"), *[
        call(n, n) for n in ("long_string", "long_keys", "empty_but_huge_shape", "liar_array",
                             "liar_object", "deep", "huge_int")]))
    assert r.calls["long_string"].value == "x" * 10_000
    assert r.calls["long_keys"].status == "bad_output"
    assert r.calls["long_keys"].message == (
        "long_keys returned a value that cannot be graded: WireError: the value's description is "
        "larger than 4 MiB (too many or too long strings)")
    assert r.calls["empty_but_huge_shape"].message == (
        "empty_but_huge_shape returned a value that cannot be graded: WireError: an array axis is "
        "longer than 2147483647")
    liar = r.calls["liar_array"].value
    assert type(liar) is Foreign and liar.type_name == "__main__.Liar"
    assert type(liar.array) is np.ndarray and np.array_equal(liar.array, np.ones(3))
    obj = r.calls["liar_object"].value
    assert type(obj) is Foreign and obj.array is None and len(obj.repr) == 10_003
    assert r.calls["deep"].message.endswith("the value is nested more than 32 levels deep")
    assert r.calls["huge_int"].status == "bad_output"


@pytest.mark.needs_layer("seccomp", "mount_namespace", "process_list")
def test_proc_of_the_worker_and_the_grader_stays_closed(pool, secret_dir):
    r = pool.run(job(hostile_units("snooping.py"), call("s", "snoop", str(secret_dir), os.getpid())))
    assert r.calls["s"].status == "ok", r.calls["s"].message
    found = r.calls["s"].value
    # other uids' processes are not even listed in the sandbox's /proc (they were unreadable before)
    for what in ("environ", "mem", "maps", "root", "cwd", "fd"):
        for who in ("worker", "grader"):
            assert found[f"{who} {what}"] == "FileNotFoundError", (who, what)
    assert found["secret via grader root"] == "FileNotFoundError"
    assert found["kill worker"] == found["kill grader"] == "PermissionError"
    assert found["ptrace attach"] == "EPERM"
    assert found["/dev/shm"] == []
    assert found["write /dev/shm"] == "OSError"
    for how in ("posix_spawn", "subprocess", "fork syscall", "clone syscall"):
        assert found[how] in ("PermissionError", "EPERM"), how


def test_killing_every_process_in_sight_hurts_no_other_job(pool):
    victim: dict = {}

    def run_victim():
        victim["r"] = pool.run(job(units_of("import time\ndef slow(x):\n    time.sleep(0.6)\n"
                                            "    return x + 1\n"), call("v", "slow", X)))

    t = threading.Thread(target=run_victim)
    t.start()
    r = pool.run(job(hostile_units("snooping.py"), call("k", "kill_everything", timeout=2.0)))
    t.join()
    killed, refused = r.calls["k"].value
    assert killed == 0 and refused > 10
    assert np.array_equal(victim["r"].calls["v"].value, X + 1)


def test_catching_the_timeout_and_spinning_in_finally_is_killed(pool):
    r = pool.run(job(hostile_units("snooping.py"), call("spin", "spin_after_timeout", timeout=0.3),
                     call("after", "after", X)))
    assert (r.calls["spin"].status, r.calls["spin"].message) == (
        "timeout", "timed out after 0.3 s while running spin_after_timeout")
    assert np.array_equal(r.calls["after"].value, X + 1)


@pytest.mark.needs_layer("uid_drop", "process_list")
def test_a_submission_sees_no_process_but_its_own(pool):
    r = pool.run(job(hostile_units("neighbours.py"), call("p", "processes")))
    assert r.calls["p"].status == "ok", r.calls["p"].message
    seen = r.calls["p"].value
    # the grader (this process) is running, and its command line is plain to any other user
    assert str(os.getpid()) not in seen["seen"]
    assert list(seen["seen"]) == [str(seen["me"])]
    assert "zygote" in seen["seen"][str(seen["me"])]  # its own command line: the worker's, forked


@pytest.fixture
def host_sockets():
    """A stream and a datagram unix socket bound at paths of the host that any user may use (as
    the system D-Bus is), outside /tmp (the sandbox has a /tmp of its own)."""
    folder = Path(tempfile.mkdtemp(prefix="rnngrade-host-sockets-", dir="/var/tmp"))
    folder.chmod(0o755)
    stream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stream.bind(str(folder / "stream.sock"))
    stream.listen(1)
    stream.setblocking(False)
    datagram = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    datagram.bind(str(folder / "datagram.sock"))
    datagram.setblocking(False)
    for name in ("stream.sock", "datagram.sock"):
        (folder / name).chmod(0o777)
    yield folder, stream, datagram
    stream.close()
    datagram.close()
    shutil.rmtree(folder)


@pytest.mark.needs_layer("seccomp")
def test_unix_sockets_of_the_host_are_out_of_reach(pool, host_sockets):
    folder, stream, datagram = host_sockets
    r = pool.run(job(hostile_units("neighbours.py"), call(
        "s", "host_sockets", str(folder / "stream.sock"), str(folder / "datagram.sock"))))
    assert r.calls["s"].status == "ok", r.calls["s"].message
    assert r.calls["s"].value == {"connect": "PermissionError", "sendto": "PermissionError",
                                  "sendmsg": "PermissionError", "socketpair": "ping"}
    with pytest.raises(BlockingIOError):
        stream.accept()
    with pytest.raises(BlockingIOError):
        datagram.recv(100)
