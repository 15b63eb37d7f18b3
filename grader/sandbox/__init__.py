"""Run untrusted submissions in confined processes forked from warm workers.

    from grader.sandbox import SandboxPool, Limits, Job, Call
    with SandboxPool(workers=2, limits=Limits(), hide_paths=[...]) as pool:   # before loading keys
        result = pool.run(Job(units, calls, load_timeout=5.0))

See docs/sandbox.md for the isolation layers and their fallbacks.
"""
from .jobs import Call, CallOutcome, Job, JobResult, Limits, UnitOutcome
from .pool import SandboxError, SandboxPool
from .wire import Foreign, WireError

__all__ = ["SandboxPool", "SandboxError", "Limits", "Job", "Call", "JobResult", "CallOutcome",
           "UnitOutcome", "Foreign", "WireError"]
