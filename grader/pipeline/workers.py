"""Grading worker processes: each grades whole submissions on its own core.

The grader's own work per submission (checking, diagnosis, reports) is Python that holds the GIL, so
threads would grade one submission at a time; one process per core does not. Each worker starts its
sandbox slot (a fresh interpreter, executed anew: it inherits no memory and no descriptor but its
control socket, so it never holds the answer key), then grades the submissions it is sent and writes
their files. What comes back to the batch process is the result's gradebook row (compressed JSON,
``grader/store/stored.py``), built by this trusted code: nothing a student's process produced.

On Linux the batch process prepares the assignment once (spec, cases, compiled templates, symbolic
references) and forks the workers, which inherit it: a worker is ready in milliseconds instead of
loading everything again. Elsewhere (or when the batch process runs threads, where fork is unsafe)
workers are fresh interpreters that load the assignment themselves.
"""
from __future__ import annotations

import dataclasses
import gc
import os
import sys
import traceback
from dataclasses import dataclass
from multiprocessing.util import Finalize
from pathlib import Path
from typing import Optional

from grader.pipeline.context import GradeOptions, open_context, start_pool
from grader.core.jsonsafe import loads
from grader.outputs.exports import write_student_files
from grader.store.gradebook import stored_row
from grader.pipeline.grading import GradingContext
from grader.model import SubmissionResult
from grader.reports.env import environment
from grader.symbolic.hub import SymbolicHub
from msgcat import message

WORKER_GC_THRESHOLDS = (20_000, 20, 100)  # gc.set_threshold in a grading worker (default 700, 10, 10)
_STATE = None  # this worker's _WorkerState
_PREPARED = None  # the batch process's GradingContext (no pool), inherited by forked workers
_HUB = None  # the batch process's SymbolicHub, inherited by forked workers


@dataclass(frozen=True)
class WorkerConfig:
    assignment: str
    release: Optional[str]
    options: dict  # GradeOptions fields
    hide_paths: tuple
    out: str
    submissions: str
    parent_pid: int = 0


@dataclass(frozen=True)
class Task:
    student: str
    path: Optional[str]
    notes: tuple
    manual: dict  # item -> {"points", "comment"}: merged into the student's files, not the result
    late: dict = None  # the intake's lateness (grader.lms): merged into the student's files, not the result


@dataclass
class _WorkerState:
    ctx: GradingContext
    out: Path
    submissions: Path
    show_solutions: bool


def _die_with_parent(parent_pid: int) -> None:
    """Linux: SIGKILL this worker when the batch process dies (even by SIGKILL), so that no worker
    is left grading into an OUT nobody watches. Its sandbox and symbolic processes follow it."""
    if not parent_pid or not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    PR_SET_PDEATHSIG = 1
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent_pid:  # the parent died before the request took effect
        os._exit(1)


def prepare_for_fork(ctx, workers: int):
    """In the batch process, before it forks workers: make ``ctx`` (built without a sandbox pool)
    what every worker starts from, with everything a first submission would load done once.
    Returns the SymbolicHub the workers will ask: once they are forked, the batch process starts it
    with its checker (SymPy loads then, while the workers start) and closes it after."""
    global _PREPARED, _HUB
    env = environment()
    for name in env.list_templates(extensions=["j2"]):
        env.get_template(name)  # compiled once
    if ctx.secret is None:
        ctx.casebook.plan(ctx.casebook.default_hidden_seed)  # every student's cases
    ctx.symbolic = None  # a worker gets a client of the hub instead
    _PREPARED = ctx
    _HUB = SymbolicHub(ctx.spec, clients=workers)
    # What is loaded now lives as long as the run: out of the collector's sight, it is neither
    # scanned again by each worker's collections nor copied into each worker by them.
    gc.collect()
    gc.freeze()
    return _HUB


def init_worker(config: WorkerConfig) -> None:
    global _STATE
    _die_with_parent(config.parent_pid)

    pool = start_pool(1, list(config.hide_paths))  # a fresh interpreter: it inherits nothing
    if _PREPARED is not None:
        ctx = dataclasses.replace(_PREPARED, pool=pool, symbolic=_HUB.client())
    else:
        ctx = open_context(config.assignment, config.release and Path(config.release), pool,
                           GradeOptions(**config.options))
    _STATE = _WorkerState(ctx, Path(config.out), Path(config.submissions),
                          bool(config.options.get("show_solutions")))

    def close():
        ctx.symbolic.close()
        pool.close()

    # multiprocessing workers leave through os._exit: atexit would not run, finalizers do.
    Finalize(None, close, exitpriority=10)
    gc.freeze()  # the assignment, the caches' first entries: kept for the run (see prepare_for_fork)
    # Grading allocates many short-lived objects, and the caches hold many long-lived ones: with
    # the default thresholds the collector's full passes cost a third of a worker's time.
    gc.set_threshold(*WORKER_GC_THRESHOLDS)


def grade_task(task: Task) -> tuple:
    """Grade one submission, write its files; return (student, status, the gradebook's payload and
    summary of the result: see ``gradebook.stored_row``)."""
    st = _STATE
    result = grade_entry_safely(st.ctx, task.student, Path(task.path) if task.path else None,
                                list(task.notes), st.submissions)
    text, payload, summary = stored_row(result.to_dict())
    write_files(st, task.manual, text, task.late)
    return result.student, result.status, payload, summary


def grade_entry_safely(ctx, student: str, path: Optional[Path], notes: list, submissions: Path):
    """``ctx.grade_entry``, where a grader bug becomes this submission's row, not a stopped batch."""
    try:
        if path is None:
            return ctx.missing(student, message("note.joined", notes=list(notes)) if notes else "")
        return ctx.grade_entry(student, path, notes, rel_path=os.path.relpath(path, submissions))
    except Exception as exc:
        tb = traceback.format_exc(limit=3)
        r = ctx.missing(student, "")
        r.status = "load_error"
        r.message = message("internal_error", error=f"{type(exc).__name__}: {exc}", trace=tb)
        r.items = ctx.empty_items("error", message("internal_error_item"))
        return r


def write_files(st: _WorkerState, manual: dict, text: str, late: Optional[dict] = None) -> None:
    """The student's files, rendered from the result as the gradebook keeps it (``text``, the stored
    form's JSON): ``rnngrade report`` renders the same bytes from the gradebook later."""
    shown = SubmissionResult.from_dict(loads(text))
    for item in shown.items:
        if item.item in manual:
            item.manual = dict(manual[item.item])
    if late:
        shown.late = dict(late)
    write_student_files(st.out, shown, st.ctx.spec, lang=st.ctx.lang, show_solutions=st.show_solutions)
