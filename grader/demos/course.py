"""``rnngrade demo``: the whole pipeline on built-in sample submissions.

Assigns nndl-ch6 to a small roster, writes a class of sample submissions (correct, buggy, hostile,
broken), grades them in the sandbox against each student's variant, and renders the reports; then the
same for the cache-style assignment rnn-step-by-step (``grader/demos/step_by_step.py``, in OUT/step-by-step).
"""
from __future__ import annotations

import shutil
from pathlib import Path

from assignments.release import assign
from grader.pipeline.batch import GradeOptions, grade_batch
from grader.core.errors import make_folder
from grader.demos.step_by_step import run_step_by_step_demo
from grader.diagnosis.submissions import SOLUTION, buggy_submission_source
from grader.lms import samples
from grader.lms.export import export_grades
from grader.lms.intake import IntakeOptions
from grader.lms.late import parse_deadline, parse_policy


# student id -> mistake id of the diagnosis library (its variant replaces the correct function)
BUGGY = {
    "carol": "no_dc_carry",
    "dave": "concat_x_first",
    "erin": "gru_z_swapped",
    "frank": "residual_missing_identity",
    "grace": "clip_per_tensor",
    "heidi": "no_dh_accumulation",
}

HOSTILE = {
    # an infinite loop in one function costs that function only
    "mallory": "\n\ndef gru_forward(x, h0, parameters):\n    while True:\n        pass\n",
    # importing the answer key fails, and a crash costs the crashing function only
    "oscar": "\n\nimport solutions  # the answer key is not importable from a submission\n"
             "def lstm_backward(dh, x, h0, parameters):\n    import os\n    os._exit(0)\n",
    # a student's <script> in an answer is shown as text in the report
    "peggy": '\n\nfree_6_1p = "<script>alert(1)</script> GRU when data is small"\n'
             'answer_lstm_dc_prev = "(dc + dh*o*(1 - tanh(c)**2))"\n',
}


def write_samples(folder: Path, release_student: Path) -> list:
    """Write the sample class into ``folder``; returns the student ids written."""
    folder.mkdir(parents=True, exist_ok=True)
    base = SOLUTION.read_text(encoding="utf-8")
    written = []

    def put(name: str, text: str) -> None:
        (folder / name).write_text(text, encoding="utf-8")
        written.append(Path(name).stem)

    put("alice.py", base)
    for student, mistake in BUGGY.items():
        put(f"{student}.py", buggy_submission_source(mistake, base))
    for student, extra in HOSTILE.items():
        put(f"{student}.py", base + extra)
    # the blank student notebook, handed in untouched: every code item says what to implement
    notebooks = sorted(release_student.glob("*.ipynb"))
    if notebooks:
        shutil.copy(notebooks[0], folder / "ivan.ipynb")
        written.append("ivan")
    put("judy.ipynb", '{"cells": [ this is not JSON')
    return written


def run_demo(out: Path, *, lang: str = "en") -> list:
    out = Path(out).resolve()
    if out.exists():
        shutil.rmtree(out)
    make_folder(out)
    subs = out / "submissions"
    roster_names = ["alice", *BUGGY, *HOSTILE, "ivan", "judy", "zoe"]  # zoe submits nothing
    roster = out / "roster.csv"
    roster.write_text("student\n" + "\n".join(roster_names) + "\n", encoding="utf-8")
    assign("nndl-ch6", out / "release", roster=roster, lang=lang, secret_file=out / "course-secret.key")
    write_samples(subs, out / "release" / "student")
    summary = grade_batch(subs, "nndl-ch6", out / "graded", release=out / "release" / "instructor",
                          options=GradeOptions(progress=False, lang=lang))

    lines = [
        f"Assigned nndl-ch6 to {len(roster_names)} students: {out / 'release'}",
        f"Wrote {len(roster_names) - 1} sample submissions (correct, buggy, hostile, broken): {subs}",
        *summary.lines(),
        *lms_round_trip(out / "lms", lang),
        "",
        *run_step_by_step_demo(out / "step-by-step", lang=lang),
        "",
        f"Open the class summary: {out / 'graded' / 'summary.html'}",
    ]
    return lines


def lms_round_trip(folder: Path, lang: str) -> list:
    """The LMS round trip on a small class: a Canvas download (a late, a resubmitted, a missing and an
    unmatched student, one hostile entry) graded in one call and exported as Canvas's import file."""
    folder.mkdir(parents=True, exist_ok=True)
    download = samples.canvas_zip(folder / "canvas-download.zip")
    roster = samples.roster_csv(folder / "roster.csv")
    plan: list = []
    intake = IntakeOptions(deadline=parse_deadline(samples.DEADLINE), policy=parse_policy(samples.POLICY))
    grade_batch(download, "nndl-ch6", folder / "graded", options=GradeOptions(progress=False, lang=lang),
                intake=intake, roster=roster, on_plan=plan.extend)
    dest = folder / "canvas-import.csv"
    export_grades(folder / "graded", "canvas", dest)
    return [f"LMS round trip: graded the Canvas download {download} ({plan[0][len('Intake: '):]})",
            f"  Canvas import file (late penalty applied): {dest}"]
