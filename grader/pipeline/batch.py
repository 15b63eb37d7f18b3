"""Batch-grade a folder of submissions into OUT.

This process keeps the gradebook, the progress bar and the class files; it never runs a submission.
Worker processes (one per core, ``grader.pipeline.workers``) grade whole submissions: each starts its sandbox
slot before it loads the answer key, the cases or the course secret, so no child can inherit them.
Each submission's result is committed to the gradebook on its own as soon as it is done; a re-run
skips what is already graded (same file, same assignment version, same release) unless ``force``.
"""
from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Optional

from grader.pipeline.context import GradeOptions, answer_key_paths, open_context, secret_path, start_pool
from grader.core.errors import UserError, make_folder
from grader.core.ids import sanitize_student_id
from grader.outputs.exports import student_dir, write_class_files, write_student_files
from grader.store.gradebook import Gradebook
from grader.pipeline.grading import file_hash
from grader.lms.batch_intake import finish_intake, open_intake
from grader.loading import discover
from grader.messages import render
from grader.model import SubmissionResult
from grader.sandbox.policy import isolation_error, isolation_line
from grader.symbolic.hub import UnavailableChecker
from grader.pipeline.workers import Task, WorkerConfig, grade_entry_safely, grade_task, init_worker, prepare_for_fork

# GradeOptions is the batch's options too: callers may import it from here or from grader.pipeline.context
__all__ = ["BatchSummary", "GradeOptions", "grade_batch", "grade_one", "symbolic_grader"]


@dataclass
class BatchSummary:
    out: Path
    total: int = 0
    graded: int = 0
    skipped: int = 0
    load_errors: int = 0
    missing: int = 0
    internal_errors: int = 0
    seconds: float = 0.0
    isolation: str = ""
    statuses: dict = field(default_factory=dict)  # item status -> count
    mean_score: float = 0.0
    max_score: float = 0.0
    problems: list = field(default_factory=list)  # (student, message) for load errors, timeouts, crashes

    def lines(self) -> list:
        rate = self.graded / self.seconds if self.seconds > 0 else 0.0
        out = [
            f"Graded {self.graded} submission(s) in {self.seconds:.1f} s ({rate:.1f}/s); "
            f"skipped {self.skipped} already graded; {self.missing} missing; {self.load_errors} failed to load.",
            f"Mean score {self.mean_score:.2f} / {self.max_score:g} over {self.total} student(s).",
            "Item results: " + ", ".join(f"{k} {v}" for k, v in sorted(self.statuses.items())),
            f"Isolation: {self.isolation or 'n/a'}",
        ]
        for student, msg in self.problems[:8]:
            out.append(f"  ! {student}: {msg}")
        if len(self.problems) > 8:
            out.append(f"  … and {len(self.problems) - 8} more in summary.html")
        out += [f"Gradebook: {self.out / 'gradebook.sqlite'}", f"Grades:    {self.out / 'grades.csv'}",
                f"Summary:   {self.out / 'summary.html'}"]
        return out


_PROBED: dict = {}  # the sandbox's isolation on this machine, probed once per process


def check_isolation(hide_paths: list, options: GradeOptions) -> dict:
    """Start one sandbox worker to learn which layers this machine gives; raise a UserError (one
    line: which layer, why, how to fix) when one it has could not be set up, unless the options
    accept reduced isolation."""
    if "isolation" not in _PROBED:
        pool = start_pool(1, hide_paths)
        _PROBED["isolation"] = pool.isolation
        pool.close()
    isolation = _PROBED["isolation"]
    error = isolation_error(isolation)
    if error and not options.allow_reduced_isolation:
        raise UserError(error)
    return isolation


def grade_batch(submissions: Path, assignment: str, out: Path, *, release: Optional[Path] = None,
                options: Optional[GradeOptions] = None, intake=None, roster: Optional[Path] = None,
                on_plan=None) -> BatchSummary:
    """Grade SUBMISSIONS into OUT. ``intake`` (``grader.lms.intake.IntakeOptions``): SUBMISSIONS is an
    LMS download (zip or folder), read by ``grader.lms``; ``roster``: a roster CSV for matching LMS
    students (the release's roster otherwise); ``on_plan(lines)`` is called with the intake's mapping
    before grading starts."""
    options = options or GradeOptions()
    submissions, out = Path(submissions).resolve(), Path(out).resolve()
    release = Path(release).resolve() if release else None
    make_folder(out)
    workers = options.workers or os.cpu_count() or 1
    t0 = time.perf_counter()
    summary = BatchSummary(out=out)
    # This process keeps the gradebook and never runs a submission: it needs no sandbox.
    ctx = open_context(assignment, release, None, options, symbolic=False)
    gb = Gradebook(out / "gradebook.sqlite")
    try:
        builtin = release is None and not Path(assignment).exists()
        gb.set_meta(assignment=assignment if builtin else str(ctx.spec.path.parent),
                    release=str(release) if release else None, lang=ctx.lang,
                    show_solutions=options.show_solutions, version=ctx.spec.version)
        plan = None
        if intake is not None:
            plan = open_intake(submissions, out, gb, ctx, intake, roster, on_plan)
            entries, submissions = plan.entries, plan.root
        else:
            entries = discover(submissions, ctx.roster)
        lates = gb.late_with_overrides()
        summary.total = len(entries)
        todo, keys = [], {}
        for e in entries:
            key = ctx.grading_key(file_hash(e.path))
            keys[e.student] = key
            if not options.force and gb.grading_key(e.student) == key:
                summary.skipped += 1
                _ensure_files(out, gb, e.student, ctx, options)
                continue
            todo.append(e)
        manual: dict = {}
        for m in gb.manual_entries():
            manual.setdefault(m["student"], {})[m["item"]] = {"points": m["points"], "comment": m["comment"]}
        config = WorkerConfig(assignment=str(assignment), release=str(release) if release else None,
                              options=asdict(options), out=str(out), submissions=str(submissions),
                              parent_pid=os.getpid(),
                              hide_paths=tuple(str(p) for p in (*answer_key_paths(), out, submissions, release,
                                                                 secret_path(release)) if p))
        if todo:
            check_isolation(list(config.hide_paths), options)
        bar = _progress(len(todo), options.progress)
        if todo:
            n = min(workers, len(todo))
            method = _start_method()
            hub = None
            if method == "fork":
                hub = prepare_for_fork(ctx, n)
                gb.close()  # a forked worker must not hold the gradebook's connection
            with ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context(method),
                                     initializer=init_worker, initargs=(config,)) as ex:
                futures = {ex.submit(grade_task, Task(e.student, str(e.path) if e.path else None,
                                                      tuple(e.notes), manual.get(e.student, {}),
                                                      lates.get(e.student, {}))): e
                           for e in todo}
                if hub is not None:  # the workers exist now
                    gb = Gradebook(out / "gradebook.sqlite")
                    hub.start(_symbolic_checker(ctx.spec))
                for fut in as_completed(futures):
                    # pop: a finished future holds its result's JSON; 1,000 of them add up
                    e = futures.pop(fut)
                    student, status, payload, light = fut.result()
                    gb.put_json(student, status, keys[e.student], payload, light)
                    summary.graded += 1
                    bar.update(1)
            if hub is not None:
                hub.close()
        bar.finish()
        if plan is not None:
            finish_intake(plan, gb, out, ctx, options, graded={e.student for e in todo})
        results = gb.stream(light=True)  # read a chunk at a time: memory stays flat on large classes
        write_class_files(out, results, ctx.spec, lang=ctx.lang)
        _summarise(summary, results, options.allow_reduced_isolation)
    finally:
        gb.close()
    summary.seconds = time.perf_counter() - t0
    return summary


def symbolic_grader(spec):
    """The batch's one SymbolicGrader, its references derived (SymPy work done once)."""
    from grader.symbolic.service import SymbolicGrader  # loads SymPy: only the batch's hub needs it

    grader = SymbolicGrader()
    grader.prepare(spec.items_of("symbolic"), spec.resolve)
    return grader


def _symbolic_checker(spec):
    """The hub's checker; if it cannot be made, one that says why for every answer (the workers
    wait for the hub's replies: they must get one)."""
    try:
        return symbolic_grader(spec)
    except Exception as exc:  # noqa: BLE001
        return UnavailableChecker(f"{type(exc).__name__}: {exc}")


def _start_method() -> str:
    """fork where it is safe (Linux, this process runs no other thread): workers inherit the
    prepared assignment. spawn otherwise: each worker loads it again."""
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return "fork"
    return "spawn"


def _ensure_files(out: Path, gb: Gradebook, student: str, ctx, options: GradeOptions) -> None:
    """A run killed between the commit and the file writes left a row without files: write them."""
    d = student_dir(out, student)
    if not all((d / n).exists() for n in ("grade.json", "results.json", "report.html")):
        r = gb.get(student)
        if r is not None:
            write_student_files(out, r, ctx.spec, lang=ctx.lang, show_solutions=options.show_solutions)


def _summarise(summary: BatchSummary, results: list, allowed: bool = False) -> None:
    scores = []
    for r in results:
        if r.status == "missing":
            summary.missing += 1
        elif r.status == "load_error":
            summary.load_errors += 1
            said = render(r.message, r.lang)
            summary.problems.append((r.student, said.splitlines()[0] if said else "failed to load"))
        scores.append(r.score)
        summary.max_score = max(summary.max_score, r.max_score)
        for it in r.items:
            summary.statuses[it.effective_status] = summary.statuses.get(it.effective_status, 0) + 1
            if it.status in ("timeout",) or any(c.status == "timeout" for c in it.cases):
                summary.problems.append((r.student, f"{it.item}: {render(it.message, r.lang)}"))
        if r.isolation and not summary.isolation:
            summary.isolation = isolation_line(r.isolation, allowed)
    summary.mean_score = sum(scores) / len(scores) if scores else 0.0


class _NoBar:
    def update(self, n):
        pass

    def finish(self):
        pass


class _ClickBar:
    def __init__(self, total: int):
        import click

        self._cm = click.progressbar(length=total, label="Grading", show_eta=True, show_pos=True,
                                     file=sys.stderr)
        self._bar = self._cm.__enter__()

    def update(self, n):
        self._bar.update(n)

    def finish(self):
        self._cm.__exit__(None, None, None)


def _progress(total: int, enabled: bool):
    return _ClickBar(total) if enabled and total else _NoBar()


def grade_one(path: Path, assignment: str, *, release: Optional[Path] = None,
              options: Optional[GradeOptions] = None, student: Optional[str] = None,
              hide_paths: tuple = (), disable: tuple = ()) -> SubmissionResult:
    """Grade a single file (``rnngrade check``, the hosted graders): same sandbox, same checks,
    nothing written. ``student`` is the id whose hidden cases are graded (default: the file's
    name); ``hide_paths`` are hidden from the submission besides the answer key, the file's folder,
    the release and its secret; ``disable`` turns sandbox layers off on purpose."""
    options = options or GradeOptions(progress=False)
    path = Path(path).resolve()
    release = Path(release).resolve() if release else None
    pool = start_pool(1, [*answer_key_paths(), path.parent, release, secret_path(release), *hide_paths],
                      disable=tuple(disable))
    try:
        ctx = open_context(assignment, release, pool, options)
        try:
            return grade_entry_safely(ctx, student or sanitize_student_id(path.stem), path, [], path.parent)
        finally:
            ctx.symbolic.close()
    finally:
        pool.close()
