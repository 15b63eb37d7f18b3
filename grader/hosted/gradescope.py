"""Gradescope's ``run_autograder``: grade ``/autograder/submission``, write ``/autograder/results/results.json``.

Layout (Gradescope's autograder specification; the root is ``RNNGRADE_HOST_ROOT``, default ``/``):

    /autograder/source/                 the uploaded zip, unpacked: release/ (spec, release.json,
                                        secret.key), roster.csv (optional), the rnngrade wheel
    /autograder/rnngrade-venv/          rnngrade and its pinned dependencies (made by setup.sh)
    /autograder/submission/             the student's files
    /autograder/submission_metadata.json   users[] (email, sid, name, id), previous results
    /autograder/results/results.json    what this writes

Before the submission runs, ``/autograder`` becomes readable by root only (the sandbox runs the
submission as another uid), and results.json is written by this process after the sandbox is gone.
Whatever happens, a results.json is written: a grader fault becomes a message, not a silent failure.
Staff read this process's output (Gradescope shows stdout to instructors only).
"""
from __future__ import annotations

import sys
import time
import traceback
from pathlib import Path

from grader.outputs.exports import atomic_write
from grader.hosted import common
from grader.hosted.identity import gradescope_identity, read_roster_table
from grader.hosted.results import gradescope_failure, gradescope_results
from grader.hosted.texts import text
from grader.core.jsonsafe import dumps
from grader.messages import without_note


def paths(root: Path) -> dict:
    base = root / "autograder"
    return {"base": base, "source": base / "source", "release": base / "source" / "release",
            "roster": base / "source" / "roster.csv", "submission": base / "submission",
            "metadata": base / "submission_metadata.json", "results": base / "results" / "results.json"}


def run(root: Path) -> dict:
    """Grade the submission under ``root`` and write results.json; return what was written."""
    t0 = time.perf_counter()
    p = paths(root)
    facts = common.release_facts(p["release"])
    lang = facts["lang"]
    p["results"].parent.mkdir(parents=True, exist_ok=True)
    try:
        results = _grade(p, facts, lang, t0)
    except common.SubmissionFileError as exc:
        results = gradescope_failure(str(exc), time.perf_counter() - t0)
    except Exception as exc:  # noqa: BLE001  (a grader fault must still give the student a message)

        traceback.print_exc()
        results = gradescope_failure(text("internal_error", lang, error=f"{type(exc).__name__}: {exc}"),
                                     time.perf_counter() - t0)
    atomic_write(p["results"], dumps(results, indent=2) + "\n")
    return results


def _grade(p: dict, facts: dict, lang: str, t0: float) -> dict:
    from assignments.release import load_release  # inside run()'s try: a broken install is still reported

    metadata = common.read_json(p["metadata"])
    # Everything private is locked before any student code runs (and before the release is read).
    # (rnngrade's own install, the answer key, is in /autograder/rnngrade-venv: locked with it.)
    common.lock_down(p["base"], p["source"], p["metadata"])
    path = common.pick_submission(p["submission"], facts["notebook"], lang)
    release = load_release(p["release"])
    who = gradescope_identity(metadata, release.roster, read_roster_table(p["roster"]))
    extra = []
    if who is None:
        student = "unnamed"
        extra.append(text("no_identity", lang, student=student))
    else:
        student = who.student
        if not who.on_roster:
            extra.append(text("not_on_roster", lang, who=who.who, student=student))
        if who.group_of > 1:
            extra.append(text("group", lang, student=student))
    result = common.grade_file(path, p["release"], student,
                               hide_paths=(p["source"], p["metadata"], p["results"].parent))
    # said above in the student's language
    result.notes = without_note(result.notes, "note.not_on_roster", "is not on the roster")
    secrets = [p["release"], release.secret_file, *common.installed_paths()]
    common.note_protection(result, secrets)
    print(f"rnngrade: graded {path.name} as {student}: {result.score:g} / {result.max_score:g} ({result.status})")
    print(f"rnngrade: isolation {result.isolation.get('summary', 'n/a')}")
    return gradescope_results(result, release.spec, lang=lang, facts=facts,
                              seconds=time.perf_counter() - t0, extra=extra)


def main() -> None:
    run(common.host_root())
    sys.exit(0)


if __name__ == "__main__":
    main()
