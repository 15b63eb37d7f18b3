"""What a grading run opens before it grades anything: its options, the shared grading context (spec,
release, cases, languages) and the sandbox pool, and what a submission must never read.

Shared by the batch process (``grader.pipeline.batch``), its workers (``grader.pipeline.workers``) and single-file
grading, so that none of them imports another to start.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from assignments.release import load_release
from assignments.spec import load_spec
from grader.pipeline.grading import GradingContext
from grader.pipeline.plan import CaseBook
from grader.sandbox import Limits, SandboxPool

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def answer_key_paths() -> list:
    """What a submission must never read of rnngrade itself: the source checkout, or, when installed
    into site-packages, the installed packages (hiding all of site-packages would hide NumPy)."""
    if (PROJECT_ROOT / "pyproject.toml").is_file():
        return [PROJECT_ROOT]
    return [PROJECT_ROOT / name for name in ("grader", "solutions", "assignments")]


@dataclass
class GradeOptions:
    workers: int = 0  # 0: one per core
    force: bool = False
    timeout: Optional[float] = None  # seconds per call; None: plan.CaseBook.case_timeouts
    load_timeout: Optional[float] = None
    show_solutions: bool = False
    lang: Optional[str] = None
    progress: bool = True
    public_only: bool = False
    # grade even when a sandbox layer this machine has could not be set up (rows, reports and the
    # summary then say so); without it such a batch stops with one line saying how to fix it
    allow_reduced_isolation: bool = False


def open_context(assignment: str, release: Optional[Path], pool: Optional[SandboxPool], options: GradeOptions, *,
                 symbolic: bool = True) -> GradingContext:
    """Load the spec (and release) and build the shared grading context. Call after the pool started."""
    secret = roster = None
    fingerprint = "none"
    if release is not None:
        rel = load_release(Path(release))
        spec, secret, roster = rel.spec, rel.secret, rel.roster
        lang = options.lang or rel.lang
        fingerprint = hashlib.sha256(secret).hexdigest()[:12] if secret else "nosecret"
    else:
        spec = load_spec(assignment)
        lang = options.lang or spec.default_lang
    casebook = CaseBook(spec, call_timeout=options.timeout, public_only=options.public_only)
    load_timeout = options.load_timeout or float(spec.defaults.get("load_timeout", 10.0))
    if symbolic:
        # imported here: it loads SymPy, which the batch process and the workers never need (they
        # ask the SymbolicHub); only a context with its own checker (``grade_one``) pays for it
        from grader.symbolic.service import SymbolicGrader
    return GradingContext(spec=spec, pool=pool, symbolic=SymbolicGrader() if symbolic else None,
                          lang=lang, casebook=casebook,
                          load_timeout=load_timeout, secret=secret, roster=roster,
                          release_fingerprint=fingerprint + (":public" if options.public_only else ""))


def secret_path(release: Optional[Path]) -> Optional[Path]:
    """Where the release's course secret lives (read from release.json, without reading the secret)."""
    if release is None:
        return None
    try:
        info = json.loads((Path(release) / "release.json").read_text(encoding="utf-8"))
        p = Path(info["secret_file"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return (p if p.is_absolute() else Path(release) / p).resolve()


def start_pool(workers: int, hide_paths: list, disable: tuple = ()) -> SandboxPool:
    return SandboxPool(workers=workers, limits=Limits(), hide_paths=[str(p) for p in hide_paths if p],
                       disable=disable)
