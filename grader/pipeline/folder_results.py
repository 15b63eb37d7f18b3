"""Grade a folder through the real batch and read back, per student and item, what was decided:
the form a corpus test compares with its expected file.

    results = grade_folder(Path("tests/corpus/..."), "rnn-step-by-step", out=tmp_path)
    results["alice"]["lstm_backward"] == {"points": 16.0, "max_points": 20.0, "status": "partial",
                                           "diagnoses": [], "cache_verdict": "right_on_reference_cache",
                                           "message": "...", "case_statuses": ["failed", ...]}
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional
from grader.pipeline.batch import GradeOptions, grade_batch
from grader.store.gradebook import Gradebook


def grade_folder(folder: Path, assignment: str, out: Path, *, release: Optional[Path] = None,
                 workers: int = 1, lang: Optional[str] = None) -> dict:
    """``{student: {item id: {points, max_points, status, diagnoses, cache_verdict, message}}}`` of
    every submission in ``folder``, graded by ``grader.pipeline.batch.grade_batch`` into ``out``."""
    grade_batch(Path(folder), assignment, Path(out), release=release,
                options=GradeOptions(workers=workers, progress=False, force=True, lang=lang))
    return read_results(Path(out))


def case_statuses(out: Path, student: str, item_id: str) -> list:
    """The status of each case of one item (passed, failed, error, timeout), from the gradebook."""
    with Gradebook(Path(out) / "gradebook.sqlite") as gb:
        result = gb.get(student)
    try:
        return [c.status for c in result.item(item_id).cases]
    except KeyError:
        return []


def read_results(out: Path) -> dict:
    """The same table from the ``students/<id>/grade.json`` files of a graded batch (and each item's
    case statuses from the gradebook: a verdict "raises on every case" needs them)."""
    table = {}
    for path in sorted((Path(out) / "students").glob("*/grade.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        table[data["student"]] = {
            item_id: {"points": item["score"], "max_points": item["max_score"], "status": item["status"],
                      "diagnoses": list(item.get("diagnoses", [])), "cache_verdict": item.get("cache_verdict"),
                      "message": item.get("message", ""), "case_statuses": case_statuses(out, data["student"], item_id)}
            for item_id, item in data["items"].items()}
    return table


def verdict_of(entry: dict) -> str:
    """One function's verdict in the words of a corpus's expected file: ``correct``, ``unanswered``,
    ``error`` (raises on every case, or does not load), ``wrong``, ``cache_corrupted`` (a forward's
    outputs right, its cache not) or ``right_on_reference_cache`` (a backward right on the answer
    key's cache, not on its own chain). ``entry`` is one item of :func:`read_results`."""
    if entry.get("cache_verdict"):
        return entry["cache_verdict"]
    status = entry["status"]
    if status in ("error", "timeout"):
        return "wrong" if "failed" in entry.get("case_statuses", ()) else "error"
    return {"passed": "correct", "unanswered": "unanswered"}.get(status, "wrong")
