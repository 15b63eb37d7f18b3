"""Drive one job through a worker slot: fork a child, watch it, restart it after a failure.

The child reports each unit and call as it finishes, so when it times out or dies the grader knows
what was running: that unit or call alone is marked, a fresh child re-runs the units (skipping
the ones that hung or crashed) and carries on with the next call. A function whose call hung or
ended the process is not called again in the job (its other cases say why, and a function calling
it stops at once), so one bad function costs one fresh child. ``Limits.max_restarts`` bounds the
distinct causes of fresh children (functions, units, deaths nobody can be blamed for), not calls.
"""
from __future__ import annotations

import fcntl
import math
import os
import socket
import threading
from typing import Optional

from . import wire
from .jobs import CallOutcome, Job, JobResult, Limits, UnitOutcome, unit_cell
from .watch import ChildWatch, job_file

FD_HEADER = "\n[written directly to file descriptors 1/2]\n"
LAYER_ORDER = ("fork_server", "network_namespace", "mount_namespace", "process_list", "uid_drop",
               "seccomp", "rlimits", "subreaper")


def isolation_summary(layers: dict) -> dict:
    ordered = {name: layers.get(name, "off: unknown") for name in LAYER_ORDER}
    missing = [name for name, state in ordered.items() if state != "on"]
    return {"layers": ordered, "summary": "full" if not missing else f"partial: {', '.join(missing)}"}


_ENCODED: dict = {}  # the arguments of recent jobs, encoded: most students share their cases
_ENCODED_MAX = 64
_ENCODED_LOCK = threading.Lock()


def _encoded_args(call_list: list) -> bytes:
    """``wire.pack_inputs`` of the calls' arguments, reused when the very same argument objects recur."""
    refs = tuple(a for c in call_list for a in c.args)
    # the arity of each call is part of the key: the same objects grouped into other calls
    # (or calls without arguments) must not share an encoding
    key = (tuple(len(c.args) for c in call_list), tuple(map(id, refs)))
    with _ENCODED_LOCK:
        hit = _ENCODED.get(key)
    # ids can be reused by new objects: the cached entry must hold these very objects.
    if hit is not None and len(hit[0]) == len(refs) and all(a is b for a, b in zip(hit[0], refs)):
        return hit[1]
    blob = wire.pack_inputs([list(c.args) for c in call_list])
    with _ENCODED_LOCK:
        if len(_ENCODED) >= _ENCODED_MAX:
            _ENCODED.pop(next(iter(_ENCODED)))
        _ENCODED[key] = (refs, blob)
    return blob


RESULT_PIPE_BYTES = 1 << 20  # the Linux default ceiling for a pipe (/proc/sys/fs/pipe-max-size)


def _widen_pipe(fd: int) -> None:
    """Room for a job's reports while the grader pauses between reads (watch.REPORT_PAUSE), so
    that the child does not block on a full 64 KiB pipe; elsewhere the pipe keeps its size."""
    try:
        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, RESULT_PIPE_BYTES)
    except (AttributeError, OSError):
        pass


class JobSession:
    def __init__(self, slot, job: Job, limits: Limits):
        self.slot, self.job, self.limits = slot, job, limits
        self.units: list = [None] * len(job.units)  # UnitOutcome | None
        self.unit_stdout = [""] * len(job.units)
        self.calls: dict = {}  # call_id -> CallOutcome
        self.call_list = list(job.calls)  # grows once, by the job's follow-up calls
        self.followup_pending = job.followup is not None
        self.grader_error: Optional[BaseException] = None  # raised by the follow-up callback
        # Functions that ran out of time ("timeout") or whose call ended the process ("crashed"):
        # a new child must not call them again, nor let others call them.
        self.stopped: dict = {}
        self.restarts = 0
        # What ended each child that did not finish: ("call", function), ("unit", index), or
        # ("unknown", n) when nothing of the submission was running. The restart limit counts these.
        self.culprits: set = set()
        self.last_culprit: Optional[tuple] = None
        self.fd_out = bytearray()
        self.fd_total = 0
        self.layers: Optional[dict] = None

    # ---------------------------------------------------------------------------- whole job
    def run(self) -> JobResult:
        while True:
            self.last_culprit = None
            finished = self._run_child()
            if self.grader_error is not None:
                break
            if not self._work_left() and self.followup_pending:
                self.add_followup()  # the child ended before it asked (it crashed on its last call)
            if not self._work_left():
                break
            if finished:  # follow-up calls came after the child had finished: a new one runs them
                continue
            self.culprits.add(self.last_culprit or ("unknown", self.restarts))
            if len(self.culprits) > self.limits.max_restarts:
                break
            self.restarts += 1
        if self.grader_error is not None:
            raise self.grader_error
        why = ({"key": "sandbox.restart_limit", "fields": {"n": self.restarts}}
               if len(self.culprits) > self.limits.max_restarts
               else {"key": "sandbox.process_stopped", "fields": {}})
        for i, unit in enumerate(self.job.units):
            if self.units[i] is None:
                self.units[i] = UnitOutcome(unit.label, "error",
                                            msg={"key": "sandbox.not_run", "fields": {"why": why}})
        for call in self.call_list:
            if call.call_id not in self.calls:
                self.calls[call.call_id] = CallOutcome(
                    "crashed", msg={"key": "sandbox.not_run_call", "fields": {"why": why, "fn": call.function}})
        return JobResult(units=self.units, calls={c.call_id: self.calls[c.call_id]
                                                  for c in self.call_list},
                         stdout=self._stdout(), isolation=isolation_summary(
                             self.layers or self.slot.layers))

    def _work_left(self) -> bool:
        return any(u is None for u in self.units) or len(self.calls) < len(self.call_list)

    def add_followup(self) -> list:
        """Ask the job for its follow-up calls (once); they join the calls still to run."""
        self.followup_pending = False
        more = [c for c in self.job.followup(dict(self.calls)) if c.call_id not in self.calls]
        known = {c.call_id for c in self.call_list}
        more = [c for c in more if c.call_id not in known]
        self.call_list.extend(more)
        return more

    def _stdout(self) -> str:
        """What loading printed (capped in the child), then raw writes to descriptors 1/2 (capped here)."""
        text = "".join(self.unit_stdout)
        if self.fd_total:
            text += FD_HEADER + self.fd_out.decode("utf-8", "replace")
            if self.fd_total > len(self.fd_out):
                text += f"\n... [output truncated: {self.fd_total - len(self.fd_out)} more bytes]\n"
        return text

    # ---------------------------------------------------------------------------- one child
    def calls_frame(self, call_list: list) -> bytes:
        """The frame of follow-up calls for a child that waits for them."""
        return wire.pack_job({"calls": self._call_headers(call_list), "limits": self._limits()},
                             _encoded_args(call_list))

    @staticmethod
    def _call_headers(call_list: list) -> list:
        headers = [{"id": c.call_id, "function": c.function, "timeout": float(c.timeout),
                    "arg_names": list(c.arg_names) if c.arg_names else None} for c in call_list]
        for header, c in zip(headers, call_list):
            if c.produced:
                header["produced"] = c.produced
            if c.caches:
                header["caches"] = c.caches
        return headers

    def _limits(self) -> dict:
        return {"stdout": self.limits.stdout_kb * 1024, "call_stdout": self.limits.call_stdout_kb * 1024,
                "max_result": self.limits.max_result_mb * 2**20}

    def _job_frame(self, unit_order: list, call_list: list) -> bytes:
        skip = [i for i in range(len(self.job.units)) if i not in unit_order]
        timed_out = sum(1 for u in self.units if u is not None and u.status == "timeout")
        blob = _encoded_args(call_list)
        header = {
            # the unit's cell, so that the child says where as a message ("第 5 个单元格" in a zh report)
            "units": [{"label": u.label, "source": u.source, "first_line": u.first_line,
                       "cell": unit_cell(u)} for u in self.job.units],
            "skip_units": skip,
            "unit_timeouts_left": max(self.limits.max_restarts + 1 - timed_out, 1),
            "load_timeout": float(self.job.load_timeout),
            "calls": self._call_headers(call_list),
            "limits": self._limits(),
            "stopped": dict(sorted(self.stopped.items())),
            "more": self.followup_pending,
        }
        if self.job.support_modules or self.job.inert_modules:
            header.update(support=dict(self.job.support_modules), inert=list(self.job.inert_modules),
                          inert_names=list(self.job.inert_names))
        return wire.pack_job(header, blob)

    def _run_child(self) -> bool:
        """Run one child to its end; True when it finished all its work normally."""
        order = [i for i, u in enumerate(self.units) if u is None or u.status not in
                 ("timeout", "crashed")]
        todo = [c for c in self.call_list if c.call_id not in self.calls]
        cpu = math.ceil(self.job.load_timeout * (self.limits.max_restarts + 2)
                        + sum(c.timeout for c in todo) + self.limits.cpu_slack_s
                        + (self.job.followup_seconds if self.followup_pending else 0.0))
        job_fd = job_file(self._job_frame(order, todo))
        res_r, res_w = os.pipe()
        _widen_pipe(res_w)
        out_r, out_w = os.pipe()
        # Follow-up calls reach the child as a memory file passed on this socket (only a job that
        # may have some gives the child a socket at all).
        more = more_child = None
        if self.followup_pending:
            more, more_child = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        fds = [job_fd, res_w, out_w] + ([more_child.fileno()] if more_child else [])
        try:
            sent = self.slot.send({"cmd": "fork", "cpu": cpu}, fds)
        finally:
            for fd in (job_fd, res_w, out_w):
                os.close(fd)
            if more_child is not None:
                more_child.close()
        try:
            event = self.slot.recv(30.0) if sent else None
            while event and event.get("ev") == "exit":  # a stale report of an earlier child
                event = self.slot.recv(30.0)
            if not event or event.get("ev") != "forked":
                self.slot.restart()  # the worker itself is broken; not the submission's doing
                return False
            return ChildWatch(self, order, todo, res_r, out_r, event.get("pid"), more).watch()
        finally:
            os.close(res_r)
            os.close(out_r)
            if more is not None:
                more.close()
