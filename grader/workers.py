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
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from grader.jsonsafe import dumps

_CTX = None  # the worker's GradingContext


@dataclass(frozen=True)
class WorkerConfig:
    assignment: str
    release: Optional[str]
    options: dict  # GradeOptions fields
    hide_paths: tuple
    out: str
    submissions: str


@dataclass(frozen=True)
class Task:
    student: str
    path: Optional[str]
    notes: tuple
    manual: dict  # item -> {"points", "comment"}: merged into the student's files, not the result


def init_worker(config: WorkerConfig) -> None:
    global _CTX
    from multiprocessing.util import Finalize

    from grader.batch import GradeOptions, open_context, start_pool

    pool = start_pool(1, list(config.hide_paths))  # before anything secret is loaded
    ctx = open_context(config.assignment, config.release and Path(config.release), pool,
                       GradeOptions(**config.options))
    ctx.out = Path(config.out)
    ctx.submissions = Path(config.submissions)
    ctx.show_solutions = bool(config.options.get("show_solutions"))
    _CTX = ctx

    def close():
        ctx.symbolic.close()
        pool.close()

    # multiprocessing workers leave through os._exit: atexit would not run, finalizers do.
    Finalize(None, close, exitpriority=10)


def grade_task(task: Task) -> tuple:
    """Grade one submission, write its files; return (student, status, result as JSON text)."""
    ctx = _CTX
    result = grade_entry_safely(ctx, task.student, Path(task.path) if task.path else None, list(task.notes),
                                ctx.submissions)
    payload = dumps(result.to_dict(), sort_keys=True)
    write_files(ctx, result, task.manual, payload)
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


def write_files(ctx, result, manual: dict, payload: str) -> None:
    from grader.exports import write_student_files
    from grader.model import SubmissionResult

    shown = SubmissionResult.from_dict(json.loads(payload)) if manual else result
    for item in shown.items:
        if item.item in manual:
            item.manual = dict(manual[item.item])
    write_student_files(ctx.out, shown, ctx.spec, lang=ctx.lang, show_solutions=ctx.show_solutions)
