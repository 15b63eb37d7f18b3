"""PrairieLearn's external-grader entry point: grade ``/grade/student``, write ``/grade/results/results.json``.

Layout (PrairieLearn's external grading documentation; the root is ``RNNGRADE_HOST_ROOT``, default ``/``):

    /grade/data/data.json               the question's data: variant_seed, submitted_answers, ...
    /grade/student/                     the files the student submitted (pl-file-upload)
    /grade/serverFilesCourse/rnngrade/<assignment>/   the instructor release (spec, release.json,
                                        secret.key), copied from the course's serverFilesCourse
    /grade/results/results.json         what this writes (PrairieLearn does not create the folder)

The release folder is the first argument (relative to ``/grade``), else the only one under
``serverFilesCourse/rnngrade``. PrairieLearn gives the grader no student identity, so hidden cases
are derived from the secret and the question variant's seed: each variant has its own hidden cases,
and re-submissions of one variant meet the same ones. A file that cannot be graded (none, several,
unreadable) is "invalid, not gradable": PrairieLearn then neither gives nor takes points.
"""
from __future__ import annotations

import sys
import traceback
from pathlib import Path
from typing import Optional

from grader.outputs.exports import atomic_write
from grader.hosted import common
from grader.hosted.results import prairielearn_not_gradable, prairielearn_results
from grader.hosted.texts import text
from grader.core.jsonsafe import dumps
from grader.messages import without_note


def paths(root: Path, release_arg: Optional[str]) -> dict:
    base = root / "grade"
    if release_arg:
        release = base / release_arg.lstrip("/").removeprefix("grade/")
    else:
        found = sorted(p.parent for p in (base / "serverFilesCourse" / "rnngrade").glob("*/release.json"))
        release = found[0] if len(found) == 1 else base / "serverFilesCourse" / "rnngrade" / "release"
    return {"base": base, "data": base / "data" / "data.json", "student": base / "student",
            "release": release, "server_files": base / "serverFilesCourse",
            "results": base / "results" / "results.json"}


def variant_student(data: Optional[dict]) -> str:
    """The id whose seeds a PrairieLearn variant gets (``variant-<variant_seed>``)."""
    seed = (data or {}).get("variant_seed")
    return f"variant-{seed}" if isinstance(seed, (int, str)) and str(seed).strip() else "variant-unknown"


def run(root: Path, release_arg: Optional[str] = None) -> dict:
    p = paths(root, release_arg)
    facts = common.release_facts(p["release"])
    lang = facts["lang"]
    p["results"].parent.mkdir(parents=True, exist_ok=True)
    try:
        results = _grade(p, facts, lang)
    except common.SubmissionFileError as exc:
        results = prairielearn_not_gradable(str(exc))
    except Exception as exc:  # noqa: BLE001
        traceback.print_exc()
        results = prairielearn_not_gradable(text("internal_error", lang, error=f"{type(exc).__name__}: {exc}"))
    atomic_write(p["results"], dumps(results, indent=2) + "\n")
    return results


def _grade(p: dict, facts: dict, lang: str) -> dict:
    from assignments.release import load_release  # inside run()'s try: a broken install is still reported

    data = common.read_json(p["data"])
    common.lock_down(p["base"], p["server_files"], p["data"].parent)
    path = common.pick_submission(p["student"], facts["notebook"], lang)
    release = load_release(p["release"])
    student = variant_student(data)
    result = common.grade_file(path, p["release"], student,
                               hide_paths=(p["server_files"], p["data"].parent, p["results"].parent))
    common.note_protection(result, [p["release"], release.secret_file, *common.installed_paths()])
    # A variant is never on the roster: the batch's "not on the roster" note says nothing useful here.
    result.notes = without_note(result.notes, "note.not_on_roster", "is not on the roster")
    result.flags = [f for f in result.flags if f != "not_on_roster"]
    print(f"rnngrade: graded {path.name} as {student}: {result.score:g} / {result.max_score:g} ({result.status})")
    print(f"rnngrade: isolation {result.isolation.get('summary', 'n/a')}")
    return prairielearn_results(result, release.spec, lang=lang, facts=facts, extra=[text("variant", lang)])


def main(argv: Optional[list] = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    run(common.host_root(), argv[0] if argv else None)
    sys.exit(0)


if __name__ == "__main__":
    main()
