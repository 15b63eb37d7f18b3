"""Looking at and signalling the processes around the sandbox through /proc (the grader gives its own pid:
the sandbox's /proc does not show it)."""
import ctypes
import os
import signal
import subprocess


def _try(fn):
    try:
        fn()
        return "allowed"
    except OSError as exc:
        return type(exc).__name__


def _parent_of(pid):
    with open(f"/proc/{pid}/stat") as fh:
        return int(fh.read().rsplit(")", 1)[1].split()[1])


def snoop(secret_dir, grader):
    libc = ctypes.CDLL(None, use_errno=True)
    worker = os.getppid()
    found = {}
    for who, pid in (("worker", worker), ("grader", grader)):
        for what in ("environ", "mem", "maps"):
            found[f"{who} {what}"] = _try(lambda: open(f"/proc/{pid}/{what}", "rb").read(1))
        for what in ("root", "cwd", "fd"):
            found[f"{who} {what}"] = _try(lambda: os.listdir(f"/proc/{pid}/{what}"))
        found[f"kill {who}"] = _try(lambda: os.kill(pid, signal.SIGKILL))
    found["secret via grader root"] = _try(
        lambda: open(f"/proc/{grader}/root{secret_dir}/secret.txt").read())
    found["ptrace attach"] = "EPERM" if libc.ptrace(16, worker, 0, 0) == -1 and \
        ctypes.get_errno() == 1 else "allowed"
    found["/dev/shm"] = os.listdir("/dev/shm")
    found["write /dev/shm"] = _try(lambda: open("/dev/shm/x", "w").write("x"))
    found["posix_spawn"] = _try(lambda: os.posix_spawn("/bin/true", ["true"], {}))
    found["subprocess"] = _try(lambda: subprocess.run(["/bin/true"]))
    for name, args in (("fork syscall", (57,)), ("clone syscall", (56, 17, 0, 0, 0, 0))):
        ok = libc.syscall(*args)
        found[name] = "EPERM" if ok == -1 and ctypes.get_errno() == 1 else "allowed"
    return found


def kill_everything():
    """Signal every pid up to a little above our own (the grader and its workers started earlier):
    /proc no longer lists them, but their pids can still be guessed."""
    killed = refused = 0
    for pid in range(2, os.getpid() + 1000):
        if pid != os.getpid():
            try:
                os.kill(pid, signal.SIGKILL)
                killed += 1
            except PermissionError:
                refused += 1
            except OSError:
                pass  # no such process
    return killed, refused


def spin_after_timeout():
    try:
        while True:
            pass
    except BaseException:
        while True:
            pass
    finally:
        while True:
            pass


def after(x):
    return x + 1
