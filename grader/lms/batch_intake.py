"""The batch's side of an LMS intake: read the download before grading, settle attempts after.

Kept apart from :mod:`grader.pipeline.batch` so that a batch of a plain folder never imports the LMS readers.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional
from grader.outputs.exports import write_student_files
from grader.lms.intake import prepare_intake
from grader.lms.roster import read_roster, roster_from_ids
from msgcat import message


def open_intake(submissions: Path, out: Path, gb, ctx, options, roster_csv: Optional[Path], on_plan=None):
    """Read the download, store who is who in the gradebook, show the plan; returns the IntakePlan."""
    if roster_csv is not None:
        roster = read_roster(roster_csv)
    else:
        roster = roster_from_ids(ctx.roster) if ctx.roster else None
    if options.notebook_name is None:
        options.notebook_name = getattr(ctx.spec, "notebook_name", None)
    plan = prepare_intake(submissions, out, roster, options)
    plan.changed = gb.set_intake(plan.rows, plan.meta())
    if on_plan is not None:
        on_plan(plan.lines())
    return plan


def finish_intake(plan, gb, out: Path, ctx, options, graded: set) -> None:
    """``--attempt best``: a student's row takes their best attempt (by final score); files of students
    not graded again whose lateness changed (a new deadline or policy) are written again."""
    rewrite = set(getattr(plan, "changed", set())) - graded
    if plan.attempt_mode == "best":
        rewrite |= _take_best(plan, gb)
    for student in sorted(rewrite):
        r = gb.get(student)
        if r is not None:
            write_student_files(out, r, ctx.spec, lang=ctx.lang, show_solutions=options.show_solutions)


def _take_best(plan, gb) -> set:
    rows = {r.student: r for r in plan.rows}
    extra: dict = {}
    for r in plan.rows:
        if r.status == "attempt":
            extra.setdefault(r.info["student"], []).append(r.student)
    changed = set()
    for student, attempt_ids in sorted(extra.items()):
        own = gb.get(student)
        if own is None:
            continue
        best_id, best = student, own
        for sid in sorted(attempt_ids):
            r = gb.get(sid)
            if r is not None and r.final_score > best.final_score:
                best_id, best = sid, r
        if best_id == student:
            continue
        n = rows[best_id].info["attempt"]
        best.student = student
        best.notes.append(message("note.lms_best_of", attempts=rows[student].info["attempts"], attempt=n,
                                  score=f"{best.final_score:g}"))
        gb.put(best, gb.grading_key(best_id) or "")
        rows[student].info.update(late=rows[best_id].info.get("late") or {}, attempt=n,
                                  files=rows[best_id].info.get("files"), best_of=True)
        changed.add(student)
    if changed:
        gb.set_intake(plan.rows, plan.meta())
    return changed
