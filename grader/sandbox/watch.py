"""Watch one sandboxed child to its end: its result pipe, its output pipe and the worker's events.

The child reports each unit and call as it finishes (see child.py); this loop turns the reports into
outcomes, sends follow-up calls when the child is idle, enforces the time limits (the child stops
itself at a limit; the grader kills it ``GRACE`` later) and, when the child dies, marks what it
was doing. Everything the child wrote is the submission's doing: a malformed report costs the
submission, never the grader.
"""
from __future__ import annotations

import os
import select
import signal
import socket
import tempfile
import time
from typing import TYPE_CHECKING, Optional

from . import wire
from .jobs import CALL_STATUSES, UNIT_STATUSES, CallOutcome, UnitOutcome

if TYPE_CHECKING:
    from .session import JobSession

GRACE = 0.3  # the child stops itself at the limit; the grader kills it this much later
# After reading the child's reports, wait this long before listening again: a child writing into
# a pipe nobody waits on pays no wake-up, so its next reports cost a copy each, and the grader
# reads them in one go (a job's units and calls cost ~10 % less CPU, grader and child together).
# Each report is still written as soon as it is known; the result pipe holds 1 MiB meanwhile.
REPORT_PAUSE = 0.001


def _m(key: str, **fields) -> dict:
    return {"key": key, "fields": fields}


def describe_death(event: dict, during: dict) -> dict:
    """How the process ended, as a coded message: "process exited with code 0 <during>", ..."""
    sig = event.get("signal")
    if sig is None:
        return _m("sandbox.exited", code=str(event.get("code")), during=during)
    if sig == signal.SIGSEGV:
        return _m("sandbox.segfault", during=during)
    if sig == getattr(signal, "SIGXCPU", None):
        return _m("sandbox.cpu_limit", during=during)
    try:
        name = signal.Signals(sig).name
    except ValueError:
        name = f"signal {sig}"
    return _m("sandbox.killed", signal=name, during=during)


def _valid_msg(coded) -> bool:
    """A coded message from the child: a key and fields of plain values (or coded messages)."""
    return (isinstance(coded, dict) and isinstance(coded.get("key"), str) and len(coded["key"]) < 100
            and isinstance(coded.get("fields"), dict)
            and all(isinstance(k, str) and (isinstance(v, (str, int, float)) or _valid_msg(v))
                    for k, v in coded["fields"].items()))


def job_file(frame: bytes) -> int:
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


class ChildWatch:
    """The poll loop over one child's result pipe, output pipe and the worker's events."""

    def __init__(self, session: "JobSession", order: list, todo: list, res_r: int, out_r: int,
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
        # False from sending follow-up calls until the first of them is reported: a death then may
        # be the child failing to read them (its socket broken by an earlier call), not the call's.
        self.started = True
        self.spent_by: Optional[str] = None  # the function that left the process without memory

    # -- where are we
    def current(self) -> Optional[tuple]:
        if self.state in ("setup", "spent"):
            return None
        for i in self.order:
            if i not in self.reported_units:
                return ("unit", i)
        if self.next_call < len(self.todo):
            return ("call", self.todo[self.next_call])
        return None

    def _during(self, what) -> dict:
        if what[0] == "unit":
            return _m("sandbox.during_loading", unit=self.s.job.units[what[1]].label)
        return _m("sandbox.during_running", fn=what[1].function)

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
        elif (ev == "spent" and self.state == "calls" and self.next_call > 0
              and header.get("id") == self.todo[self.next_call - 1].call_id):
            # the call just reported left no memory for the next ones: a fresh process runs them
            self.state = "spent"
            self.spent_by = self.todo[self.next_call - 1].function
            self.deadline = now + 5.0
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
            fd = job_file(self.s.calls_frame(more))
            try:
                socket.send_fds(self.more, [b"m"], [fd])
            except OSError:
                pass  # the child is gone; its exit is on its way and a new child runs these calls
            finally:
                os.close(fd)
            self.todo.extend(more)
            self.started = False
            self.call_deadline(time.monotonic())
        elif self.more is not None:
            self.more.close()
            self.more = None

    def call_deadline(self, now: float) -> None:
        if self.next_call < len(self.todo):
            self.deadline = now + self.todo[self.next_call].timeout + GRACE

    def on_unit(self, h: dict) -> None:
        i, status, message, line = h.get("i"), h.get("status"), h.get("message", ""), h.get("line")
        coded = h.get("msg")
        if (type(i) is not int or i not in self.order or status not in UNIT_STATUSES
                or not isinstance(message, str) or not (coded is None or _valid_msg(coded))
                or not (line is None or type(line) is int) or not isinstance(h.get("stdout"), str)):
            raise wire.WireError("malformed unit report")
        self.reported_units.add(i)
        if self.s.units[i] is None:
            self.s.units[i] = UnitOutcome(self.s.job.units[i].label, status, message[:4000], line, coded)
            self.s.unit_stdout[i] = h["stdout"][: self.s.limits.stdout_kb * 1024 + 200]

    def on_call(self, h: dict, blob: bytes) -> None:
        if self.next_call >= len(self.todo) or h.get("id") != self.todo[self.next_call].call_id:
            raise wire.WireError("call report out of order")
        call = self.todo[self.next_call]
        status, message, seconds = h.get("status"), h.get("message", ""), h.get("seconds")
        modified, stdout, coded = h.get("modified"), h.get("stdout"), h.get("msg")
        if (status not in CALL_STATUSES or not isinstance(message, str)
                or not (coded is None or _valid_msg(coded))
                or not (seconds is None or (type(seconds) in (int, float) and 0 <= seconds < 1e9))
                or not isinstance(modified, list) or not all(isinstance(m, str) for m in modified)
                or not isinstance(stdout, str)):
            raise wire.WireError("malformed call report")
        value = produced = None
        if status == "ok":
            try:
                value = wire.decode(h.get("value"), blob, self.s.limits.max_result_mb * 2**20)
                if call.produced:  # the extracts of the caches the child made (read like a value)
                    produced = wire.decode(h.get("produced"), blob, self.s.limits.max_result_mb * 2**20)
                    if not isinstance(produced, tuple) or len(produced) != len(call.produced):
                        raise wire.WireError("malformed cache extracts")
                    produced = list(produced)
            except (wire.WireError, ValueError, TypeError) as exc:
                status, message = "bad_output", ""
                coded = _m("sandbox.unreadable_value", fn=call.function, error=str(exc)[:2000])
        self.s.calls[call.call_id] = CallOutcome(
            status, value, message[:4000], None if seconds is None else float(seconds),
            modified[:100], stdout[: self.s.limits.call_stdout_kb * 1024 + 200], produced, coded)
        if status == "timeout" and h.get("hung") is True:  # not a call skipped or stopped for another
            self.s.stopped.setdefault(call.function, "timeout")
        self.next_call += 1
        self.started = True

    # -- actions
    def kill(self, status: Optional[str], message: Optional[dict]) -> None:
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
            self.kill("timeout", _m("sandbox.timeout_loading", t=f"{self.s.job.load_timeout:g}",
                                    unit=self.s.job.units[what[1]].label))
        else:
            self.kill("timeout", _m("sandbox.timeout_running", t=f"{what[1].timeout:g}", fn=what[1].function))

    def on_output(self, data: bytes) -> None:
        s = self.s
        room = s.limits.stdout_kb * 1024 - len(s.fd_out)
        if room > 0:
            s.fd_out += data[:room]
        s.fd_total += len(data)
        if s.fd_total > s.limits.kill_output_kb * 1024 and self.kill_reason is None:
            what = self.current()
            self.kill("crashed", _m("sandbox.output_flood", kb=s.limits.kill_output_kb, during=self._during(what))
                      if what else _m("sandbox.output_flood_any", kb=s.limits.kill_output_kb))

    def record_end(self) -> bool:
        """After the child is gone: mark what it was doing; True when it had finished."""
        if self.state == "done" and self.kill_reason is None:
            return True
        if self.state == "spent":
            self.s.stopped.setdefault(self.spent_by, "memory")
            self.s.last_culprit = ("call", self.spent_by)
            return False
        what, status, message = self.kill_reason or (self.current(), None, None)
        if what is None:
            return self.state == "done"
        if status is None:
            status = "crashed"
            message = describe_death(self.exit_event, self._during(what))
        if what[0] == "unit":
            i = what[1]
            if self.s.units[i] is None or self.s.units[i].status == "ok":
                self.s.units[i] = UnitOutcome(self.s.job.units[i].label, status, msg=message)
            self.reported_units.add(i)
            self.s.last_culprit = ("unit", i)
        else:
            call = what[1]
            self.s.calls[call.call_id] = CallOutcome(status, msg=message,
                                                      seconds=call.timeout if status == "timeout" else None)
            # Called again, it would end the next process too (or hang it): its other cases, and
            # the functions that call it, say why instead.
            if self.started or status == "timeout":
                self.s.stopped.setdefault(call.function, "timeout" if status == "timeout" else "crashed")
                self.s.last_culprit = ("call", call.function)
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
            reason = exc if isinstance(exc, wire.WireError) else f"{type(exc).__name__}: {exc}"
            why = str(reason)[:200]
            self.kill("crashed", _m("sandbox.reports_corrupted", why=why, during=self._during(what))
                      if what else _m("sandbox.reports_corrupted_any", why=why))

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
                    if self.state in ("load", "calls") and self.exit_event is None:
                        time.sleep(REPORT_PAUSE)
                else:
                    self.on_output(data)
        self.drain()
        return self.record_end()
