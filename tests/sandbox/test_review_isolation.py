"""Attacks on what successive submissions of one sandbox slot share (its network, IPC and mount
namespaces, entered once by the worker), on the follow-up socket (descriptor 5), on the stub that
replaces a function that hung, and on the descriptors the worker could inherit from the grader.

Each attack is handed in as a submission and graded through a real pool of one slot, so that the
next job runs in the very worker (and namespaces) the attacker used."""
import ctypes
import ctypes.util
import os
import re
import socket

import numpy as np
import pytest

from grader.sandbox import Job, SandboxPool

from .conftest import LIMITS, ROOT, call, job, processes_of, units_of

pytestmark = [pytest.mark.needs_layer("network_namespace", "mount_namespace", "uid_drop"),
              pytest.mark.skipif(not os.path.isdir("/proc/sysvipc"), reason="a kernel without System V IPC")]

LOOK = '''
import os
import re
def look(x):
    return sorted(os.listdir("/tmp")), sorted(os.listdir("/tmp/scratch")), os.getcwd()
def sockets(x):
    with open("/proc/net/unix") as fh:
        return [line.split()[-1] for line in fh.readlines()[1:] if line.split()[-1].startswith("@")]
'''


@pytest.fixture(scope="module")
def slot(secret_dir):
    """One slot: every job runs in the same worker, one after the other."""
    with SandboxPool(workers=1, limits=LIMITS, hide_paths=[ROOT, secret_dir]) as p:
        yield p
        assert processes_of(set(p.uids)) == []


def worker_pid(pool) -> int:
    return pool.slots[0].proc.pid


def look(pool):
    r = pool.run(job(units_of(LOOK), call("look", "look", 0), call("sockets", "sockets", 0)))
    return r.calls["look"].value, r.calls["sockets"].value


# ---------------------------------------------------------------------- the shared mount namespace
DEEP = '''
import os
import re
def deep(n):
    os.chdir("/tmp/scratch")
    for _ in range(n):
        os.mkdir("d")
        os.chdir("d")
    with open("answers.txt", "w") as f:
        f.write("from the previous student")
    os.chdir("/tmp")
    return n
'''


def test_a_folder_too_deep_to_remove_one_by_one_neither_stays_nor_stops_the_worker(slot):
    # shutil.rmtree recursing 1,200 levels raised RecursionError in the worker, which died with it
    before = worker_pid(slot)
    r = slot.run(job(units_of(DEEP), call("deep", "deep", 1200, timeout=10.0)))
    assert (r.calls["deep"].status, r.calls["deep"].value) == ("ok", 1200)
    assert look(slot)[0] == (["scratch"], [], "/tmp/scratch")
    assert worker_pid(slot) == before


ODD = '''
import os, stat
def odd(x):
    os.mkfifo("/tmp/fifo")
    fd = os.open("/tmp/fifo", os.O_RDWR)         # a FIFO held open, with data in it
    os.write(fd, b"left")
    with open("/tmp/scratch/\\udcff\\n name", "w") as f:
        f.write("odd name")
    os.mkdir("/tmp/locked")
    open("/tmp/locked/inside", "w").close()
    os.chmod("/tmp/locked", 0)
    os.symlink("/etc", "/tmp/etc")               # the worker runs as root: it must not follow it
    os.symlink("/tmp/scratch", "/tmp/scratch/loop")
    import fcntl
    fcntl.flock(os.open("/tmp/scratch/lock", os.O_CREAT | os.O_RDWR), fcntl.LOCK_EX)
    s = socket_path()
    with open("/dev/zero", "rb") as zero, open("/tmp/fill", "wb") as fill:
        try:
            while True:
                fill.write(zero.read(1 << 20))
        except OSError:
            pass
    return sorted(os.listdir("/tmp"))
def socket_path():
    import socket
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind("/tmp/scratch/listener")
    s.listen(1)
    return s
'''


def test_odd_files_a_fifo_symlinks_a_lock_and_a_full_tmpfs_are_gone_for_the_next(slot):
    etc = sorted(os.listdir("/etc"))
    r = slot.run(job(units_of(ODD), call("odd", "odd", 0)))
    assert r.calls["odd"].value == ["etc", "fifo", "fill", "locked", "scratch"]
    assert look(slot)[0] == (["scratch"], [], "/tmp/scratch")
    assert sorted(os.listdir("/etc")) == etc  # the symlink was not followed


# ------------------------------------------------------------------- the shared network namespace
CYCLE = '''
import array, socket
def leave(text):
    for i in range(3):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        name = ("\\0" + text + str(i)).encode()
        s.bind(name)
        # the socket in its own receive queue: a cycle of descriptors in flight, which only the
        # kernel's collector frees, some time after the process is gone
        fds = array.array("i", [s.fileno()]).tobytes()
        s.sendmsg([b"x"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, fds)], 0, name)
        s.close()
    with open("/proc/net/unix") as fh:
        return sum(text in line for line in fh)
'''


@pytest.mark.needs_layer("seccomp")
def test_abstract_socket_names_cannot_be_left_in_flight(slot):
    # seccomp refuses sendmsg: the cycle of descriptors in flight cannot even be made
    r = slot.run(job(units_of(CYCLE), call("leave", "leave", "answer-is-42-")))
    assert r.calls["leave"].message == ("PermissionError in leave: [Errno 1] Operation not permitted "
                                        "(line 11)")
    assert look(slot)[1] == []


@pytest.fixture(scope="module")
def slot_without_seccomp(secret_dir):
    with SandboxPool(workers=1, limits=LIMITS, hide_paths=[ROOT, secret_dir], disable=["seccomp"]) as p:
        yield p
        assert processes_of(set(p.uids)) == []


def test_abstract_socket_names_do_not_carry_data_to_the_next_submission(slot_without_seccomp):
    # without seccomp (turned off, or missing with --allow-reduced-isolation) the cycle is made:
    # the worker sees the names and gives the next child new namespaces
    r = slot_without_seccomp.run(job(units_of(CYCLE), call("leave", "leave", "answer-is-42-")))
    assert r.calls["leave"].value == 3  # the names were there while the attacker ran
    assert look(slot_without_seccomp)[1] == []


SEND_BACK = '''
import array, socket
def send_back(x):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(b"\\0sent-to-the-grader")
    more = socket.socket(fileno=5)
    fds = array.array("i", [s.fileno(), 4, 5] * 80).tobytes()
    sent = 0
    more.setblocking(False)
    try:
        while sent < 10000:
            more.sendmsg([b"report"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, fds)])
            sent += 1
    except OSError:
        pass
    more.setblocking(True)
    more.detach()
    return sent > 0
def pid(x):
    import os
    return os.getpid()
'''


@pytest.mark.needs_layer("seccomp")
def test_descriptors_sent_to_the_grader_on_the_followup_socket_go_nowhere(slot):
    # The grader never reads the follow-up socket: what the child queues there (its socket bound
    # to a name, its own result pipe, 253 descriptors a message) is dropped with the socket.
    r = slot.run(Job(units_of(SEND_BACK), [call("s", "send_back", 0)], 2.0,
                     lambda outcomes: [call("p", "pid", 0)], 1.0))
    # seccomp refuses sendmsg: nothing is sent at all
    assert r.calls["s"].value is False and r.calls["p"].status == "ok"
    assert look(slot)[1] == []


# ------------------------------------------------------------------------------------ IPC objects
USE_IPC = '''
import ctypes, ctypes.util
libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
libc.shmat.restype = ctypes.c_void_p
def attach(shmid, text):
    p = libc.shmat(shmid, None, 0)
    if p in (None, 2**64 - 1):
        return "refused", ctypes.get_errno()
    found = ctypes.string_at(p, 32).rstrip(b"\\0").decode()
    ctypes.memmove(p, text.encode(), len(text))
    return found
def listed(x):
    return [len(open("/proc/sysvipc/" + k).readlines()) - 1 for k in ("shm", "sem", "msg")]
'''


@pytest.fixture
def host_segment():
    """A world-writable System V shared memory segment of the host, as other programs leave them."""
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    libc.shmat.restype = ctypes.c_void_p
    shmid = libc.shmget(0, 4096, 0o1666)  # IPC_PRIVATE, IPC_CREAT | 0666
    assert shmid >= 0, os.strerror(ctypes.get_errno())
    p = libc.shmat(shmid, None, 0)
    ctypes.memmove(p, b"host data", 9)
    try:
        yield shmid, lambda: ctypes.string_at(p, 32).rstrip(b"\0")
    finally:
        libc.shmdt(ctypes.c_void_p(p))
        libc.shmctl(shmid, 0, None)  # IPC_RMID


def test_ipc_objects_of_the_host_cannot_be_used_by_id(slot, host_segment):
    # seccomp refuses shmget/semget/msgget, but shmat, msgsnd and semop take a bare id
    shmid, read = host_segment
    for text in ("from student A", "from student B"):
        r = slot.run(job(units_of(USE_IPC), call("a", "attach", shmid, text), call("l", "listed", 0)))
        assert r.calls["a"].value == ("refused", 22)  # EINVAL: no such id in its IPC namespace
        assert r.calls["l"].value == [0, 0, 0]
    assert read() == b"host data"


SYSCALLS = '''
import ctypes, ctypes.util
libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
def raw(nr, a, b, c):
    return libc.syscall(nr, a, b, c), ctypes.get_errno()
def mq(x):
    return libc.mq_open(b"/rnngrade-review", 0o100 | 2, 0o666, None), ctypes.get_errno()
'''


@pytest.mark.needs_layer("seccomp")
@pytest.mark.skipif(os.uname().machine != "x86_64", reason="x86_64 system call numbers")
def test_ipc_objects_cannot_be_created_through_raw_system_calls(slot):
    # shmget 29, semget 64, msgget 68, mq_open 240 on x86_64; with the x32 bit, the call kills
    calls = [call("shm", "raw", 29, 0, 4096, 0o1666), call("sem", "raw", 64, 0, 1, 0o1666),
             call("msg", "raw", 68, 0, 0o1666, 0), call("mq", "mq", 0),
             call("x32", "raw", 29 | 0x40000000, 0, 4096, 0o1666)]
    r = slot.run(job(units_of(SYSCALLS), *calls))
    for cid in ("shm", "sem", "msg", "mq"):
        assert r.calls[cid].value == (-1, 1), cid  # EPERM
    assert (r.calls["x32"].status, r.calls["x32"].message) == (
        "crashed", "process was killed by SIGSYS while running raw")


# ----------------------------------------------------------------------------- the follow-up socket
FD5 = '''
import os, socket
def peek(x):
    more = socket.socket(fileno=5)
    more.setblocking(False)
    try:
        more.recv(16)
        got = "data"
    except BlockingIOError:
        got = "nothing yet"
    more.detach()
    return got, os.path.exists("/proc/self/fd/5")
def close5(x):
    os.close(5)
    return 1
def swap(x):
    os.dup2(4, 5)  # the result pipe where the grader's calls should come from
    return 2
def reports_to_5(x):
    os.dup2(5, 4)  # its reports now go where the grader never reads
    return 3
def pid(x):
    return os.getpid()
'''


def test_the_followup_socket_holds_nothing_before_the_grader_sends(slot):
    r = slot.run(Job(units_of(FD5), [call("peek", "peek", 0)], 2.0, lambda o: [], 0.0))
    assert r.calls["peek"].value == ("nothing yet", True)


@pytest.mark.parametrize("attack", ["close5", "swap"])
def test_breaking_the_followup_socket_costs_one_followup_call(slot, attack):
    r = slot.run(Job(units_of(FD5), [call("a", attack, 0)], 2.0,
                     lambda o: [call("p1", "pid", 0), call("p2", "pid", 0)], 2.0))
    assert r.calls["a"].status == "ok"
    assert r.calls["p1"].status == "crashed"
    assert r.calls["p1"].message == "process exited with code 70 while running pid"
    assert r.calls["p2"].status == "ok"  # in a fresh process, without a socket
    assert look(slot)[0] == (["scratch"], [], "/tmp/scratch")


def test_reports_sent_on_the_followup_socket_are_never_read(slot):
    r = slot.run(Job(units_of(FD5), [call("a", "reports_to_5", 0, timeout=0.5), call("p", "pid", 0)],
                     2.0, lambda o: [call("p2", "pid", 0)], 1.0))
    assert (r.calls["a"].status, r.calls["a"].message) == (
        "timeout", "timed out after 0.5 s while running reports_to_5")
    assert r.calls["p"].status == r.calls["p2"].status == "ok"


# ------------------------------------------------------------------------------ a function that hung
HUNG = '''
import sys
def forward(x):
    while True:
        pass
def backward(x):
    try:
        return forward(x) * 2
    except BaseException as exc:   # catches the stub's _Hung
        return type(exc).__name__, sys.modules[type(exc).__module__].__name__
'''


def test_a_caught_hung_stub_is_the_submissions_own_business_and_ends_with_its_job(slot):
    r = slot.run(job(units_of(HUNG), call("f", "forward", np.zeros(2), timeout=0.3),
                     call("b", "backward", np.zeros(2))))
    assert r.calls["f"].message == "timed out after 0.3 s while running forward"
    assert r.calls["b"].value == ("_Hung", "_sandbox_child")  # what not calling forward could return
    # The next job on the same worker starts from the worker's state: forward runs again
    r = slot.run(job(units_of(HUNG), call("f", "forward", np.zeros(2), timeout=0.3)))
    assert r.calls["f"].message == "timed out after 0.3 s while running forward"


# ------------------------------------------------------------------- descriptors of the grader
FDS = '''
import os
import re
def fds(x):
    out = {}
    for name in os.listdir("/proc/self/fd"):
        try:
            out[name] = os.readlink("/proc/self/fd/" + name)
        except OSError:
            pass
    return out
'''


def _links(pid: int) -> dict:
    out = {}
    for name in os.listdir(f"/proc/{pid}/fd"):
        try:
            out[int(name)] = os.readlink(f"/proc/{pid}/fd/{name}")
        except OSError:
            pass
    return out


def test_the_worker_and_its_children_inherit_no_descriptor_of_the_grader(secret_dir):
    r_end, w_end = os.pipe()
    a, b = socket.socketpair()
    log = open(secret_dir / "gradebook.log", "w")  # noqa: SIM115 - held open across the pool
    held = (r_end, w_end, a.fileno(), b.fileno(), log.fileno())
    for fd in held:
        os.set_inheritable(fd, True)  # the worst case: even inheritable descriptors stay behind
    theirs = {os.readlink(f"/proc/self/fd/{fd}") for fd in held}
    try:
        with SandboxPool(workers=1, limits=LIMITS, hide_paths=[ROOT, secret_dir]) as p:
            worker = _links(p.slots[0].proc.pid)
            r = p.run(Job(units_of(FDS), [call("fds", "fds", 0)], 2.0, lambda o: [], 0.0))
    finally:
        for fd in (r_end, w_end):
            os.close(fd)
        a.close(), b.close(), log.close()
    assert not theirs & set(worker.values()), worker
    # /dev/null, /dev/null, the grader's stderr and the control socket: nothing else
    ctrl = max(worker)
    assert sorted(worker) == [0, 1, 2, ctrl] and worker[ctrl].startswith("socket:")
    assert worker[0] == worker[1] == "/dev/null"
    child = {int(k): v for k, v in r.calls["fds"].value.items()}
    assert not theirs & set(child.values()), child
    # /dev/null, the output pipe twice, results, follow-ups; 3 was the job file, closed once read,
    # and is now the child's own /proc/self/statm (its memory use, read after each call)
    assert sorted(child) == [0, 1, 2, 3, 4, 5] and re.fullmatch(r"/proc/\d+/statm", child[3])
    assert child[0] == "/dev/null" and child[5].startswith("socket:")
