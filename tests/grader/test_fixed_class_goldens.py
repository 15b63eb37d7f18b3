"""A fixed class graded by the real batch: its grades.csv and every grade.json equal golden copies.

The class is stored beside the goldens (``goldens/fixed_class/submissions``): twelve files that the
benchmark's ``make_fixed_class`` wrote once (one infinite loop, three correct submissions and one per
known bug, each personalised with a fixed seed). They are kept as files, not made anew, because the
buggy ones come from the mistake library, whose variants grow (a new form of a mistake would change
the class, not the grader). The goldens were written by the grader before the gradebook's storage and the time-limit rule changed,
so they show that those changes changed no grade. After an intended change of a grade or a message,
refresh them with ``pytest tests/grader/test_fixed_class_goldens.py --update-goldens`` and review the
diff.

The same run checks that ``rnngrade report`` re-renders every file of OUT, byte for byte, from the
gradebook alone.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.pipeline.batch import GradeOptions, grade_batch
from grader.cli import main

GOLDENS = Path(__file__).parent / "goldens" / "fixed_class"


CLASS = GOLDENS / "submissions"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("fixed_class")
    subs, out = tmp / "subs", tmp / "out"
    shutil.copytree(CLASS, subs)
    kinds = [p.stem.split("_", 1)[1] for p in sorted(subs.glob("*.py"))]
    grade_batch(subs, "nndl-ch6", out, options=GradeOptions(workers=2, progress=False, lang="en"))
    return out, kinds


VERSION = "<the version of the assignment's files>"


def _comparable(text: str) -> str:
    """grade.json without what is not a grade: its ``isolation`` block (which sandbox layers are on
    depends on the machine's privileges) and the assignment's version (a digest of its files, which
    any edit of the assignment changes)."""
    d = json.loads(text)
    d.pop("isolation", None)
    d["version"] = VERSION
    return json.dumps(d, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _check(update: bool, name: str, text: str) -> None:
    path = GOLDENS / name
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    assert path.exists(), f"{name} does not exist: run pytest with --update-goldens to create it"
    assert text == path.read_text(encoding="utf-8"), (
        f"{name} differs from its golden file; if the change is intended, run pytest with --update-goldens")


def test_the_class_is_the_one_the_goldens_were_made_from(graded):
    out, kinds = graded
    assert len(kinds) == 12 and kinds.count("infinite_loop") == 1 and kinds.count("correct") == 3
    assert sorted(p.name for p in (out / "students").iterdir()) == sorted(
        f"s{k:02d}_{kind}" for k, kind in enumerate(kinds))


def test_grades_csv_equals_its_golden(graded, update_goldens):
    out, _ = graded
    _check(update_goldens, "grades.csv", (out / "grades.csv").read_text(encoding="utf-8"))


def test_every_grade_json_equals_its_golden(graded, update_goldens):
    out, _ = graded
    students = sorted(p.name for p in (out / "students").iterdir())
    for student in students:
        text = (out / "students" / student / "grade.json").read_text(encoding="utf-8")
        _check(update_goldens, f"{student}.grade.json", _comparable(text))
    assert sorted(p.name for p in GOLDENS.glob("*.grade.json")) == [f"{s}.grade.json" for s in students]


def test_report_re_renders_every_file_byte_for_byte(graded, tmp_path):
    out, _ = graded
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    written = {p.relative_to(copy): p.read_bytes() for p in copy.rglob("*")
               if p.is_file() and not p.name.startswith("gradebook.sqlite")}
    for rel in written:
        (copy / rel).unlink()
    res = CliRunner().invoke(main, ["report", str(copy)])
    assert res.exit_code == 0, res.output
    assert res.output == f"Re-rendered 12 submission(s); summary: {copy / 'summary.html'}\n"
    assert len(written) == 2 + 3 * 12  # grades.csv, summary.html, and three files per student
    for rel, data in sorted(written.items()):
        assert (copy / rel).read_bytes() == data, rel
