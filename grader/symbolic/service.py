"""SymbolicGrader: grade symbolic answers in a long-lived, resource-limited worker process.

The worker is a fresh interpreter (``python -m grader.symbolic.worker``, started with
``subprocess``, never forked from the threaded grader) that talks JSON lines over pipes. The parent

- enforces a wall-time limit per answer: on timeout it kills the worker (verdict ``timeout``),
  on a crash it reports ``error``; either way the next answer starts a fresh worker;
- caches verdicts by (item id, reference, normalised answer = ``ast.dump`` of the parsed text), so a
  class of identical answers costs one check, also when threads ask at the same time;
- stores its verdict sentence as a message (``symbolic.verdict.*``), rendered in the reader's language
  where it is shown (``grader.messages.render``), so one cached verdict serves every language.

Usage::

    with SymbolicGrader(timeout=5.0) as g:
        d = g.grade(item, answer, "zh", spec.resolve)   # dict for ItemResult.symbolic
"""
from __future__ import annotations

import copy
import importlib
import itertools
import json
import os
import queue
import subprocess
import sys
import threading
import time
from concurrent.futures import Future
from pathlib import Path

from grader.symbolic import messages as M
from grader.symbolic import parse
from grader.symbolic.equivalence import verdict_of
from grader.symbolic.wire import to_json
from msgcat import message
from solutions.derivation.mathml import to_mathml

_PROJECT_ROOT = str(Path(__file__).resolve().parents[2])


def import_reference(ref: str):
    """Default resolver: "package.module:function" → the function."""
    module, _, name = ref.partition(":")
    return getattr(importlib.import_module(module), name)


class _Worker:
    """One worker process and the thread that reads its replies."""

    def __init__(self, args: list[str], startup_timeout: float):
        env = dict(os.environ)
        env["PYTHONPATH"] = _PROJECT_ROOT + os.pathsep + env.get("PYTHONPATH", "")
        env["OPENBLAS_NUM_THREADS"] = "1"  # each BLAS thread costs address space under RLIMIT_AS
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "grader.symbolic.worker", *args],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=env, cwd=_PROJECT_ROOT, text=True, encoding="utf-8", bufsize=1,
            start_new_session=True,
        )
        self.replies: queue.Queue = queue.Queue()
        self.stderr_tail = ""
        threading.Thread(target=self._read_stdout, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()
        ready = self._next(startup_timeout)
        if not (isinstance(ready, dict) and ready.get("ready")):
            self.kill()
            raise RuntimeError("the symbolic worker did not start: "
                               + (self.stderr_tail.strip()[-500:] or "no output"))

    def _read_stdout(self):
        for line in self.proc.stdout:
            try:
                self.replies.put(json.loads(line))
            except ValueError:
                continue
        self.replies.put(None)  # end of output: the worker is gone

    def _read_stderr(self):
        for line in self.proc.stderr:
            self.stderr_tail = (self.stderr_tail + line)[-4000:]

    def _next(self, timeout: float):
        try:
            return self.replies.get(timeout=timeout)
        except queue.Empty:
            return TimeoutError

    def ask(self, request: dict, timeout: float):
        """The reply dict, None if the worker died, TimeoutError if it took too long."""
        try:
            self.proc.stdin.write(json.dumps(request) + "\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            return None
        while True:
            reply = self._next(timeout)
            if reply is None or reply is TimeoutError or reply.get("id") == request["id"]:
                return reply

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()

    def close(self):
        try:
            self.proc.stdin.close()
            self.proc.wait(timeout=2)
        except (OSError, subprocess.TimeoutExpired):
            self.kill()


NORMALISED_KEPT = 20_000  # answer texts whose parse is remembered (a few MB at most)


class SymbolicGrader:
    """Thread-safe grading of symbolic answers; see the module docstring."""

    def __init__(self, timeout: float = 5.0, *, memory_bytes: int = 1 << 30,
                 cpu_seconds: float | None = None, startup_timeout: float = 60.0,
                 test_hooks: bool = False):
        self.timeout = timeout
        self._args = ["--memory", str(memory_bytes), "--cpu", str(cpu_seconds or 2 * timeout)]
        if test_hooks:
            self._args.append("--test-hooks")
        self._startup_timeout = startup_timeout
        self._worker: _Worker | None = None
        self._worker_lock = threading.Lock()  # one request at a time on the worker
        self._cache_lock = threading.Lock()
        self._cache: dict = {}  # key -> Future of the language-neutral result
        self._references: dict = {}  # reference string -> (wire tree, mathml)
        self._norms: dict = {}  # answer text -> its cache key's part, or its parse error (_normalised)
        self._ids = itertools.count(1)
        self.worker_requests = 0  # answers sent to a worker (the cache's effect is visible here)
        self.worker_starts = 0
        # With test_hooks only: the worker sleeps this long / exits with this code on each answer.
        self.test_sleep = 0.0
        self.test_exit: int | None = None

    # -- public -----------------------------------------------------------------------------

    def grade(self, item, answer: str, lang: str = "en", resolve=None) -> dict:
        """Grade ``answer`` for ``item`` (an ItemSpec with symbols, abbreviations, domain,
        reference); returns the dict stored in ``ItemResult.symbolic``."""
        start = time.perf_counter()
        answer = answer if isinstance(answer, str) else ""
        tree, mathml = self._reference(item.reference, resolve or import_reference)
        if not answer.strip():
            key, cached = None, {"verdict": "unanswered"}
        else:
            found = self._normalised(answer)
            if found[0] == "error":  # found while computing the key: no worker needed
                key, cached = None, {"verdict": "unparsable", "position": found[1],
                                     "parse_error": copy.deepcopy(found[2])}
            else:
                key = (item.id, item.reference, found[1])
                cached = None
        hit = False
        if key is not None:
            cached, hit = self._cached_or_checked(key, item, answer, tree)
        return self._present(cached, answer, lang, mathml, time.perf_counter() - start, hit)

    def _normalised(self, answer: str) -> tuple:
        """``("key", parse.normalised_or_raise(answer))`` or ``("error", column, parse error)``,
        remembered per answer text: a class writes the same few answers, and the batch's one
        checker parsed each of them again for every student (0.1 ms an answer)."""
        found = self._norms.get(answer)
        if found is None:
            try:
                found = ("key", parse.normalised_or_raise(answer))
            except parse.ParseError as e:
                found = ("error", e.column, e.to_dict())
            if len(self._norms) >= NORMALISED_KEPT:
                self._norms.clear()
            self._norms[answer] = found
        return found

    def prepare(self, items, resolve=None) -> None:
        """Derive the references of ``items`` now (SymPy work done once, before workers fork)."""
        for item in items:
            self._reference(item.reference, resolve or import_reference)

    def close(self) -> None:
        with self._worker_lock:
            if self._worker is not None:
                self._worker.close()
                self._worker = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- internals ----------------------------------------------------------------------------

    def _reference(self, ref: str, resolve):
        with self._cache_lock:
            if ref in self._references:
                return self._references[ref]

        expr = resolve(ref)()
        value = (to_json(expr), to_mathml(expr))
        with self._cache_lock:
            self._references[ref] = value
        return value

    def _cached_or_checked(self, key, item, answer, tree):
        with self._cache_lock:
            future = self._cache.get(key)
            mine = future is None
            if mine:
                future = self._cache[key] = Future()
        if not mine:
            return future.result(), True
        try:
            result = self._check(item, answer, tree)
        except BaseException as e:
            with self._cache_lock:
                del self._cache[key]
            future.set_exception(e)
            raise
        if result["verdict"] == "error" and result.get("transient"):
            with self._cache_lock:
                del self._cache[key]  # a failed start-up says nothing about the answer
        future.set_result(result)
        return result, False

    def _check(self, item, answer, tree) -> dict:
        request = {
            "id": next(self._ids), "item_id": item.id, "symbols": list(item.symbols),
            "abbreviations": dict(item.abbreviations),
            "domain": {k: list(v) for k, v in dict(item.domain).items()},
            "reference": tree, "answer": answer,
        }
        if self.test_sleep:
            request["sleep"] = self.test_sleep
        if self.test_exit is not None:
            request["exit"] = self.test_exit
        with self._worker_lock:
            if self._worker is None or not self._worker.alive():
                try:
                    self._worker = _Worker(self._args, self._startup_timeout)
                    self.worker_starts += 1
                except (RuntimeError, OSError) as e:
                    self._worker = None
                    return {"verdict": "error", "reason": str(e), "transient": True}
            self.worker_requests += 1
            reply = self._worker.ask(request, self.timeout)
            if reply is TimeoutError:
                self._worker.kill()
                self._worker = None
                return {"verdict": "timeout"}
            if reply is None:
                tail = self._worker.stderr_tail.strip().splitlines()
                self._worker.kill()
                code = self._worker.proc.returncode
                self._worker = None
                # a message, said in the reader's language; the process's last words stay as it said them
                reason = (message("reason.stopped_saying", code=code, detail=tail[-1][:200]) if tail
                          else message("reason.stopped", code=code))
                return {"verdict": "error", "reason": reason}
        if "error" in reply:
            return {"verdict": "error", "reason": reply["error"]}
        return reply["result"]

    def _present(self, result: dict, answer: str, lang: str, reference_mathml: str,
                 seconds: float, cached: bool) -> dict:
        # stored as messages, said in the reader's language where shown (grader.messages.render)
        message = verdict_of(result, timeout=self.timeout, reason=result.get("reason", ""), lang=lang)
        expected = None
        if result.get("parse_error"):
            wanted = parse.ParseError.from_dict(result["parse_error"]).expected_message(lang)
            expected = dict(wanted, key=M.PREFIX + wanted["key"])
        return {
            "verdict": result["verdict"],
            "answer": answer,
            "message": message,
            "counterexample": result.get("counterexample"),
            "student_value": result.get("student_value"),
            "reference_value": result.get("reference_value"),
            "position": result.get("position"),
            "expected": expected,
            "student_mathml": result.get("student_mathml"),
            "reference_mathml": reference_mathml,
            "method": result.get("method"),
            "cached": cached,
            "seconds": round(seconds, 6),
        }
