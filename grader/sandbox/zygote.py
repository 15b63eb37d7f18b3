"""The sandbox worker: a warm interpreter that forks one confined child per request.

Run as a script in a fresh interpreter (``python -I zygote.py CTRL_FD CONFIG_JSON``) by the pool,
before the grader loads any answer key, secret or submission, so this process never holds them:
it receives no job data at all. The grader sends the child's job on a file descriptor that only
the child reads. The worker preloads NumPy and an allowlist of modules (the sandbox uid may not be
able to read the Python installation), builds the seccomp filter once, is a child subreaper, and
after each child kills every process the child left behind.

Control messages (JSON over an AF_UNIX SOCK_SEQPACKET socket, file descriptors as SCM_RIGHTS):
grader -> worker: {"cmd": "fork", "cpu": s} + [job_fd, result_fd, output_fd, more_socket]; {"cmd": "kill"}.
worker -> grader: {"ev": "ready", "layers"}, {"ev": "forked", "pid"}, {"ev": "exit", "code"|"signal"},
{"ev": "error", "message"}. End of file on the socket means: kill everything and exit.
"""
import fcntl
import gc
import importlib
import importlib.util
import json
import os
import select
import shutil
import signal
import socket
import sys
import tempfile
import time
import traceback

PRELOAD = (
    "numpy", "numpy.linalg", "numpy.random", "numpy.fft", "numpy.polynomial", "numpy.ma",
    "math", "cmath", "random", "copy", "functools", "itertools", "collections", "collections.abc",
    "operator", "time", "json", "re", "string", "typing", "dataclasses", "warnings", "traceback",
    "statistics", "decimal", "fractions", "numbers", "abc", "enum", "heapq", "bisect", "textwrap",
    "pprint", "contextlib", "types", "io", "struct", "array", "datetime", "inspect", "gc", "weakref",
    "ctypes", "signal", "os", "sys", "unicodedata", "socket", "subprocess", "threading", "encodings.idna", "encodings.ascii",
    "encodings.latin_1",
)


def _load(name: str):
    here = os.path.dirname(os.path.abspath(__file__))
    spec = importlib.util.spec_from_file_location(f"_sandbox_{name}", os.path.join(here, f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _preload() -> None:
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    import numpy as np

    a = np.ones((8, 8))
    (a @ a).sum()  # warm BLAS so that children do not pay for its first call
    np.random.default_rng(0).standard_normal(4)
    # Everything preloaded stays: children's collections need not walk it (nor copy its pages).
    gc.collect()
    gc.freeze()


def _children_of(pid: int) -> list:
    """Pids whose parent is `pid` (orphans re-parented to us as subreaper)."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2:].split()
        if len(fields) > 1 and int(fields[1]) == pid:
            out.append(int(entry))
    return out


class Worker:
    def __init__(self, ctrl: socket.socket, cfg: dict):
        self.ctrl, self.cfg = ctrl, cfg
        self.uid = cfg["uid"]
        self.confine = _load("confine")
        self.wire = _load("wire")
        self.child_main = _load("child").main
        self.subreaper = self.confine.set_subreaper()
        self.child = None  # (pid, pidfd or None, scratch dir or None)
        self.killed = False
        _preload()
        # Everything the confinement needs is loaded before the first mount: the mounts hide
        # /tmp and the paths the grader names, where the Python environment itself may live
        # (a virtual environment under /tmp, an editable install in the project folder).
        self.filter = self._build_filter(cfg)
        self.confine.enter_shared_namespaces(cfg)

    def _build_filter(self, cfg: dict):
        if "seccomp" in cfg.get("disable", ()):
            cfg["seccomp_off"] = "off: disabled by the grader's configuration"
            return None
        try:
            return self.confine.build_seccomp_filter()
        except ImportError:
            cfg["seccomp_off"] = "off: pyseccomp (libseccomp) is not installed"
        except Exception as exc:
            cfg["seccomp_off"] = f"off: {exc}"
        return None

    # ------------------------------------------------------------------------------ children
    def _fork(self, fds: list, cpu: int, scratch):
        cfg = dict(self.cfg, fallback_scratch=scratch or "/")
        me = os.getpid()
        pid = os.fork()
        if pid:
            return pid
        code = 70
        try:
            # Copies above the target numbers first, so that no dup2 below overwrites a source.
            copies = [fcntl.fcntl(fd, fcntl.F_DUPFD, 100) for fd in fds]
            job_fd, res_fd, out_fd = copies[:3]
            null = fcntl.fcntl(os.open(os.devnull, os.O_RDONLY), fcntl.F_DUPFD, 100)
            targets = [(null, 0), (out_fd, 1), (out_fd, 2), (job_fd, 3), (res_fd, 4)]
            if len(copies) > 3:  # the socket that brings follow-up calls
                targets.append((copies[3], 5))
            for src, dst in targets:
                os.dup2(src, dst)
            os.closerange(max(dst for _, dst in targets) + 1, 1 << 16)
            layers = self.confine.confine(cfg, self.uid, cpu, self.filter, me)
            layers["subreaper"] = self.subreaper
            self.child_main(3, 4, layers, self.wire, 5 if len(copies) > 3 else None)
            code = 0
        except BaseException:
            try:
                os.write(2, traceback.format_exc().encode()[-4000:])
            except BaseException:
                pass
        finally:
            for stream in (sys.__stdout__, sys.__stderr__):
                try:
                    stream.flush()
                except BaseException:
                    pass
            os._exit(code)

    def _scratch(self):
        if self.cfg.get("mount_namespace_works"):
            return None
        path = tempfile.mkdtemp(prefix="rnngrade-scratch-")
        if self.uid is not None:
            os.chown(path, self.uid, self.uid)
        return path

    def _kill_uid(self) -> None:
        """kill(-1) as the sandbox uid ends every process of that uid, wherever it hid."""
        if self.uid is None:
            return
        helper = os.fork()
        if helper == 0:
            try:
                os.setresgid(self.uid, self.uid, self.uid)
                os.setresuid(self.uid, self.uid, self.uid)
                os.kill(-1, signal.SIGKILL)
            finally:
                os._exit(0)
        os.waitpid(helper, 0)

    def kill_child(self) -> None:
        if self.child is None:
            return
        self.killed = True
        for kill in (os.killpg, os.kill):
            try:
                kill(self.child[0], signal.SIGKILL)
            except OSError:
                pass
        self._kill_uid()

    def sweep(self) -> None:
        """After a child ended: kill and reap everything it left behind (we are the subreaper)."""
        if self.child:
            try:
                os.killpg(self.child[0], signal.SIGKILL)
            except OSError:
                pass
        # Under seccomp a child cannot create processes, so only a kill needs the uid-wide sweep.
        if self.killed or not self.cfg.get("seccomp_works"):
            self._kill_uid()
        deadline = time.monotonic() + 2.0
        while time.monotonic() < deadline:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                for orphan in _children_of(os.getpid()):
                    for kill in (os.killpg, os.kill):
                        try:
                            kill(orphan, signal.SIGKILL)
                        except OSError:
                            pass
                time.sleep(0.002)

    def reap(self) -> dict:
        pid, pidfd, scratch = self.child
        _, status = os.waitpid(pid, 0)
        self.sweep()
        if pidfd is not None:
            os.close(pidfd)
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)
        self.confine.renew_after_child(self.cfg)
        self.child = None
        event = {"ev": "exit", "pid": pid, "killed": self.killed}
        if os.WIFSIGNALED(status):
            event["signal"] = os.WTERMSIG(status)
        else:
            event["code"] = os.WEXITSTATUS(status)
        return event

    def probe(self) -> dict:
        """Fork one child that only sets up the layers, to learn which the system allows."""
        r, w = os.pipe()
        self.cfg["mount_namespace_works"] = False
        scratch = self._scratch()
        pid = os.fork()
        if pid == 0:
            code = 70
            try:
                os.close(r)
                layers = self.confine.confine(dict(self.cfg, fallback_scratch=scratch), self.uid, 5,
                                              self.filter, os.getppid())
                os.write(w, json.dumps(layers).encode())
                code = 0
            except BaseException as exc:
                os.write(w, json.dumps({"fork_server": f"off: the probe failed: {exc!r}"}).encode())
            finally:
                os._exit(code)
        os.close(w)
        data = b""
        while chunk := os.read(r, 65536):
            data += chunk
        os.close(r)
        self.child = (pid, None, scratch)
        self.reap()
        layers = json.loads(data) if data else {"fork_server": "off: the probe process failed"}
        layers["subreaper"] = self.subreaper
        self.cfg["mount_namespace_works"] = layers.get("mount_namespace") == "on"
        self.cfg["seccomp_works"] = layers.get("seccomp") == "on"
        return layers

    # ------------------------------------------------------------------------------ protocol
    def send(self, event: dict) -> None:
        self.ctrl.send(json.dumps(event).encode())

    def handle(self, msg: dict, fds: list) -> None:
        try:
            if msg.get("cmd") == "fork" and self.child is None and len(fds) in (3, 4):
                scratch = self._scratch()
                self.killed = False
                pid = self._fork(fds, int(msg["cpu"]), scratch)
                pidfd = os.pidfd_open(pid) if hasattr(os, "pidfd_open") else None
                self.child = (pid, pidfd, scratch)
                self.send({"ev": "forked", "pid": pid})
            elif msg.get("cmd") == "kill":
                self.kill_child()
            else:
                self.send({"ev": "error", "message": f"unexpected request {msg.get('cmd')!r}"})
        finally:
            for fd in fds:
                os.close(fd)

    def serve(self) -> None:
        self.send({"ev": "ready", "layers": self.probe(), "pid": os.getpid()})
        while True:
            watch = [self.ctrl.fileno()]
            if self.child and self.child[1] is not None:
                watch.append(self.child[1])
            ready, _, _ = select.select(watch, [], [], 0.05 if self.child else None)
            if self.child and (self.child[1] in ready or self.child[1] is None):
                pid = self.child[0]
                if self.child[1] is not None or os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG
                                                          | os.WNOWAIT) is not None:
                    self.send(self.reap())
            if self.ctrl.fileno() in ready:
                msg, fds, _, _ = socket.recv_fds(self.ctrl, 65536, 8)
                if not msg:
                    break
                self.handle(json.loads(msg), fds)
        self.kill_child()
        if self.child:
            self.reap()


def main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C in the grader: the grader decides
    ctrl = socket.socket(fileno=int(sys.argv[1]))
    cfg = json.loads(sys.argv[2])
    try:
        Worker(ctrl, cfg).serve()
    except (BrokenPipeError, ConnectionResetError):
        pass


if __name__ == "__main__":
    main()
