"""Golden HTML files: one student report per language and the class summary, byte for byte.

Refresh after an intended change with ``pytest tests/reports --update-goldens`` and review the diff.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from grader.reports import render_student_report, render_summary
from tests.reports.sample_results_support import all_results, bob, make_spec

GOLDENS = Path(__file__).parent / "goldens"
pytestmark = pytest.mark.usefixtures("fixed_mistakes")


def _check(update: bool, name: str, text: str):
    path = GOLDENS / name
    if update or not path.exists():
        if not update:
            pytest.fail(f"{path.name} does not exist: run pytest with --update-goldens to create it")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    assert text == path.read_text(encoding="utf-8"), (
        f"{name} differs from its golden file; if the change is intended, run pytest with --update-goldens")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_student_report_golden(update_goldens, lang):
    _check(update_goldens, f"student_bob_{lang}.html", render_student_report(bob(), make_spec(), lang=lang))


def test_student_report_with_solutions_golden(update_goldens):
    _check(update_goldens, "student_bob_en_solutions.html",
           render_student_report(bob(), make_spec(), lang="en", show_solutions=True))


def test_summary_golden(update_goldens):
    _check(update_goldens, "summary_en.html", render_summary(all_results(), make_spec(), lang="en"))


def test_rendering_twice_gives_the_same_bytes():
    assert render_student_report(bob(), make_spec(), lang="zh") == render_student_report(bob(), make_spec(), lang="zh")
