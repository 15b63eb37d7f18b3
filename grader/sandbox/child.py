"""Inside the sandbox: run a submission's code units, then call its functions, and report.

Loaded by path in the sandbox's worker process and run in a confined child (see confine.py); it
imports nothing from the project, and the grader's packages cannot be imported from here.

The job arrives on a file descriptor as one job frame (``wire.pack_job``): the units' source, the calls and which
units/calls to run, and the calls' inputs (``wire.pack_inputs``; expected values never exist in this
process). Every outcome goes back
as a frame on the result descriptor as soon as it is known, so that when this process dies the
grader knows exactly what was running.

Running student code is this module's purpose; it is done here and nowhere in the grader's process.
"""
from __future__ import annotations

import builtins
import copy
import os
import resource
import signal
import socket
import sys
import time
import traceback
from typing import Optional

import numpy as np

_deepcopy = copy.deepcopy  # bound now: a submission may monkeypatch the modules later
_perf = time.perf_counter
BLOCKED_PACKAGES = ("grader", "solutions", "assignments", "rnngrade")


class _Timeout(BaseException):
    """Raised by SIGALRM when a unit or call exceeds its time; BaseException so `except Exception` misses it."""


# Why a function is not called again in this job: it ran out of time, its call ended the process
# (os._exit, a signal, a crash of the interpreter, a kill by the grader), or it left the process
# without memory (what it keeps, in a module-level list, say, would cost every later call).
# The sandbox reports codes and fields, never sentences: the grader's catalogue (grader/i18n) has the
# texts, in every language, under these keys.
STOP_REASONS = {"timeout": {"key": "sandbox.reason.timeout", "fields": {}},
                "crashed": {"key": "sandbox.reason.crashed", "fields": {}},
                "memory": {"key": "sandbox.reason.memory", "fields": {}}}
STOP_STATUS = {"timeout": "timeout", "crashed": "crashed", "memory": "crashed"}
# A process whose address space is this close to its limit after a call is spent: the next
# function's arrays would fail to allocate, and it would be blamed for it.
MEMORY_HEADROOM = 32 * 2**20


def _m(key: str, **fields) -> dict:
    """A message for the grader to render: its catalogue key and its fields."""
    return {"key": key, "fields": fields}


class _Hung(BaseException):
    """Raised by a function that was stopped earlier when another function calls it (see ``_hung``)."""

    def __init__(self, name: str, reason: str):
        super().__init__(name)
        self.name, self.reason = name, reason


def _hung(name: str, reason: str):
    """What a stopped function becomes in the namespace: a backward that calls its forward stops at
    once with a clear reason, instead of spending its own time limit in the same loop or ending the
    process again."""

    def hung(*args, **kwargs):
        raise _Hung(name, reason)

    return hung


_armed = [False]


def _on_alarm(signum, frame):
    if _armed[0]:
        _armed[0] = False
        raise _Timeout()


def _arm(seconds: float) -> None:
    _armed[0] = True
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.001))


def _disarm() -> None:
    _armed[0] = False
    signal.setitimer(signal.ITIMER_REAL, 0)


class Sink:
    """A text stream that keeps the first `cap` characters and counts the rest: prints cost nothing."""

    encoding = "utf-8"
    errors = "replace"

    def __init__(self, cap: int):
        self.cap, self.parts, self.kept, self.dropped = cap, [], 0, 0

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError(f"write() argument must be str, not {type(s).__name__}")
        room = self.cap - self.kept
        if room > 0:
            self.parts.append(s[:room])
            self.kept += min(len(s), room)
        self.dropped += max(len(s) - max(room, 0), 0)
        return len(s)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def flush(self):
        pass

    def isatty(self):
        return False

    def text(self) -> str:
        out = "".join(self.parts)
        if self.dropped:
            out += f"\n... [output truncated: {self.dropped} more characters]\n"
        return out


class _ImportGuard:
    """First on sys.meta_path: the grader's own packages are never importable by a submission."""

    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in BLOCKED_PACKAGES:
            raise ModuleNotFoundError(f"module {name} is not available to submissions", name=name)
        return None


class _NotAvailable:
    """Last on sys.meta_path: a module that was not preloaded cannot be read by the sandbox user."""

    def find_spec(self, name, path=None, target=None):
        raise ModuleNotFoundError(
            f"module {name} is not available to submissions (available: numpy, math and most "
            f"of the standard library)", name=name)


def _sibling(name: str):
    """A module beside this file, loaded by path (this file is itself loaded by path)."""
    import importlib.util

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), f"{name}.py")
    spec = importlib.util.spec_from_file_location(f"_sandbox_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_cachewalk = _sibling("cachewalk")


_modules = _sibling("jobmodules")
_INERT = _modules.INERT


def _install_import_guards() -> None:
    sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in type(f).__name__.lower()
                        and "editable" not in getattr(f, "__name__", "").lower()]
    sys.meta_path.insert(0, _ImportGuard())
    sys.meta_path.append(_NotAvailable())
    sys.path[:] = [p for p in sys.path if "__editable__" not in p]


class Reporter:
    def __init__(self, fd: int, wire):
        self.fd, self.wire = fd, wire

    def send(self, header: dict, blob: bytes = b"") -> None:
        self.write(self.wire.pack_frame(header, blob))

    def unit_ok(self, i: int) -> None:
        """The report of a unit that ran without an error and printed nothing, compact."""
        self.write(self.wire.pack_unit_ok(i))

    def write(self, frame: bytes) -> None:
        data = memoryview(frame)
        while data:
            data = data[os.write(self.fd, data):]


def _where(tb, files: dict) -> tuple:
    """(unit, line in the original file) of the deepest traceback frame in submission code."""
    found = (None, None)
    for frame, lineno in traceback.walk_tb(tb):
        unit = files.get(frame.f_code.co_filename)
        if unit is not None:
            found = (unit, unit["first_line"] + lineno - 1)
    return found


def _exc_text(exc: BaseException) -> str:
    if isinstance(exc, SystemExit):
        return "" if exc.code is None else repr(exc.code)
    try:
        return str(exc)[:2000]
    except BaseException:
        return "<the exception could not be shown>"


def _describe(exc: BaseException) -> str:
    """ "NameError: name 'x' is not defined" """
    text = _exc_text(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _place(unit, line=None) -> dict:
    """Where in the submission, as a message (the grader's ``CodeUnit.place`` when ``line`` is None):
    a notebook's cell (``unit["cell"]``, 1-based) and a line in it, or a line of a .py file, which
    for a whole unit is its first line."""
    cell = unit.get("cell")
    if cell is None:
        return _m("place.line", line=unit["first_line"] if line is None else line)
    return _m("place.cell", cell=cell) if line is None else _m("place.cell_line", cell=cell, line=line)


def _at(unit, line):
    """Where an exception was raised, as a message: " (cell 4, line 2)", or " (line 12)" in a .py file
    (whose unit is labelled by its first line: repeating it would only confuse); "" when unknown."""
    return "" if unit is None else _m("sandbox.at", place=_place(unit, line))


def run_units(job, ns, files, rep, stdout_cap) -> None:
    """Run the units in order in one namespace; a failing unit is reported and the next one runs.

    The load budget covers all units; a unit that exhausts it is reported as timed out and the
    remaining units get a fresh budget (at most `unit_timeouts_left` times).
    """
    skip = set(job["skip_units"])
    timeouts_left = job["unit_timeouts_left"]
    budget_end = _perf() + job["load_timeout"]
    for i, unit in enumerate(job["units"]):
        if i in skip:
            continue
        if timeouts_left <= 0:
            rep.send({"ev": "unit", "i": i, "status": "error", "line": None, "stdout": "",
                      "message": "", "msg": _m("sandbox.too_many_timeouts")})
            continue
        sink = Sink(max(stdout_cap[0], 0))
        sys.stdout = sys.stderr = sink
        status, message, line, coded = "ok", "", None, None
        try:
            code = compile(unit["source"], unit["file"], "exec", dont_inherit=True)
        except SyntaxError as exc:
            status, message = "error", f"{type(exc).__name__}: {exc.msg}"
            line = unit["first_line"] + (exc.lineno or 1) - 1
            code = None
        except (ValueError, MemoryError, RecursionError) as exc:
            status, message, code = "error", _describe(exc), None
        if code is not None:
            try:
                _arm(budget_end - _perf())
                exec(code, ns)  # the submission's own code, in this confined process only
                _disarm()
            except _Timeout:
                status = "timeout"
                coded = _m("sandbox.timeout_loading", t=f"{job['load_timeout']:g}",
                           unit=_place(unit))
                timeouts_left -= 1
                budget_end = _perf() + job["load_timeout"]
            except BaseException as exc:
                _disarm()
                status, message = "error", _describe(exc)
                # The line in this unit (the report pairs it with this unit's label), even when
                # the error was raised inside a function that another cell defined.
                line = _where(exc.__traceback__, {unit["file"]: unit})[1]
        sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
        stdout_cap[0] -= sink.kept
        printed = sink.text()
        if status == "ok" and not printed and not message and line is None and coded is None:
            rep.unit_ok(i)  # the same report as below, in a frame without JSON
            continue
        event = {"ev": "unit", "i": i, "status": status, "message": message, "line": line,
                 "stdout": printed}
        if coded is not None:
            event["msg"] = coded
        rep.send(event)


def _same(a, b) -> bool:
    if type(a) is np.ndarray:  # bitwise: NaN equals NaN, and it is 20x faster than array_equal
        return (type(b) is np.ndarray and a.shape == b.shape and a.dtype == b.dtype
                and a.tobytes() == b.tobytes())
    if type(a) in (tuple, list):  # a cache passed as an argument: compare it part by part
        return type(b) is type(a) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if type(a) is dict:
        return type(b) is dict and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    try:
        return type(a) is type(b) and bool(a == b)
    except BaseException:
        return False


def modified_inputs(pristine: list, passed: list, names) -> list:
    """Names of inputs the function changed in place: "x", "parameters['Wf']", "argument 2"."""
    out = []
    for k, (orig, now) in enumerate(zip(pristine, passed)):
        name = names[k] if names and k < len(names) else f"argument {k + 1}"
        if type(orig) is dict:
            if type(now) is not dict:
                out.append(name)
                continue
            for key in list(orig) + [key for key in now if key not in orig]:
                if key not in orig or key not in now or not _same(orig[key], now[key]):
                    out.append(f"{name}[{key!r}]")
        elif not _same(orig, now):
            out.append(name)
    return out


_SCALARS = (int, float, complex, bool, str, bytes, type(None))


def fresh_inputs(value, memo: dict):
    """A copy of a call's inputs for the student function to own: a new array per array (shared
    arrays stay shared, as with deepcopy), new dicts, lists and tuples; 10x cheaper than deepcopy
    for the dicts of arrays the cases are made of."""
    cls = type(value)
    if cls is np.ndarray:
        found = memo.get(id(value))
        if found is None:
            found = memo[id(value)] = value.copy()
        return found
    if cls is dict:
        return {k: fresh_inputs(v, memo) for k, v in value.items()}
    if cls is list:
        return [fresh_inputs(v, memo) for v in value]
    if cls is tuple:
        return tuple(fresh_inputs(v, memo) for v in value)
    if cls in _SCALARS:
        return value
    return _deepcopy(value, memo)


def run_call(call, args, ns, files, rep, wire, limits) -> None:
    name, timeout = call["function"], call["timeout"]
    head = {"ev": "call", "id": call["id"], "status": "ok", "message": "", "seconds": None,
            "modified": [], "stdout": "", "value": None}
    fn = ns.get(name, _MISSING)
    if fn is _MISSING or fn is _INERT:  # an inert stand-in is not the student's function
        rep.send({**head, "status": "not_defined", "msg": _m("sandbox.not_defined", fn=name)})
        return
    if not callable(fn):
        rep.send({**head, "status": "not_callable",
                  "msg": _m("sandbox.not_callable", fn=name, type=type(fn).__name__)})
        return
    blob = b""
    stopped = False
    sink = Sink(limits["call_stdout"])
    sys.stdout = sys.stderr = sink
    start = _perf()
    produced = call.get("produced") or []
    extras = None
    try:
        given = fresh_inputs(args, {})
        _arm(timeout)
        if produced:
            _produce.hung = None
            failed, extras = _produce(produced, given, ns)
            if failed is not None:
                _disarm()
                if _produce.hung is not None:  # not called again: a later call of it stops at once
                    ns[_produce.hung] = _hung(_produce.hung, "timeout")
                sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
                head.update(status="producer_failed", msg=failed, stdout=sink.text())
                rep.send(head)
                return "producer_failed"
        value = fn(*given)
        head["seconds"] = _perf() - start
        try:
            value = _cache_outputs(value, call.get("caches") or [])
            if extras is not None:  # the produced caches' extracts share the value's blob
                tree, blob = wire.encode((value, tuple(extras)), limits["max_result"])
                head["value"], head["produced"] = tree["items"]
            else:
                tree, blob = wire.encode(value, limits["max_result"])
                head["value"] = tree
        except _Timeout:
            raise
        except BaseException as exc:
            head["status"] = "bad_output"
            head["msg"] = _m("sandbox.bad_value", fn=name, error=_describe(exc))
        _disarm()
        head["modified"] = modified_inputs(_unproduced(args, produced), _unproduced(given, produced),
                                           call.get("arg_names"))
    except _Timeout:
        head.update(status="timeout", seconds=timeout, value=None, hung=True,
                    msg=_m("sandbox.timeout_running", t=f"{timeout:g}", fn=name))
        blob = b""
    except _Hung as hung:
        _disarm()
        head.update(status=STOP_STATUS[hung.reason], seconds=None, value=None,
                    msg=_m("sandbox.callee_stopped", fn=name, callee=hung.name,
                           reason=STOP_REASONS[hung.reason]))
        blob = b""
        stopped = True
    except BaseException as exc:
        _disarm()
        head["seconds"] = _perf() - start
        where = _at(*_where(exc.__traceback__, files))
        text = _exc_text(exc)
        # Python's own text of the exception, framed by a message the grader says in the reader's
        # language (its English text is the outcome's ``message``, which the grader's logic reads).
        head.update(status="exception", value=None, message="",
                    msg=_m("sandbox.exception", type=type(exc).__name__, fn=name, text=text, where=where)
                    if text else _m("sandbox.exception_bare", type=type(exc).__name__, fn=name, where=where))
        blob = b""
    sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
    head["stdout"] = sink.text()
    rep.send(head, blob)
    return "stopped" if stopped else head["status"]


_MISSING = object()


def _unproduced(args: list, produced: list) -> list:
    """The arguments without the produced ones (a produced cache is the student's own value)."""
    skip = {p["pos"] for p in produced}
    return [None if k in skip else a for k, a in enumerate(args)]


def _produce(produced: list, given: list, ns: dict):
    """Replace each produced argument (the producer's inputs) by the output of the student's
    producer on them; the value stays in this process. Returns ``(failure message or None,
    [extract of each cache by its layout])``, extracts taken before the consumer runs."""
    extras = []
    for p in produced:
        name, out = p["function"], p["output"]
        producer = ns.get(name, _MISSING)
        if producer is _MISSING or producer is _INERT or not callable(producer):
            return _m("sandbox.producer_missing", fn=name), None
        try:
            made = producer(*given[p["pos"]])
        except _Timeout:  # the producer hung, not the function it makes the cache for
            _produce.hung = name
            return _m("sandbox.producer_timeout", fn=name), None
        except _Hung as hung:
            why = STOP_REASONS[hung.reason]
            if hung.name == name:
                return _m("sandbox.producer_stopped", fn=name, reason=why), None
            return _m("sandbox.producer_callee_stopped", fn=name, callee=hung.name, reason=why), None
        except BaseException as exc:
            return _m("sandbox.producer_raised", fn=name, error=_describe(exc)), None
        if type(made) not in (tuple, list) or len(made) <= out:
            if type(made) in (tuple, list):
                return _m("sandbox.producer_short_seq", fn=name, type=type(made).__name__, n=len(made),
                          k=out + 1), None
            return _m("sandbox.producer_short", fn=name, type=type(made).__name__, k=out + 1), None
        given[p["pos"]] = made[out]
        others = {n: v for n, v in zip(p.get("names") or (), made) if type(v) is np.ndarray}
        extras.append(_cachewalk.extract(made[out], p["layout"], others))
    return None, extras


def _cache_outputs(value, caches: list):
    """A forward's return value with each cache output replaced by its extract (the cache itself,
    which holds the parameters and may alias, never leaves this process)."""
    if not caches or type(value) not in (tuple, list):
        return value
    names = caches[0].get("names") or ()
    others = {n: v for n, v in zip(names, value) if type(v) is np.ndarray}
    out = list(value)
    for c in caches:
        if c["index"] < len(out):
            out[c["index"]] = {"cache_extract": _cachewalk.extract(out[c["index"]], c["layout"], others)}
    return tuple(out) if type(value) is tuple else out


def main(job_fd: int, res_fd: int, layers: dict, wire, more_fd: Optional[int] = None) -> None:
    job, blob = _read_job(job_fd, wire)
    more = socket.socket(fileno=more_fd) if more_fd is not None else None
    all_args = wire.unpack_inputs(blob)
    rep = Reporter(res_fd, wire)
    signal.signal(signal.SIGALRM, _on_alarm)
    _install_import_guards()
    files = {}
    for unit in job["units"]:
        unit["file"] = f"<submission {unit['label']}>"
        files[unit["file"]] = unit
    modules = _modules.JobModules(job.get("support") or {}, job.get("inert") or [], job.get("inert_names") or [])
    sys.meta_path.insert(1, modules)
    rep.send({"ev": "hello", "layers": layers})
    ns = {"__name__": "__main__", "__builtins__": builtins}
    run_units(job, ns, files, rep, [job["limits"]["stdout"]])
    rep.send({"ev": "loaded"})
    # A function that hung once is not called again: the limit is 100x what honest code needs,
    # and each further call would cost the whole limit again. Nor is one whose call ended the
    # process: each further call would end this one too. Functions that call it (a backward
    # recomputing its forward) stop at once: it is replaced in the namespace.
    hung: dict = {}
    _open_statm()
    if _memory_spent():  # loading took it all: no call is to blame for what is left
        _STATM.clear()
    for name, reason in job.get("stopped", {}).items():
        _mark_hung(name, reason, ns, hung)
    run_calls(job["calls"], all_args, ns, files, rep, wire, job["limits"], hung)
    while job.get("more"):
        # The grader decides from these results whether it needs further calls (diagnosis probes,
        # consistency checks); they run here, in the same process, instead of in a new one.
        rep.send({"ev": "idle"})
        frame = _read_more(more, wire)
        if frame is None:
            break
        job, blob = frame
        run_calls(job["calls"], wire.unpack_inputs(blob), ns, files, rep, wire, job["limits"], hung)
    rep.send({"ev": "done"})


def _mark_hung(name: str, reason: str, ns: dict, hung: dict) -> None:
    hung[name] = reason
    if callable(ns.get(name)):
        ns[name] = _hung(name, reason)


def run_calls(calls, all_args, ns, files, rep, wire, limits, hung: dict) -> None:
    for call, args in zip(calls, all_args):
        name = call["function"]
        if name in hung:
            rep.send({"ev": "call", "id": call["id"], "status": STOP_STATUS[hung[name]], "seconds": None,
                      "modified": [], "stdout": "", "value": None, "message": "",
                      "msg": _m("sandbox.skipped", fn=name, reason=STOP_REASONS[hung[name]])})
            continue
        if run_call(call, list(args), ns, files, rep, wire, limits) == "timeout":
            _mark_hung(name, "timeout", ns, hung)
        elif _memory_spent():
            # The grader starts a fresh process for what is left, and calls this function no more.
            rep.send({"ev": "spent", "id": call["id"]})
            os._exit(0)


_STATM = []  # [descriptor of /proc/self/statm, page size, address-space limit], opened before any call


def _open_statm() -> None:
    try:
        limit = resource.getrlimit(resource.RLIMIT_AS)[0]
        if limit != resource.RLIM_INFINITY:
            _STATM[:] = [os.open("/proc/self/statm", os.O_RDONLY), os.sysconf("SC_PAGE_SIZE"), limit]
    except (OSError, ValueError, AttributeError):
        pass  # not Linux, or no memory limit: nothing to run out of


def _memory_spent() -> bool:
    """True when the address space is within MEMORY_HEADROOM of RLIMIT_AS (one pread per call)."""
    if not _STATM:
        return False
    fd, page, limit = _STATM
    try:
        size = int(os.pread(fd, 64, 0).split()[0]) * page
    except (OSError, ValueError, IndexError):
        return False
    return size > limit - MEMORY_HEADROOM


def _read_more(sock, wire):
    """The next job frame: a memory file passed on the grader's socket; None at end of file."""
    if sock is None:
        return None
    msg, fds, _, _ = socket.recv_fds(sock, 16, 1)
    if not msg or len(fds) != 1:
        for fd in fds:
            os.close(fd)
        return None
    return _read_job(fds[0], wire)


def _read_job(fd: int, wire):
    """``(header, blob)`` of the job in the memory file ``fd`` (``wire.pack_job``), read at once."""
    size = os.fstat(fd).st_size
    data = os.read(fd, size) if size else b""
    while len(data) < size:  # a read may come back short; the file holds no more than its size
        chunk = os.read(fd, size - len(data))
        if not chunk:
            break
        data += chunk
    os.close(fd)
    return wire.unpack_job(data)
