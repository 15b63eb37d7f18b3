"""The words students read, verbatim, in both languages."""
from __future__ import annotations

import json
import re
import string
from pathlib import Path

import numpy as np
import pytest

from grader.checking.consistency import evaluate_consistency
from grader.model import ITEM_STATUSES, ItemResult
from grader.reports import item_feedback_text, render_student_report
from grader.reports.i18n import Translator, catalogue
from grader.reports.views import consistency_view
from tests.reports.sample_results_support import bob, carol, dave, erin, make_spec

pytestmark = pytest.mark.usefixtures("fixed_mistakes")
TEMPLATES = Path(__file__).resolve().parents[2] / "grader" / "reports" / "templates"
SOURCES = Path(__file__).resolve().parents[2] / "grader" / "reports"

BACKWARD_EN = """\
Back-propagation through one LSTM cell [lstm_cell_backward]: failed, 5 / 10
0 of 1 cases passed (public 0 of 1).
Backward vs. your forward: Your backward is consistent with your own forward; the forward is wrong, \
so fix lstm_cell_forward first. A backward consistent with your forward earns 50% of the points of each failing case.
- Public case · n_x=3, n_h=5, m=10: failed
  Input shapes: dh_next (5, 10)
  dWf — wrong values: values differ; largest absolute error 3.00e+00, largest relative error 1.00e+00, at index (1, 2).
  Expected:
    array of shape (5, 10): min 0, max 7, mean 3.5
  Your function returned:
    array of shape (5, 10): min 0, max 0, mean 0
"""

BACKWARD_ZH = """\
LSTM 单元的反向传播 [lstm_cell_backward]：未通过，5 / 10
通过 0 / 1 个用例（公开 0 / 1）。
反向传播与你的前向计算：你的反向传播与你自己的前向计算一致；但前向计算有错，请先修正 lstm_cell_forward。\
与你的前向计算一致的反向传播，每个未通过的用例可得该用例 50% 的分数。
- 公开用例 · n_x=3, n_h=5, m=10：未通过
  输入的形状：dh_next (5, 10)
  dWf — 数值不对：values differ；最大绝对误差 3.00e+00，最大相对误差 1.00e+00，位于下标 (1, 2)。
  期望值：
    形状为 (5, 10) 的数组：最小值 0，最大值 7，均值 3.5
  你的函数返回：
    形状为 (5, 10) 的数组：最小值 0，最大值 0，均值 0
"""

SYMBOLIC_EN = """\
Gradient with respect to c_prev [answer_lstm_dc_prev]: failed, 0 / 5
not equivalent to the expected answer
Your answer: (dc + dh*o)*f  # <script>alert(1)</script>
Your expression differs from the expected one at this point: dh = 0.5, dc = -1.25, f = 0.3, i = 0.6, o = 0.7, g = 0.2, c_prev = 1.5
There, your expression evaluates to 0.0525.
"""

SYMBOLIC_ZH = """\
对 c_prev 的梯度 [answer_lstm_dc_prev]：未通过，0 / 5
与参考答案不等价
你的答案：(dc + dh*o)*f  # <script>alert(1)</script>
你的表达式在下面这一点与参考答案不同：dh = 0.5, dc = -1.25, f = 0.3, i = 0.6, o = 0.7, g = 0.2, c_prev = 1.5
在这一点，你的表达式的值为 0.0525。
"""

UNPARSABLE_ZH = """\
对 c_prev 的梯度 [answer_lstm_dc_prev]：未通过，0 / 5
无法解析
你的答案：(dc + dh*o
                    ^
unbalanced parenthesis
"""


@pytest.mark.parametrize("lang,item,expected", [
    ("en", "lstm_cell_backward", BACKWARD_EN),
    ("zh", "lstm_cell_backward", BACKWARD_ZH),
    ("en", "answer_lstm_dc_prev", SYMBOLIC_EN),
    ("zh", "answer_lstm_dc_prev", SYMBOLIC_ZH),
], ids=["backward-en", "backward-zh", "symbolic-en", "symbolic-zh"])
def test_gradescope_text_verbatim(lang, item, expected):
    r = bob()
    assert item_feedback_text(r.item(item), make_spec(), lang=lang, result=r) == expected


def test_parse_error_caret_lines_up_under_cjk_label():
    """The caret sits under the character after "(dc + dh*o": CJK labels take two columns each."""
    assert item_feedback_text(carol().item("answer_lstm_dc_prev"), make_spec(), lang="zh") == UNPARSABLE_ZH


def _cons(verdict, tensors=None, passed=False):
    from grader.model import CaseResult
    case = CaseResult(case_id="public-0", visibility="public", passed=passed, status="passed" if passed else "failed")
    return ItemResult(item="lstm_cell_backward", kind="code", max_score=10, status="failed", cases=[case],
                      consistency={"verdict": verdict, "message": "forward raised", "tensors": tensors or {}})


@pytest.mark.parametrize("lang,verdict,tensors,forward,passed,expected", [
    ("en", "consistent", None, "failed", False,
     "Your backward is consistent with your own forward; the forward is wrong, so fix lstm_cell_forward first."),
    ("zh", "consistent", None, "failed", False,
     "你的反向传播与你自己的前向计算一致；但前向计算有错，请先修正 lstm_cell_forward。"),
    ("en", "consistent", None, "passed", True,
     "Your backward is consistent with your own forward (lstm_cell_forward)."),
    ("en", "inconsistent", {"dWf": {"ok": False, "rel_err": 0.3}, "dbf": {"ok": True, "rel_err": 1e-9}}, "failed", False,
     "Your backward does not match your forward in dWf."),
    ("zh", "inconsistent", {"dWf": {"ok": False, "rel_err": 0.3}}, "failed", False,
     "你的反向传播与你的前向计算在 dWf 上不一致。"),
    ("en", "inconsistent", {"dWf": {"ok": False, "rel_err": 0.3}, "dWo": {"ok": False, "rel_err": 0.1}}, "passed", False,
     "Your backward does not match your forward in dWf, dWo; lstm_cell_forward is correct, so the mistake is in "
     "lstm_cell_backward."),
    ("en", "not_checked", None, None, False, "Consistency with your forward was not checked: forward raised"),
    ("zh", "not_checked", None, None, False, "未检查与前向计算的一致性：forward raised"),
])
def test_consistency_combined_with_correctness(lang, verdict, tensors, forward, passed, expected):
    view = consistency_view(_cons(verdict, tensors, passed), make_spec(), Translator(lang), forward)
    assert view["text"] == expected


@pytest.mark.parametrize("lang,result,expected", [
    ("en", dave, "Your submission could not be loaded, so it could not be graded."),
    ("zh", dave, "无法加载你提交的文件，因此未能评分。"),
    ("en", erin, "No submission was found for you."),
    ("zh", erin, "没有找到你提交的作业。"),
    ("en", bob, "This answer is graded by hand; the points appear here once it has been graded."),
    ("zh", bob, "此题由老师人工评分；评分后分数会显示在这里。"),
    ("en", dave, "cell 4, line 2"),
    ("en", dave, "NameError: name &#39;np&#39; is not defined"),
    ("en", dave, "The items were not graded; once your file loads, each item&#39;s feedback appears here."),
    ("zh", dave, "第 4 个单元格，第 2 行"),
    ("en", bob, "Your id is not on the course roster; your instructor has been told."),
], ids=lambda v: v.__name__ if callable(v) else None)
def test_report_sentences_verbatim(lang, result, expected):
    assert expected in render_student_report(result(), make_spec(), lang=lang)


def test_manual_points_and_comment_are_shown():
    from tests.reports.sample_results_support import alice
    html = render_student_report(alice(), make_spec(), lang="en")
    assert "<strong>From your instructor:</strong> 8 of 10 points." in html
    assert "<pre>Good, but say when clipping helps.</pre>" in html
    r = bob()
    r.item("answer_lstm_dc_prev").manual = {"points": 4, "comment": "Equivalent after simplification."}
    html = render_student_report(r, make_spec(), lang="zh")
    assert "<strong>老师给定的分数：</strong> 4 / 5 分。" in html


def _placeholders(text: str) -> set:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_catalogues_have_the_same_keys_and_placeholders():
    en, zh = catalogue("en"), catalogue("zh")
    assert set(en) == set(zh)
    assert {k: _placeholders(v) for k, v in en.items()} == {k: _placeholders(v) for k, v in zh.items()}


def test_every_key_used_exists():
    used = set()
    for f in list(TEMPLATES.glob("*.j2")) + list(SOURCES.glob("*.py")):
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_]+\.[a-z_]+)["']""", f.read_text(encoding="utf-8")))
    used |= {f"status.{s}" for s in ITEM_STATUSES + ("graded", "load_error", "missing")}
    used |= {f"stage.{s}" for s in ("returned", "structure", "ndarray", "shape", "dtype", "finite", "values")}
    used |= {f"verdict.{v}" for v in ("equivalent", "not_equivalent", "unparsable", "timeout", "unanswered", "error")}
    assert len(used) > 60
    assert used - set(catalogue("en")) == set()


def test_unknown_language_falls_back_to_english():
    assert Translator("fr").lang == "en"
    assert 'lang="en"' in render_student_report(bob(), make_spec(), lang="fr")


# The issue's example: a zh report showed "未检查与前向计算的一致性：not checked: your backward
# returned a list of 2 values" (the reason was stored as English prose). The verdict now carries a
# coded reason, said in the report's language.
@pytest.mark.parametrize("lang, expected", [
    ("zh", "未检查与前向计算的一致性：你的反向传播返回了 含 2 个值的 list，而不是梯度字典"),
    ("en", "Consistency with your forward was not checked: your backward returned a list of 2 values, "
           "not a dict of gradients"),
])
def test_a_backward_returning_a_list_is_explained_in_the_report_language(lang, expected):
    from tests.checking.test_consistency import _plan_and_values

    case, plan, values = _plan_and_values()
    verdict = evaluate_consistency(plan, [np.zeros(2), np.zeros(2)], values)
    item = _cons("not_checked", None, False)
    item.consistency = json.loads(json.dumps(verdict))  # as the gradebook keeps it
    assert consistency_view(item, make_spec(), Translator(lang), None)["text"] == expected


def test_an_old_gradebooks_consistency_prose_still_renders():
    """Is a verdict stored by an older grader (English and Chinese texts) still shown?"""
    item = _cons("not_checked", None, False)
    item.consistency = {"verdict": "not_checked", "tensors": {},
                        "message": "not checked: your backward returned None",
                        "message_zh": "未检查：你的反向传播返回了 None"}
    assert consistency_view(item, make_spec(), Translator("zh"), None)["text"] == \
        "未检查与前向计算的一致性：未检查：你的反向传播返回了 None"
    assert consistency_view(item, make_spec(), Translator("en"), None)["text"] == \
        "Consistency with your forward was not checked: not checked: your backward returned None"
