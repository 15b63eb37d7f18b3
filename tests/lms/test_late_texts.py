"""Are the late-penalty sentences a student reads right, word for word, in both languages?"""
from __future__ import annotations

import pytest

from grader.model import ItemResult, SubmissionResult
from grader.reports import render_student_report
from grader.reports.i18n import Translator
from grader.reports.student import late_lines

LATE = {"late": True, "units": 2, "unit": "day", "penalty": 0.2, "policy": "10%/day, max 3 days", "basis": "time"}


def _result(late: dict) -> SubmissionResult:
    item = ItemResult(item="free_6_3", kind="free", max_score=10.0, status="pending_manual",
                      manual={"points": 7.5, "comment": ""})
    return SubmissionResult(student="carol", status="graded", assignment="nndl-ch6", version="1", items=[item],
                            late=dict(late))


@pytest.mark.parametrize("lang,late,lines", [
    ("en", LATE, ["Submitted 2 day(s) after the deadline (late policy: 10%/day, max 3 days).",
                  "Late penalty 20%: 7.5 becomes 6 / 10."]),
    ("zh", LATE, ["在截止时间之后 2 天提交（迟交规则：10%/day, max 3 days）。", "迟交扣分 20%：7.5 分变为 6 / 10 分。"]),
    ("en", {**LATE, "basis": "marker", "units": 1, "penalty": 0.1},
     ["Marked late by the course site, counted as 1 day(s) late (late policy: 10%/day, max 3 days).",
      "Late penalty 10%: 7.5 becomes 6.75 / 10."]),
    ("en", {**LATE, "override": {"percent": 0, "comment": "ill"}},
     ["Submitted 2 day(s) after the deadline (late policy: 10%/day, max 3 days).",
      "Your instructor waived the late penalty: ill"]),
    ("zh", {**LATE, "override": {"percent": 5, "comment": "网站故障"}},
     ["在截止时间之后 2 天提交（迟交规则：10%/day, max 3 days）。", "老师将迟交扣分改为 5%：网站故障",
      "迟交扣分 5%：7.5 分变为 7.12 / 10 分。"]),
    ("en", {}, []),
], ids=["en", "zh", "marker", "waived", "zh-override", "on-time"])
def test_late_sentences(lang, late, lines):
    assert late_lines(_result(late), Translator(lang)) == lines


def test_report_shows_the_sentences_with_the_comment_escaped():
    from assignments.spec import load_spec

    late = {**LATE, "override": {"percent": 0, "comment": "<b>ill</b>"}}
    html = render_student_report(_result(late), load_spec("nndl-ch6"), lang="en")
    assert ('<p class="note" id="late">Submitted 2 day(s) after the deadline (late policy: 10%/day, max 3 days). '
            'Your instructor waived the late penalty: &lt;b&gt;ill&lt;/b&gt;</p>') in html
