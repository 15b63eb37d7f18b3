"""Isolation layers applied to a freshly forked sandbox process, before any student code runs.

Loaded by path in the sandbox's worker process (imports only the standard library). Each layer
that the operating system refuses is reported as ``"off: <why>"`` instead of failing, so a grader on
macOS or in an unprivileged container still runs, with less protection, and says so.

Order matters: namespaces and mounts need root, so they come before the uid drop; the parent-death
signal is cleared by a uid change, so it comes after; seccomp comes last because it forbids the
system calls the earlier steps use.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import resource
import signal
import sys

CLONE_NEWNS = 0x00020000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
# The network namespace layer comes with a private IPC namespace: System V objects and POSIX
# message queues of the host (or left by another slot) are then out of reach by id too. Seccomp
# refuses creating them, not using an existing one (shmat, msgsnd and semop take a bare id).
NET_AND_IPC = CLONE_NEWNET | CLONE_NEWIPC
MNT_DETACH = 2
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
PR_SET_PDEATHSIG, PR_SET_CHILD_SUBREAPER, PR_SET_NO_NEW_PRIVS = 1, 36, 38
PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 22, 2
SYS_MOUNT_SETATTR = 442  # the same number on every architecture (new syscall table)
AT_FDCWD, AT_RECURSIVE, MOUNT_ATTR_RDONLY = -100, 0x8000, 0x1
SHARED_SCRATCH = ("/dev/shm", "/run/shm")  # POSIX shared memory of the host

_libc = None
if sys.platform.startswith("linux"):
    _libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    _libc.mount.argtypes = [ctypes.c_char_p] * 3 + [ctypes.c_ulong, ctypes.c_char_p]
    _libc.umount2.argtypes = [ctypes.c_char_p, ctypes.c_int]


class _MountAttr(ctypes.Structure):
    _fields_ = [("attr_set", ctypes.c_uint64), ("attr_clr", ctypes.c_uint64),
                ("propagation", ctypes.c_uint64), ("userns_fd", ctypes.c_uint64)]


def _check(result: int, what: str) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def _encoded(s):
    return s.encode() if isinstance(s, str) else s


def _mount(source, target, fstype, flags, data=None) -> None:
    _check(_libc.mount(_encoded(source), _encoded(target), _encoded(fstype), flags, _encoded(data)), f"mount {target}")


def _off(exc: BaseException) -> str:
    return f"off: {exc.strerror if isinstance(exc, OSError) and exc.strerror else exc}"


def set_subreaper() -> str:
    """Orphaned descendants (a grandchild that called setsid()) are re-parented to us, so we find them."""
    if _libc is None:
        return "off: not supported on this operating system"
    try:
        _check(_libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), "prctl(PR_SET_CHILD_SUBREAPER)")
    except OSError as exc:
        return _off(exc)
    return "on"


def _enter_user_namespace() -> None:
    """Without root, a user namespace gives the capabilities the other namespaces need."""
    uid, gid = os.getuid(), os.getgid()
    _check(_libc.unshare(CLONE_NEWUSER), "unshare(CLONE_NEWUSER)")
    with open("/proc/self/setgroups", "w") as fh:
        fh.write("deny")
    with open("/proc/self/uid_map", "w") as fh:
        fh.write(f"{uid} {uid} 1")
    with open("/proc/self/gid_map", "w") as fh:
        fh.write(f"{gid} {gid} 1")


def _make_root_readonly() -> None:
    attr = _MountAttr(MOUNT_ATTR_RDONLY, 0, MS_PRIVATE, 0)
    res = _libc.syscall(SYS_MOUNT_SETATTR, AT_FDCWD, b"/", AT_RECURSIVE, ctypes.byref(attr),
                        ctypes.sizeof(attr))
    if res == 0:
        return
    if ctypes.get_errno() != errno.ENOSYS:
        _check(res, "mount_setattr(/, read-only)")
    # Kernels before 5.12: make every mount private, then read-only one by one.
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    with open("/proc/self/mountinfo") as fh:
        points = [line.split()[4] for line in fh]
    for point in points:
        point = point.encode().decode("unicode_escape")  # mountinfo escapes spaces as \040
        try:
            _mount(None, point, None, MS_REMOUNT | MS_BIND | MS_RDONLY)
        except OSError:
            pass  # a mount we cannot remount (e.g. a locked one) stays as it is


def mount_private_proc() -> str:
    """A /proc of our own over the host's, where a process sees only the processes it may trace
    (``hidepid=invisible``; ``hidepid=2`` before Linux 5.8): with the uid drop, a submission sees itself and nothing
    else, neither the worker's or the grader's command lines nor any other program on the machine.
    Returns the state of the ``process_list`` layer (the uid drop decides the rest)."""
    flags = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC
    try:
        _mount("proc", "/proc", "proc", flags, "hidepid=invisible")
    except OSError:
        try:  # kernels before 5.8 know the same option by its number
            _mount("proc", "/proc", "proc", flags, "hidepid=2")
        except OSError as exc:
            return _off(exc)
    return "on"


def mount_namespace(hide_paths: list, scratch_mb: int) -> str:
    """Private mounts: everything read-only, a fresh small tmpfs on /tmp, hidden paths emptied, a
    /proc that shows no other user's process. Returns the state of the ``process_list`` layer."""
    _check(_libc.unshare(CLONE_NEWNS), "unshare(CLONE_NEWNS)")
    _make_root_readonly()
    proc = mount_private_proc()
    for path in hide_paths:
        if os.path.isdir(path):
            _mount("tmpfs", path, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
                   "size=4k,mode=000")
        elif os.path.exists(path):
            _mount("/dev/null", path, None, MS_BIND)
    # The host's POSIX shared memory (semaphores, other programs' segments) is emptied too.
    for path in SHARED_SCRATCH:
        if os.path.isdir(path) and not os.path.islink(path):
            _mount("tmpfs", path, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
                   "size=4k,mode=555")
    _mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, f"size={scratch_mb}m,mode=1777")
    return proc


def enter_shared_namespaces(cfg: dict) -> None:
    """In the sandbox's worker process, as root: enter the network (with IPC) and mount namespaces
    that its children will share, one child at a time, instead of creating them per child (about
    2 ms of kernel time each). Nothing of a child outlives it there: its processes are killed, the
    worker gives /tmp a fresh tmpfs and, when the child left sockets or IPC objects behind, enters
    new network and IPC namespaces before the next child starts (:func:`renew_after_child`). Sets
    ``cfg["shared_network_namespace"]`` / ``cfg["shared_mount_namespace"]`` for what worked;
    what did not is left to each child, as before."""
    if _libc is None or os.geteuid() != 0:
        return
    disabled = set(cfg.get("disable", ()))
    if "network_namespace" not in disabled and _libc.unshare(NET_AND_IPC) == 0:
        cfg["shared_network_namespace"] = True
    if "mount_namespace" not in disabled:
        try:
            cfg["process_list"] = mount_namespace(cfg["hide_paths"], cfg["scratch_mb"])
            cfg["shared_mount_namespace"] = True
        except OSError:
            pass  # each child tries on its own and reports why it failed


def renew_after_child(cfg: dict) -> None:
    """In the worker, after a child and all its processes are gone: nothing it made may reach the
    next child. /tmp gets a fresh tmpfs (the old one is detached and freed by the kernel once
    nothing holds it): deleting file by file can be defeated, and a 1,000-deep folder makes
    ``shutil.rmtree`` raise RecursionError. Sockets outlive their process when they sit in a
    cycle of descriptors in flight (a socket sent to itself) until the kernel's collector frees
    them, and their abstract names, listed in /proc/net/unix, can carry data: then, or when an IPC
    object exists, or without seccomp (anything may have been created), the next child gets new
    network and IPC namespaces. Raises OSError when /tmp cannot be renewed: the worker must stop."""
    if cfg.get("shared_mount_namespace"):
        _check(_libc.umount2(b"/tmp", MNT_DETACH), "umount /tmp")
        _mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, f"size={cfg['scratch_mb']}m,mode=1777")
    if cfg.get("shared_network_namespace") and (
            not cfg.get("seccomp_works") or _listed("/proc/net/unix")
            or any(_listed(f"/proc/sysvipc/{kind}") for kind in ("shm", "sem", "msg"))):
        _check(_libc.unshare(NET_AND_IPC), "unshare(CLONE_NEWNET | CLONE_NEWIPC)")


def _listed(table: str) -> bool:
    """True when a /proc table (a header line, then one line per object) lists anything."""
    try:
        with open(table, "rb") as fh:
            fh.readline()
            return bool(fh.readline())
    except OSError:
        return False


def _vm_size() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def set_rlimits(cfg: dict, cpu_seconds: int, drop_uid: bool) -> None:
    """RLIMIT_AS counts the mappings inherited from the worker (NumPy), so the budget is added to them."""
    limits = [
        (resource.RLIMIT_CPU, cpu_seconds, cpu_seconds + 1),
        (resource.RLIMIT_NOFILE, cfg["max_files"], cfg["max_files"]),
        (resource.RLIMIT_FSIZE, cfg["file_size_mb"] * 2**20, cfg["file_size_mb"] * 2**20),
        (resource.RLIMIT_CORE, 0, 0),
    ]
    if sys.platform.startswith("linux"):
        budget = _vm_size() + cfg["memory_mb"] * 2**20
        limits.append((resource.RLIMIT_AS, budget, budget))
    if drop_uid:  # RLIMIT_NPROC counts every process of the uid; only a uid of our own makes it ours
        limits.append((resource.RLIMIT_NPROC, cfg["max_threads"], cfg["max_threads"]))
    for which, soft, hard in limits:
        _, old_hard = resource.getrlimit(which)
        if old_hard != resource.RLIM_INFINITY:
            hard = min(hard, old_hard)
            soft = min(soft, hard)
        resource.setrlimit(which, (soft, hard))


def drop_uid(uid: int) -> None:
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


class CompiledFilter:
    """A seccomp filter as the BPF program libseccomp generates for it, generated once: loading it
    in a child is one ``prctl`` (libseccomp would generate the program again in every child)."""

    def __init__(self, flt):
        import tempfile

        with tempfile.TemporaryFile() as fh:
            flt.export_bpf(fh)
            fh.seek(0)
            program = fh.read()
        if not program or len(program) % 8:
            raise OSError(0, f"libseccomp exported a BPF program of {len(program)} bytes")
        self._buffer = ctypes.create_string_buffer(program, len(program))
        self._fprog = _SockFprog(len(program) // 8, ctypes.cast(self._buffer, ctypes.c_void_p))

    def load(self) -> None:
        """Needs ``PR_SET_NO_NEW_PRIVS`` first (or CAP_SYS_ADMIN)."""
        _check(_libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(self._fprog), 0, 0),
               "prctl(PR_SET_SECCOMP)")


def build_seccomp_filter():
    """The filter is built once in the worker and loaded in each child (building costs ~1 ms,
    generating its program ~0.5 ms: see ``CompiledFilter``).

    Refused: creating processes (fork, vfork, clone without CLONE_THREAD; clone3 answers ENOSYS so
    that the C library falls back to clone for threads), running programs, sockets other than
    AF_UNIX, the calls that reach other processes or change the mount and namespace setup, and
    IPC objects that would outlive the process.
    """
    import pyseccomp as seccomp

    flt = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
    eperm = seccomp.ERRNO(errno.EPERM)
    for name in ("fork", "vfork", "execve", "execveat", "ptrace", "process_vm_readv",
                 "process_vm_writev", "unshare", "setns", "mount", "umount2", "pivot_root",
                 "chroot", "mount_setattr", "move_mount", "open_tree", "fsopen", "keyctl",
                 "add_key", "request_key", "bpf", "perf_event_open", "userfaultfd",
                 "io_uring_setup", "kexec_load", "init_module", "finit_module",
                 # System V IPC objects and POSIX message queues outlive the process: one
                 # submission could leave data there for the next
                 "shmget", "semget", "msgget", "mq_open"):
        try:
            flt.add_rule(eperm, name)
        except Exception:  # a call this architecture does not have
            pass
    clone_thread = 0x00010000
    flt.add_rule(eperm, "clone", seccomp.Arg(0, seccomp.MASKED_EQ, clone_thread, 0))
    flt.add_rule(seccomp.ERRNO(errno.ENOSYS), "clone3")
    flt.add_rule(eperm, "socket", seccomp.Arg(0, seccomp.NE, 1))  # 1 = AF_UNIX
    # A unix socket of the host bound at a path (the system D-Bus, a database's, a container
    # runtime's) is reachable through the read-only mounts: connecting needs no write access to
    # the file system. The child needs no connect() at all (its sockets come already connected),
    # nor an address to send to: connect, sendmsg/sendmmsg (their address is out of the filter's
    # sight) and sendto with an address are refused. Abstract names are the network namespace's.
    for name in ("connect", "sendmsg", "sendmmsg"):
        flt.add_rule(eperm, name)
    flt.add_rule(eperm, "sendto", seccomp.Arg(4, seccomp.NE, 0))
    return CompiledFilter(flt)


def _process_list_state(layers: dict, cfg: dict, uid) -> str:
    if not _libc:
        return "off: not Linux"
    if layers.get("mount_namespace") != "on":
        return "off: needs the mount namespace"
    if uid is None:
        return "off: needs the uid drop (a process sees every process of its own user)"
    return cfg.get("process_list", "off: unknown")


def confine(cfg: dict, uid, cpu_seconds: int, seccomp_filter, parent_pid: int) -> dict:
    """Apply every layer to the current (freshly forked) process; return {layer: "on" | "off: why"}."""
    layers = {"fork_server": "on"}
    os.setsid()
    linux = _libc is not None
    root = os.geteuid() == 0
    if linux and not root:
        try:
            _enter_user_namespace()
        except OSError:
            pass  # the namespace steps below report the refusal
    disabled = set(cfg.get("disable", ()))
    by_config = "off: disabled by the grader's configuration"
    if linux:
        try:
            if "network_namespace" in disabled:
                raise OSError(0, by_config[5:])
            if not cfg.get("shared_network_namespace"):
                _check(_libc.unshare(NET_AND_IPC), "unshare(CLONE_NEWNET | CLONE_NEWIPC)")
            layers["network_namespace"] = "on"
        except OSError as exc:
            layers["network_namespace"] = _off(exc)
        try:
            if "mount_namespace" in disabled:
                raise OSError(0, by_config[5:])
            if not cfg.get("shared_mount_namespace"):
                cfg["process_list"] = mount_namespace(cfg["hide_paths"], cfg["scratch_mb"])
            os.makedirs("/tmp/scratch", exist_ok=True)
            if uid is not None:
                os.chown("/tmp/scratch", uid, uid)
            os.chdir("/tmp/scratch")
            layers["mount_namespace"] = "on"
        except OSError as exc:
            layers["mount_namespace"] = _off(exc)
    else:
        layers["network_namespace"] = layers["mount_namespace"] = "off: not Linux"
    layers["process_list"] = _process_list_state(layers, cfg, uid)
    if layers["mount_namespace"] != "on":
        os.chdir(cfg["fallback_scratch"])
    try:
        set_rlimits(cfg, cpu_seconds, uid is not None)
        layers["rlimits"] = "on"
    except (OSError, ValueError) as exc:
        layers["rlimits"] = _off(exc)
    if uid is not None:
        drop_uid(uid)  # must not fail silently: running students as root is not a fallback
        layers["uid_drop"] = "on"
    else:
        layers["uid_drop"] = ("off: the grader does not run as root, so submissions run as its user"
                              if not root else by_config)
    if linux:
        _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent_pid:  # the worker died before the signal was armed
            os._exit(70)
    if seccomp_filter is None:
        layers["seccomp"] = cfg.get("seccomp_off", "off: libseccomp is not available")
    else:
        try:
            _check(_libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(PR_SET_NO_NEW_PRIVS)")
            seccomp_filter.load()
            layers["seccomp"] = "on"
        except Exception as exc:  # pyseccomp raises plain OSError/RuntimeError
            layers["seccomp"] = _off(exc)
    return layers
