"""Successive submissions on one sandbox slot share nothing: what one leaves in /tmp (files, a
read-only folder, a symlink, a FIFO) is gone before the next starts, and System V IPC objects,
which would outlive the process, cannot be created."""
import pytest

from .conftest import call, job, units_of

LEAVE = '''
import os
def leave(x):
    os.makedirs("/tmp/left/deep", exist_ok=True)
    with open("/tmp/left/deep/note.txt", "w") as f:
        f.write("from the previous student")
    with open("/tmp/scratch/answers.txt", "w") as f:
        f.write("42")
    os.symlink("/etc/passwd", "/tmp/link")
    os.mkfifo("/tmp/fifo")
    os.chmod("/tmp/left", 0o500)
    return sorted(os.listdir("/tmp"))
'''

LOOK = '''
import os
def look(x):
    return sorted(os.listdir("/tmp")), sorted(os.listdir("/tmp/scratch")), os.getcwd()
'''

SYSV = '''
import ctypes, ctypes.util
libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
def shm(x):
    return libc.shmget(0x5EED, 4096, 0o1666), ctypes.get_errno()
def sem(x):
    return libc.semget(0x5EED, 1, 0o1666), ctypes.get_errno()
def msg(x):
    return libc.msgget(0x5EED, 0o1666), ctypes.get_errno()
'''


@pytest.mark.needs_layer("mount_namespace")
def test_what_one_submission_leaves_in_tmp_is_gone_for_the_next(pool):
    first = pool.run(job(units_of(LEAVE), call("leave", "leave", 0)))
    assert first.calls["leave"].value == ["fifo", "left", "link", "scratch"]
    # a pool of one slot: the next job runs on the same worker, after the first one
    for _ in range(len(pool.slots)):
        later = pool.run(job(units_of(LOOK), call("look", "look", 0)))
        assert later.calls["look"].value == (["scratch"], [], "/tmp/scratch")


@pytest.mark.needs_layer("seccomp")
def test_system_v_ipc_objects_cannot_be_created(pool):
    r = pool.run(job(units_of(SYSV), *(call(n, n, 0) for n in ("shm", "sem", "msg"))))
    for name in ("shm", "sem", "msg"):
        assert r.calls[name].value == (-1, 1), name  # EPERM
