"""``rnngrade demo``, second part: the cache-style assignment ``rnn-step-by-step`` on sample submissions.

A correct student, three with a mistake the survey of real notebooks found (a cache that a later step
overwrites, a BPTT without the carry, a wrong tanh derivative), and the blank notebook handed in.
Each sample is the model solution with one line changed, so the demo shows what one mistake costs.
"""
from __future__ import annotations

import shutil
from pathlib import Path
from assignments.release import assign
from grader.pipeline.batch import GradeOptions, grade_batch

ASSIGNMENT = "rnn-step-by-step"
SOLUTION = Path(__file__).resolve().parents[2] / "assignments" / "rnn_step_by_step" / "solution.py"

# student id -> (what the model solution says, what the student wrote instead)
MISTAKES = {
    # c_next starts as a view of c[:, :, 0]: step 0's cache keeps it, step 0 then overwrites it
    "bob": ("    c_next = np.zeros((n_a, m))\n", "    c_next = c[:, :, 0]\n"),
    # every step on its own: the gradients of a_{t-1} and c_{t-1} are never carried back
    "carol": ("lstm_cell_backward(da[:, :, t] + da_prevt, dc_prevt, caches[t])",
              "lstm_cell_backward(da[:, :, t], np.zeros((n_a, m)), caches[t])"),
    # tanh' written as 1 - tanh(a_next)^2 although a_next is already a tanh
    "dave": ("dz = da_next * (1 - a_next ** 2)", "dz = da_next * (1 - np.tanh(a_next) ** 2)"),
}


def write_samples(folder: Path, release_student: Path) -> list:
    """Write the sample class into ``folder``; returns the student ids written."""
    folder.mkdir(parents=True, exist_ok=True)
    base = SOLUTION.read_text(encoding="utf-8")
    (folder / "alice.py").write_text(base, encoding="utf-8")
    for student, (right, wrong) in MISTAKES.items():
        if base.count(right) != 1:  # the model solution changed: the sample must change with it
            raise ValueError(f"demo sample {student}: {right!r} is not exactly once in {SOLUTION.name}")
        (folder / f"{student}.py").write_text(base.replace(right, wrong), encoding="utf-8")
    shutil.copy(release_student / f"{ASSIGNMENT}.ipynb", folder / "ivan.ipynb")
    return ["alice", *MISTAKES, "ivan"]


def run_step_by_step_demo(out: Path, *, lang: str = "en") -> list:
    """Assign, write the samples, grade them into ``out``; returns the lines to print."""
    roster_names = ["alice", *MISTAKES, "ivan"]
    out.mkdir(parents=True)
    roster = out / "roster.csv"
    roster.write_text("student\n" + "\n".join(roster_names) + "\n", encoding="utf-8")
    assign(ASSIGNMENT, out / "release", roster=roster, lang=lang, secret_file=out / "course-secret.key")
    subs = out / "submissions"
    write_samples(subs, out / "release" / "student")
    summary = grade_batch(subs, ASSIGNMENT, out / "graded", release=out / "release" / "instructor",
                          options=GradeOptions(progress=False, lang=lang))
    return [
        f"Assigned {ASSIGNMENT} to {len(roster_names)} students: {out / 'release'}",
        f"Wrote {len(roster_names)} sample submissions (correct, three mistakes, blank): {subs}",
        *summary.lines(),
    ]
