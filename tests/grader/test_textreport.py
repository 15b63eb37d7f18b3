"""`rnngrade check`'s terminal lines, in both languages."""
import pytest

from grader.model import ItemResult, SubmissionResult
from grader.outputs.textreport import check_lines


@pytest.mark.parametrize("lang, lines", [
    ("en", ["rnngrade check: a.py (nndl-ch6, version v1)", "MISS free_6_3: no answer yet",
            "HAND free_6_4: answered, graded by hand",
            "Public checks only: hidden cases are graded after you submit; passing these checks is not full marks."]),
    ("zh", ["rnngrade check：a.py（nndl-ch6，版本 v1）", "MISS free_6_3: 尚未作答", "HAND free_6_4: 已作答，人工评分",
            "这里只运行公开检查：隐藏用例在提交后评分；通过这些检查并不等于满分。"]),
])
def test_free_items_in_check_output(lang, lines):
    r = SubmissionResult(student="a", status="graded", assignment="nndl-ch6", version="v1", lang=lang,
                         path="a.py", items=[
                             ItemResult(item="free_6_3", kind="free", max_score=4, status="unanswered"),
                             ItemResult(item="free_6_4", kind="free", max_score=4, status="pending_manual")])
    assert check_lines(r) == (lines, True)
