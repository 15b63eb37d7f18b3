"""Grading worker processes: each grades whole submissions on its own core.

The grader's own work per submission (checking, diagnosis, reports) is Python that holds the GIL, so
threads would grade one submission at a time; one process per core does not. Each worker starts its
sandbox slot first (a fresh interpreter that never sees the answer key), then loads the assignment,
then grades the submissions it is sent and writes their files. What comes back to the batch process is
the result as JSON text, built by this trusted code: nothing a student's process produced.
"""
from __future__ import annotations

import json
import os
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from grader.jsonsafe import dumps

_STATE = None  # this worker's _WorkerState


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


@dataclass
class _WorkerState:
    ctx: object  # GradingContext
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


def init_worker(config: WorkerConfig) -> None:
    global _STATE
    from multiprocessing.util import Finalize

    _die_with_parent(config.parent_pid)

    from grader.batch import GradeOptions, open_context, start_pool

    pool = start_pool(1, list(config.hide_paths))  # before anything secret is loaded
    ctx = open_context(config.assignment, config.release and Path(config.release), pool,
                       GradeOptions(**config.options))
    _STATE = _WorkerState(ctx, Path(config.out), Path(config.submissions),
                          bool(config.options.get("show_solutions")))

    def close():
        ctx.symbolic.close()
        pool.close()

    # multiprocessing workers leave through os._exit: atexit would not run, finalizers do.
    Finalize(None, close, exitpriority=10)


def grade_task(task: Task) -> tuple:
    """Grade one submission, write its files; return (student, status, result as JSON text)."""
    st = _STATE
    result = grade_entry_safely(st.ctx, task.student, Path(task.path) if task.path else None,
                                list(task.notes), st.submissions)
    payload = dumps(result.to_dict(), sort_keys=True)
    write_files(st, result, task.manual, payload)
    return result.student, result.status, payload


def grade_entry_safely(ctx, student: str, path: Optional[Path], notes: list, submissions: Path):
    """``ctx.grade_entry``, where a grader bug becomes this submission's row, not a stopped batch."""
    try:
        if path is None:
            return ctx.missing(student, "; ".join(notes))
        return ctx.grade_entry(student, path, notes, rel_path=os.path.relpath(path, submissions))
    except Exception as exc:
        tb = traceback.format_exc(limit=3)
        r = ctx.missing(student, "")
        r.status = "load_error"
        r.message = (f"rnngrade failed while grading this submission ({type(exc).__name__}: {exc}); "
                     f"the other submissions are not affected. Please report it with this trace:\n{tb}")
        r.items = ctx.empty_items("error", "not graded: internal error")
        return r


def write_files(st: _WorkerState, result, manual: dict, payload: str) -> None:
    from grader.exports import write_student_files
    from grader.model import SubmissionResult

    shown = SubmissionResult.from_dict(json.loads(payload)) if manual else result
    for item in shown.items:
        if item.item in manual:
            item.manual = dict(manual[item.item])
    write_student_files(st.out, shown, st.ctx.spec, lang=st.ctx.lang, show_solutions=st.show_solutions)
