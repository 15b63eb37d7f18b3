"""Drive one job through a worker slot: fork a child, watch it, restart it after a failure.

The child reports each unit and call as it finishes, so when it times out or dies the grader knows
what was running: that unit or call alone is marked, a fresh child re-runs the units (skipping
the ones that hung or crashed) and carries on with the next call. At most ``Limits.max_restarts``
fresh children per job; a function that stopped the process twice has its other calls skipped.
"""
from __future__ import annotations

import math
import os
import select
import signal
import socket
import tempfile
import threading
import time
from collections import Counter
from typing import Optional

from . import wire
from .jobs import CALL_STATUSES, UNIT_STATUSES, CallOutcome, Job, JobResult, Limits, UnitOutcome

FD_HEADER = "\n[written directly to file descriptors 1/2]\n"
GRACE = 0.3  # the child stops itself at the limit; the grader kills it this much later
LAYER_ORDER = ("fork_server", "network_namespace", "mount_namespace", "uid_drop", "seccomp",
               "rlimits", "subreaper")


def isolation_summary(layers: dict) -> dict:
    ordered = {name: layers.get(name, "off: unknown") for name in LAYER_ORDER}
    missing = [name for name, state in ordered.items() if state != "on"]
    return {"layers": ordered, "summary": "full" if not missing else f"partial: {', '.join(missing)}"}


def describe_death(event: dict) -> str:
    """ "process exited with code 0", "process crashed with a segmentation fault (SIGSEGV)" """
    sig = event.get("signal")
    if sig is None:
        return f"process exited with code {event.get('code')}"
    if sig == signal.SIGSEGV:
        return "process crashed with a segmentation fault (SIGSEGV)"
    if sig == getattr(signal, "SIGXCPU", None):
        return "process exceeded its CPU time limit (SIGXCPU)"
    try:
        name = signal.Signals(sig).name
    except ValueError:
        name = f"signal {sig}"
    return f"process was killed by {name}"


def _job_file(frame: bytes) -> int:
    """The job goes to the child in a memory file: no pipe to keep filling while it starts."""
    if hasattr(os, "memfd_create"):
        fd = os.memfd_create("rnngrade-job", os.MFD_CLOEXEC)
    else:
        fd = tempfile.TemporaryFile().detach()  # noqa: SIM115 - the fd outlives the object
    view = memoryview(frame)
    while view:
        view = view[os.write(fd, view):]
    os.lseek(fd, 0, os.SEEK_SET)
    return fd


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


class JobSession:
    def __init__(self, slot, job: Job, limits: Limits):
        self.slot, self.job, self.limits = slot, job, limits
        self.units: list = [None] * len(job.units)  # UnitOutcome | None
        self.unit_stdout = [""] * len(job.units)
        self.calls: dict = {}  # call_id -> CallOutcome
        self.call_list = list(job.calls)  # grows once, by the job's follow-up calls
        self.followup_pending = job.followup is not None
        self.grader_error: Optional[BaseException] = None  # raised by the follow-up callback
        self.restarts = 0
        self.stops = Counter()  # function -> times it stopped the process
        self.fd_out = bytearray()
        self.fd_total = 0
        self.layers: Optional[dict] = None

    # ---------------------------------------------------------------------------- whole job
    def run(self) -> JobResult:
        while True:
            self._skip_repeat_offenders()
            finished = self._run_child()
            if self.grader_error is not None:
                break
            if not self._work_left() and self.followup_pending:
                self.add_followup()  # the child ended before it asked (it crashed on its last call)
            if not self._work_left():
                break
            if finished:  # follow-up calls came after the child had finished: a new one runs them
                continue
            if self.restarts >= self.limits.max_restarts:
                break
            self.restarts += 1
        if self.grader_error is not None:
            raise self.grader_error
        why = (f"the submission's process was restarted {self.restarts} times, the limit"
               if self.restarts >= self.limits.max_restarts else "the submission's process stopped")
        for i, unit in enumerate(self.job.units):
            if self.units[i] is None:
                self.units[i] = UnitOutcome(unit.label, "error", f"not run: {why}")
        for call in self.call_list:
            if call.call_id not in self.calls:
                self.calls[call.call_id] = CallOutcome(
                    "crashed", message=f"not run: {why}; {call.function} was not called")
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

    def hung_functions(self) -> list:
        """Functions that timed out: a new child must not call them again, nor let others call them."""
        by_id = {c.call_id: c.function for c in self.call_list}
        return sorted({by_id[i] for i, o in self.calls.items()
                       if o.status == "timeout" and o.message.startswith("timed out after")})

    def _skip_repeat_offenders(self) -> None:
        for call in self.call_list:
            if call.call_id not in self.calls and self.stops[call.function] >= 2:
                self.calls[call.call_id] = CallOutcome(
                    "crashed", message=f"not run: {call.function} stopped the process twice; its "
                                       f"remaining cases were skipped")

    def _stdout(self) -> str:
        """What loading printed (capped in the child), then raw writes to descriptors 1/2 (capped here)."""
        text = "".join(self.unit_stdout)
        if self.fd_total:
            text += FD_HEADER + self.fd_out.decode("utf-8", "replace")
            if self.fd_total > len(self.fd_out):
                text += f"\n... [output truncated: {self.fd_total - len(self.fd_out)} more bytes]\n"
        return text

    # ---------------------------------------------------------------------------- one child
    def _calls_frame(self, call_list: list) -> bytes:
        return wire.pack_frame({"calls": self._call_headers(call_list), "limits": self._limits()},
                               _encoded_args(call_list))

    @staticmethod
    def _call_headers(call_list: list) -> list:
        return [{"id": c.call_id, "function": c.function, "timeout": float(c.timeout),
                 "arg_names": list(c.arg_names) if c.arg_names else None} for c in call_list]

    def _limits(self) -> dict:
        return {"stdout": self.limits.stdout_kb * 1024, "call_stdout": self.limits.call_stdout_kb * 1024,
                "max_result": self.limits.max_result_mb * 2**20}

    def _job_frame(self, unit_order: list, call_list: list) -> bytes:
        skip = [i for i in range(len(self.job.units)) if i not in unit_order]
        timed_out = sum(1 for u in self.units if u is not None and u.status == "timeout")
        blob = _encoded_args(call_list)
        header = {
            "units": [{"label": u.label, "source": u.source, "first_line": u.first_line}
                      for u in self.job.units],
            "skip_units": skip,
            "unit_timeouts_left": max(self.limits.max_restarts + 1 - timed_out, 1),
            "load_timeout": float(self.job.load_timeout),
            "calls": self._call_headers(call_list),
            "limits": self._limits(),
            "hung": self.hung_functions(),
            "more": self.followup_pending,
        }
        return wire.pack_frame(header, blob)

    def _run_child(self) -> bool:
        """Run one child to its end; True when it finished all its work normally."""
        order = [i for i, u in enumerate(self.units) if u is None or u.status not in
                 ("timeout", "crashed")]
        todo = [c for c in self.call_list if c.call_id not in self.calls]
        cpu = math.ceil(self.job.load_timeout * (self.limits.max_restarts + 2)
                        + sum(c.timeout for c in todo) + self.limits.cpu_slack_s
                        + (self.job.followup_seconds if self.followup_pending else 0.0))
        job_fd = _job_file(self._job_frame(order, todo))
        res_r, res_w = os.pipe()
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
            return _ChildWatch(self, order, todo, res_r, out_r, event.get("pid"), more).watch()
        finally:
            os.close(res_r)
            os.close(out_r)
            if more is not None:
                more.close()


class _ChildWatch:
    """The poll loop over one child's result pipe, output pipe and the worker's events."""

    def __init__(self, session: JobSession, order: list, todo: list, res_r: int, out_r: int,
                 pid: Optional[int] = None, more: Optional[socket.socket] = None):
        self.s, self.order, self.todo, self.pid, self.more = session, order, todo, pid, more
        self.res_r, self.out_r = res_r, out_r
        # 16 MiB of JSON made of empty lists costs 380 MB to parse: the header cap is what bounds
        # the grader's memory against a forged frame (the child's own frames stay under it).
        self.reader = wire.FrameReader(max_json=wire.MAX_HEADER,
                                       max_blob=session.limits.max_result_mb * 2**20 + 4096)
        self.reported_units: set = set()
        self.next_call = 0
        self.state = "setup"
        self.deadline = time.monotonic() + 30.0
        self.kill_reason: Optional[tuple] = None  # (what, status, message)
        self.exit_event: Optional[dict] = None

    # -- where are we
    def current(self) -> Optional[tuple]:
        if self.state == "setup":
            return None
        for i in self.order:
            if i not in self.reported_units:
                return ("unit", i)
        if self.next_call < len(self.todo):
            return ("call", self.todo[self.next_call])
        return None

    def _during(self, what) -> str:
        if what[0] == "unit":
            return f"while loading {self.s.job.units[what[1]].label}"
        return f"while running {what[1].function}"

    # -- frames
    def on_frame(self, header: dict, blob: bytes) -> None:
        ev = header.get("ev")
        now = time.monotonic()
        if ev == "hello" and self.state == "setup":
            layers = header.get("layers")
            if isinstance(layers, dict) and self.s.layers is None:
                self.s.layers = {str(k): str(v) for k, v in layers.items()}
            self.state = "load"
            self.deadline = now + self.s.job.load_timeout + GRACE
        elif ev == "unit" and self.state == "load":
            self.on_unit(header)
            if header.get("status") == "timeout":  # the child gives the next units a fresh budget
                self.deadline = now + self.s.job.load_timeout + GRACE
        elif ev == "loaded" and self.state == "load":
            self.state = "calls"
            self.call_deadline(now)
        elif ev == "call" and self.state == "calls":
            self.on_call(header, blob)
            self.call_deadline(now)
        elif ev == "idle" and self.state == "calls" and self.next_call == len(self.todo):
            self.on_idle()
        elif ev == "done" and self.state == "calls":
            self.state = "done"
            self.deadline = now + 5.0
        else:
            raise wire.WireError(f"unexpected message {str(ev)[:30]!r}")

    def on_idle(self) -> None:
        """The child ran every call it was given and waits: send the follow-up calls, or nothing
        (end of file on its socket: it finishes)."""
        try:
            more = self.s.add_followup() if self.s.followup_pending else []
        except Exception as exc:  # noqa: BLE001 - the grader's own bug: raised by run(), not the child's fault
            self.s.grader_error = exc
            more = []
        if more and self.more is not None:
            fd = _job_file(self.s._calls_frame(more))
            try:
                socket.send_fds(self.more, [b"m"], [fd])
            except OSError:
                pass  # the child is gone; its exit is on its way and a new child runs these calls
            finally:
                os.close(fd)
            self.todo.extend(more)
            self.call_deadline(time.monotonic())
        elif self.more is not None:
            self.more.close()
            self.more = None

    def call_deadline(self, now: float) -> None:
        if self.next_call < len(self.todo):
            self.deadline = now + self.todo[self.next_call].timeout + GRACE

    def on_unit(self, h: dict) -> None:
        i, status, message, line = h.get("i"), h.get("status"), h.get("message"), h.get("line")
        if (type(i) is not int or i not in self.order or status not in UNIT_STATUSES
                or not isinstance(message, str)
                or not (line is None or type(line) is int) or not isinstance(h.get("stdout"), str)):
            raise wire.WireError("malformed unit report")
        self.reported_units.add(i)
        if self.s.units[i] is None:
            self.s.units[i] = UnitOutcome(self.s.job.units[i].label, status, message[:4000], line)
            self.s.unit_stdout[i] = h["stdout"][: self.s.limits.stdout_kb * 1024 + 200]

    def on_call(self, h: dict, blob: bytes) -> None:
        if self.next_call >= len(self.todo) or h.get("id") != self.todo[self.next_call].call_id:
            raise wire.WireError("call report out of order")
        call = self.todo[self.next_call]
        status, message, seconds = h.get("status"), h.get("message"), h.get("seconds")
        modified, stdout = h.get("modified"), h.get("stdout")
        if (status not in CALL_STATUSES or not isinstance(message, str)
                or not (seconds is None or (type(seconds) in (int, float) and 0 <= seconds < 1e9))
                or not isinstance(modified, list) or not all(isinstance(m, str) for m in modified)
                or not isinstance(stdout, str)):
            raise wire.WireError("malformed call report")
        value = None
        if status == "ok":
            try:
                value = wire.decode(h.get("value"), blob, self.s.limits.max_result_mb * 2**20)
            except (wire.WireError, ValueError, TypeError) as exc:
                status, message = "bad_output", f"{call.function} returned a value that could not be read: {exc}"
        self.s.calls[call.call_id] = CallOutcome(
            status, value, message[:4000], None if seconds is None else float(seconds),
            modified[:100], stdout[: self.s.limits.call_stdout_kb * 1024 + 200])
        self.next_call += 1

    # -- actions
    def kill(self, status: Optional[str], message: Optional[str]) -> None:
        what = self.current()
        if self.kill_reason is None:
            self.kill_reason = (what, status, message)
        self.s.slot.send({"cmd": "kill"})
        self.deadline = time.monotonic() + 10.0

    def on_deadline(self) -> None:
        if self.kill_reason is not None:  # the worker did not report the exit: it is broken
            self.s.slot.restart()
            self.exit_event = {"code": None, "signal": signal.SIGKILL}
            return
        what = self.current()
        if what is None:
            self.kill(None, None)
        elif what[0] == "unit":
            self.kill("timeout", f"timed out after {self.s.job.load_timeout:g} s {self._during(what)}")
        else:
            self.kill("timeout", f"timed out after {what[1].timeout:g} s {self._during(what)}")

    def on_output(self, data: bytes) -> None:
        s = self.s
        room = s.limits.stdout_kb * 1024 - len(s.fd_out)
        if room > 0:
            s.fd_out += data[:room]
        s.fd_total += len(data)
        if s.fd_total > s.limits.kill_output_kb * 1024 and self.kill_reason is None:
            what = self.current()
            during = f" {self._during(what)}" if what else ""
            self.kill("crashed", f"wrote more than {s.limits.kill_output_kb} KiB directly to its "
                                 f"output{during}; the process was stopped")

    def record_end(self) -> bool:
        """After the child is gone: mark what it was doing; True when it had finished."""
        if self.state == "done" and self.kill_reason is None:
            return True
        what, status, message = self.kill_reason or (self.current(), None, None)
        if what is None:
            return self.state == "done"
        if status is None:
            status = "crashed"
            message = f"{describe_death(self.exit_event)} {self._during(what)}"
        if what[0] == "unit":
            i = what[1]
            if self.s.units[i] is None or self.s.units[i].status == "ok":
                self.s.units[i] = UnitOutcome(self.s.job.units[i].label, status, message)
            self.reported_units.add(i)
        else:
            call = what[1]
            self.s.calls[call.call_id] = CallOutcome(status, message=message,
                                                      seconds=call.timeout if status == "timeout" else None)
            self.s.stops[call.function] += 1
        return False

    def drain(self) -> None:
        """The child is dead: read what it wrote before dying (end of file comes promptly)."""
        for fd, handler in ((self.res_r, self.feed), (self.out_r, self.on_output)):
            end = time.monotonic() + 2.0
            while time.monotonic() < end:
                ready, _, _ = select.select([fd], [], [], max(end - time.monotonic(), 0))
                if not ready:
                    break
                data = os.read(fd, 1 << 20)
                if not data:
                    break
                handler(data)

    def feed(self, data: bytes) -> None:
        if self.kill_reason is not None and self.kill_reason[1] == "crashed":
            return  # the reports of a process that broke the protocol are not trusted
        try:
            for header, blob in self.reader.feed(data):
                self.on_frame(header, blob)
        # The child's process runs student code, which can write anything on this descriptor:
        # whatever the frames do to the checks above is the submission's failure, not the grader's.
        except Exception as exc:  # noqa: BLE001
            what = self.current()
            during = f" {self._during(what)}" if what else ""
            reason = exc if isinstance(exc, wire.WireError) else f"{type(exc).__name__}: {exc}"
            self.kill("crashed", f"the sandbox's reports were corrupted{during} ({str(reason)[:200]})")

    def watch(self) -> bool:
        sock = self.s.slot.sock
        open_fds = {self.res_r, self.out_r}
        while self.exit_event is None:
            timeout = self.deadline - time.monotonic()
            if timeout <= 0:
                self.on_deadline()
                continue
            ready, _, _ = select.select(list(open_fds) + [sock], [], [], timeout)
            for fd in ready:
                if fd is sock:
                    event = self.s.slot.recv(0)
                    if event is None:  # the worker died; start a new one for what is left
                        self.s.slot.restart()
                        self.exit_event = {"signal": signal.SIGKILL}
                    elif event.get("ev") == "exit" and event.get("pid") in (None, self.pid):
                        self.exit_event = event
                    continue
                data = os.read(fd, 1 << 20)
                if not data:
                    open_fds.discard(fd)
                elif fd == self.res_r:
                    self.feed(data)
                else:
                    self.on_output(data)
        self.drain()
        return self.record_end()
