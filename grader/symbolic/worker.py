"""The symbolic-checking worker: ``python -m grader.symbolic.worker [--memory BYTES] [--cpu SECONDS]``.

A fresh interpreter started by :class:`grader.symbolic.service.SymbolicGrader`. It limits its own
address space (RLIMIT_AS) and, per answer, its CPU time (RLIMIT_CPU soft limit = CPU used so far
+ ``--cpu``; exceeding it kills the worker, which the parent reports as an error and restarts).

Protocol: JSON lines. The worker first writes ``{"ready": true}``; then for each request line
``{"id", "item_id", "symbols", "abbreviations", "domain", "reference" (wire.to_json tree),
"answer"}`` it writes ``{"id", "result": {...}}`` or ``{"id", "error": "..."}``. It stops at the
end of its input. With ``--test-hooks`` a request may carry ``"sleep": seconds`` (tests of the
parent's timeout path) and ``"exit": code`` (its crash path).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time


def _limit_memory(nbytes: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        nbytes = min(nbytes, hard)
    resource.setrlimit(resource.RLIMIT_AS, (nbytes, hard))


def _limit_cpu_from_now(seconds: float) -> None:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    used = usage.ru_utime + usage.ru_stime
    soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    want = int(used + seconds) + 1
    if hard != resource.RLIM_INFINITY:
        want = min(want, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (want, hard))


def handle(request: dict, test_hooks: bool) -> dict:
    # SymPy's modules: loaded by main() under the memory limit, before the worker says it is ready
    from grader.symbolic.equivalence import check_answer
    from grader.symbolic.wire import from_json
    from solutions.derivation.mathml import to_mathml

    if test_hooks and request.get("sleep"):
        time.sleep(float(request["sleep"]))
    if test_hooks and request.get("exit") is not None:
        os._exit(int(request["exit"]))
    domain = {k: tuple(v) for k, v in request.get("domain", {}).items()}
    result = check_answer(
        request["answer"],
        item_id=request["item_id"],
        symbols=request["symbols"],
        abbreviations=request.get("abbreviations", {}),
        domain=domain,
        reference=from_json(request["reference"]),
    )
    expr = result.pop("student_expr")
    result["student_mathml"] = to_mathml(expr) if expr is not None else None
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grader.symbolic.worker")
    parser.add_argument("--memory", type=int, default=1 << 30, help="RLIMIT_AS in bytes")
    parser.add_argument("--cpu", type=float, default=10.0, help="CPU seconds per answer")
    parser.add_argument("--test-hooks", action="store_true")
    args = parser.parse_args(argv)

    protocol = os.fdopen(os.dup(sys.stdout.fileno()), "w", buffering=1, encoding="utf-8")
    sys.stdout = sys.stderr  # a stray print must not corrupt the protocol
    _limit_memory(args.memory)
    # Import before announcing readiness, so the parent's per-answer clock excludes start-up.
    import grader.symbolic.equivalence  # noqa: F401
    import solutions.derivation.mathml  # noqa: F401

    protocol.write(json.dumps({"ready": True}) + "\n")
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        _limit_cpu_from_now(args.cpu)
        try:
            reply = {"id": request.get("id"), "result": handle(request, args.test_hooks)}
        except MemoryError:
            reply = {"id": request.get("id"), "error": "out of memory"}
        except Exception as e:  # the checker's own failure: reported, the worker goes on
            reply = {"id": request.get("id"), "error": f"{type(e).__name__}: {e}"}
        protocol.write(json.dumps(reply) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
