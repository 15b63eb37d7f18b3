"""A pool of warm sandbox workers: one fresh interpreter ("zygote") per slot, one job per slot at a time.

Start the pool before the grader loads an answer key, a secret or any submission: each worker is a
new interpreter started with ``-I`` and a minimal environment, so it holds nothing but NumPy and
the sandbox's own code. ``run`` is thread-safe: N threads may grade N submissions at once.
"""
from __future__ import annotations

import json
import os
import queue
import select
import socket
import subprocess
import sys
import threading
from dataclasses import asdict
from pathlib import Path
from typing import Iterable, Optional

from .jobs import Job, JobResult, Limits
from .session import JobSession, isolation_summary

ZYGOTE = Path(__file__).with_name("zygote.py")
# One BLAS thread per worker: the pool is the parallelism, and extra threads cost ~40 MiB of
# address space each under RLIMIT_AS.
WORKER_ENV = {
    "PATH": os.defpath, "LANG": "C.UTF-8", "HOME": "/nonexistent",
    "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
    "NUMEXPR_NUM_THREADS": "1", "VECLIB_MAXIMUM_THREADS": "1",
}


class SandboxError(RuntimeError):
    """The sandbox itself failed (not the submission): a worker could not start."""


class WorkerSlot:
    """One worker process and its control socket."""

    def __init__(self, index: int, config: dict):
        self.index, self.config = index, config
        self.uid: Optional[int] = config["uid"]
        self.proc: Optional[subprocess.Popen] = None
        self.sock: Optional[socket.socket] = None
        self.layers: dict = {}

    def launch(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.sock = ours
        self.proc = subprocess.Popen(
            [sys.executable, "-I", str(ZYGOTE), str(theirs.fileno()), json.dumps(self.config)],
            pass_fds=[theirs.fileno()], env=WORKER_ENV, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, cwd="/", close_fds=True)
        theirs.close()

    def await_ready(self, timeout: float = 120.0) -> None:
        event = self.recv(timeout)
        if not event or event.get("ev") != "ready":
            self.stop()
            raise SandboxError(f"sandbox worker {self.index} did not start (got {event!r}); run "
                               f"`{sys.executable} {ZYGOTE}` by hand to see why")
        self.layers = event["layers"]

    def restart(self) -> None:
        self.stop()
        self.launch()
        self.await_ready()

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def send(self, message: dict, fds: Iterable[int] = ()) -> bool:
        try:
            socket.send_fds(self.sock, [json.dumps(message).encode()], list(fds))
            return True
        except OSError:
            return False

    def recv(self, timeout: Optional[float]) -> Optional[dict]:
        """The next event; None on timeout or when the worker is gone."""
        ready, _, _ = select.select([self.sock], [], [], timeout)
        if not ready:
            return None
        try:
            data = self.sock.recv(65536)
        except OSError:
            return None
        return json.loads(data) if data else None

    def stop(self) -> None:
        if self.sock is not None:
            self.sock.close()  # end of file: the worker kills its child and exits
            self.sock = None
        if self.proc is not None:
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None


class SandboxPool:
    """Run Jobs in confined processes forked from warm workers.

    >>> with SandboxPool(workers=2, limits=Limits(), hide_paths=[project_dir, out_dir]) as pool:
    ...     result = pool.run(Job(units, calls, load_timeout=5.0))

    ``hide_paths`` are emptied inside the sandbox (the answer key, the output folder, the
    submissions, the release and its secret). ``disable`` turns layers off on purpose (for a
    system where one misbehaves); the result's ``isolation`` then says so.
    """

    def __init__(self, workers: int = 2, limits: Optional[Limits] = None,
                 hide_paths: Iterable = (), disable: Iterable[str] = ()):
        self.limits = limits or Limits()
        root = hasattr(os, "geteuid") and os.geteuid() == 0
        base = self.limits.uid_base
        if base is None:  # distinct per pool, so two graders on one machine never share a uid
            base = 200_000 + (os.getpid() % 100_000) * 16
        disable = set(disable)
        unknown = disable - {"network_namespace", "mount_namespace", "uid_drop", "seccomp"}
        if unknown:
            raise ValueError(f"cannot disable sandbox layer(s) {sorted(unknown)}; the layers that "
                             f"can be turned off are network_namespace, mount_namespace, uid_drop, seccomp")
        hidden = sorted({str(Path(p).resolve()) for p in hide_paths})
        self.slots = []
        for k in range(max(1, int(workers))):
            config = {
                "uid": base + k if root and "uid_drop" not in disable else None,
                "hide_paths": hidden, "disable": sorted(disable),
                "memory_mb": self.limits.memory_mb, "max_files": self.limits.max_files,
                "file_size_mb": self.limits.file_size_mb, "scratch_mb": self.limits.scratch_mb,
                "max_threads": self.limits.max_threads,
            }
            self.slots.append(WorkerSlot(k, config))
        self._idle: "queue.Queue[WorkerSlot]" = queue.Queue()
        self._closed = False
        self._lock = threading.Lock()
        try:
            for slot in self.slots:
                slot.launch()
            for slot in self.slots:
                slot.await_ready()
                self._idle.put(slot)
        except BaseException:
            self.close()
            raise

    @property
    def isolation(self) -> dict:
        """The layers in force, as probed by the first worker at start-up."""
        return isolation_summary(self.slots[0].layers)

    @property
    def uids(self) -> list:
        """The uid of each worker slot's sandboxed processes (empty when not running as root)."""
        return [s.uid for s in self.slots if s.uid is not None]

    def run(self, job: Job) -> JobResult:
        """Run one job; blocks; thread-safe. Student behaviour never raises."""
        if self._closed:
            raise SandboxError("the sandbox pool is closed")
        slot = self._idle.get()
        try:
            if not slot.alive():
                slot.restart()
            try:
                return JobSession(slot, job, self.limits).run()
            except BaseException:
                # A grader bug mid-job leaves the worker's child and its reports behind: the next
                # job on this slot must start from a fresh worker, not read them as its own.
                try:
                    slot.restart()
                except SandboxError:
                    pass  # the next run tries again (the slot is not alive)
                raise
        finally:
            self._idle.put(slot)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            for slot in self.slots:
                slot.stop()

    def __enter__(self) -> "SandboxPool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SandboxPool(workers={len(self.slots)}, limits={asdict(self.limits)})"
