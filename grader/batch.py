"""Batch-grade a folder of submissions into OUT.

Order matters for safety: the sandbox's warm workers start before the answer key, the cases or the
course secret are loaded, so no child can inherit them. Each submission's result is committed to the
gradebook on its own as soon as it is done; a re-run skips what is already graded (same file, same
assignment version, same release) unless ``force``.
"""
from __future__ import annotations

import os
import sys
import time
import traceback
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from grader.exports import student_dir, write_class_files, write_student_files
from grader.gradebook import Gradebook
from grader.model import SubmissionResult

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass
class GradeOptions:
    workers: int = 0  # 0: one per core
    force: bool = False
    timeout: Optional[float] = None  # seconds per call; None: the spec's floor or 100x the reference
    load_timeout: Optional[float] = None
    show_solutions: bool = False
    lang: Optional[str] = None
    progress: bool = True
    public_only: bool = False


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


def open_context(assignment: str, release: Optional[Path], pool, options: GradeOptions, *, submissions=None):
    """Load the spec (and release) and build the shared grading context. Call after the pool started."""
    from assignments.spec import load_spec
    from grader.grading import GradingContext
    from grader.plan import CaseBook
    from grader.symbolic.service import SymbolicGrader

    secret = roster = None
    fingerprint = "none"
    if release is not None:
        from assignments.release import load_release

        rel = load_release(Path(release))
        spec, secret, roster = rel.spec, rel.secret, rel.roster
        lang = options.lang or rel.lang
        import hashlib

        fingerprint = hashlib.sha256(secret).hexdigest()[:12] if secret else "nosecret"
    else:
        spec = load_spec(assignment)
        lang = options.lang or spec.default_lang
    casebook = CaseBook(spec, call_timeout=options.timeout, public_only=options.public_only)
    load_timeout = options.load_timeout or float(spec.defaults.get("load_timeout", 10.0))
    return GradingContext(spec=spec, pool=pool, symbolic=SymbolicGrader(), lang=lang, casebook=casebook,
                          load_timeout=load_timeout, secret=secret, roster=roster,
                          release_fingerprint=fingerprint + (":public" if options.public_only else ""))


def start_pool(workers: int, hide_paths: list):
    from grader.sandbox import Limits, SandboxPool

    return SandboxPool(workers=workers, limits=Limits(), hide_paths=[str(p) for p in hide_paths if p])


def grade_batch(submissions: Path, assignment: str, out: Path, *, release: Optional[Path] = None,
                options: Optional[GradeOptions] = None) -> BatchSummary:
    from grader.loading import discover

    options = options or GradeOptions()
    submissions, out = Path(submissions).resolve(), Path(out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    workers = options.workers or os.cpu_count() or 1
    t0 = time.perf_counter()
    summary = BatchSummary(out=out)
    pool = start_pool(workers, [PROJECT_ROOT, out, submissions, release and Path(release).resolve()])
    try:
        ctx = open_context(assignment, release, pool, options)
        gb = Gradebook(out / "gradebook.sqlite")
        builtin = release is None and not Path(assignment).exists()
        gb.set_meta(assignment=assignment if builtin else str(ctx.spec.path.parent),
                    release=str(Path(release).resolve()) if release else None, lang=ctx.lang,
                    show_solutions=options.show_solutions, version=ctx.spec.version)
        entries = discover(submissions, ctx.roster)
        summary.total = len(entries)
        todo, keys = [], {}
        from grader.grading import file_hash

        for e in entries:
            key = ctx.grading_key(file_hash(e.path))
            keys[e.student] = key
            if not options.force and gb.grading_key(e.student) == key:
                summary.skipped += 1
                _ensure_files(out, gb, e.student, ctx, options)
                continue
            todo.append(e)

        def work(e):
            try:
                if e.path is None:
                    return ctx.missing(e.student, "; ".join(e.notes))
                rel = os.path.relpath(e.path, submissions)
                return ctx.grade_entry(e.student, e.path, e.notes, rel_path=rel)
            except Exception as exc:  # a grader bug must not stop the batch or lose the row
                tb = traceback.format_exc(limit=3)
                r = ctx.missing(e.student, "")
                r.status = "load_error"
                r.message = (f"rnngrade failed while grading this submission ({type(exc).__name__}: {exc}); "
                             f"the other submissions are not affected. Please report it with this trace:\n{tb}")
                r.items = ctx.empty_items("error", "not graded: internal error")
                return r

        bar = _progress(len(todo), options.progress)
        with ThreadPoolExecutor(max_workers=workers) as ex:
            futures = {ex.submit(work, e): e for e in todo}
            for fut in as_completed(futures):
                e = futures[fut]
                result = fut.result()
                gb.put(result, keys[e.student])
                write_student_files(out, gb.get(e.student), ctx.spec, lang=ctx.lang,
                                    show_solutions=options.show_solutions)
                summary.graded += 1
                bar.update(1)
        bar.finish()
        results = gb.results()
        write_class_files(out, results, ctx.spec, lang=ctx.lang)
        _summarise(summary, results)
        ctx.symbolic.close()
        gb.close()
    finally:
        pool.close()
    summary.seconds = time.perf_counter() - t0
    return summary


def _ensure_files(out: Path, gb: Gradebook, student: str, ctx, options: GradeOptions) -> None:
    """A run killed between the commit and the file writes left a row without files: write them."""
    d = student_dir(out, student)
    if not all((d / n).exists() for n in ("grade.json", "results.json", "report.html")):
        r = gb.get(student)
        if r is not None:
            write_student_files(out, r, ctx.spec, lang=ctx.lang, show_solutions=options.show_solutions)


def _summarise(summary: BatchSummary, results: list) -> None:
    scores = []
    for r in results:
        if r.status == "missing":
            summary.missing += 1
        elif r.status == "load_error":
            summary.load_errors += 1
            summary.problems.append((r.student, r.message.splitlines()[0] if r.message else "failed to load"))
        scores.append(r.score)
        summary.max_score = max(summary.max_score, r.max_score)
        for it in r.items:
            summary.statuses[it.effective_status] = summary.statuses.get(it.effective_status, 0) + 1
            if it.status in ("timeout",) or any(c.status == "timeout" for c in it.cases):
                summary.problems.append((r.student, f"{it.item}: {it.message}"))
        if r.isolation and not summary.isolation:
            summary.isolation = r.isolation.get("summary", "")
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
              options: Optional[GradeOptions] = None) -> SubmissionResult:
    """Grade a single file (``rnngrade check``): same sandbox, same checks, nothing written."""
    from grader.loading import sanitize_student_id

    options = options or GradeOptions(progress=False)
    path = Path(path).resolve()
    pool = start_pool(1, [PROJECT_ROOT, path.parent, release and Path(release).resolve()])
    try:
        ctx = open_context(assignment, release, pool, options)
        try:
            return ctx.grade_entry(sanitize_student_id(path.stem), path, [], rel_path=path.name)
        finally:
            ctx.symbolic.close()
    finally:
        pool.close()
