"""How failing cases read: is a repeated error said once, is an unstarted item one sentence, is a
timeout explained, is a load error's place said once and in the report's language? Does the class
summary list only what a TA must look at, and does `rnngrade check` name a mistake in words?"""
from __future__ import annotations

import pytest

from grader.model import CaseResult, ItemResult, SubmissionResult
from grader.reports.i18n import Translator
from grader.reports.student import isolation_text, where_text
from grader.reports.summary import summary_context
from grader.reports.text import item_feedback_text
from grader.outputs.textreport import check_lines
from tests.reports.sample_results_support import all_results, make_spec

pytestmark = pytest.mark.usefixtures("fixed_mistakes")
SKIPPED = "not run: lstm_cell_forward timed out on an earlier case; its remaining cases were skipped"


def _case(case_id, visibility, status, message, label):
    return CaseResult(case_id=case_id, visibility=visibility, passed=False, status=status, message=message,
                      label=label)


def timed_out_item() -> ItemResult:
    return ItemResult(item="lstm_cell_forward", kind="code", max_score=6, status="timeout",
                      message="0/3 cases passed; public-0 (m=1): timed out after 1 s", cases=[
                          _case("public-0", "public", "timeout", "timed out after 1 s", "m=1"),
                          _case("hidden-0", "hidden", "timeout", SKIPPED, "saturated gates"),
                          _case("hidden-1", "hidden", "timeout", SKIPPED, "m=1, n_h=1")])


def stub_item() -> ItemResult:
    stub = "NotImplementedError in lstm_cell_forward: Implement lstm_cell_forward (cell 5, line 7)"
    return ItemResult(item="lstm_cell_forward", kind="code", max_score=6, status="unanswered",
                      message=f"lstm_cell_forward is not implemented yet ({stub}).",
                      cases=[_case("public-0", "public", "error", stub, "m=1"),
                             _case("hidden-0", "hidden", "error", stub, "m=1")])


def test_a_repeated_timeout_is_said_once_with_what_to_do():
    assert item_feedback_text(timed_out_item(), make_spec(), lang="en") == (
        "Forward pass of one LSTM cell [lstm_cell_forward]: timed out, 0 / 6\n"
        "0 of 3 cases passed (public 0 of 1, hidden 0 of 2).\n"
        "Your function did not return within the time limit. Look for a loop that never ends (a while loop "
        "whose condition never changes) or for work that grows much faster than the sequence length T. "
        "A backward that calls a looping forward times out too.\n"
        "- Public case · m=1: timed out\n"
        "    timed out after 1 s\n"
        "- Hidden case · saturated gates: timed out\n"
        f"    {SKIPPED}\n"
        "  Same result in: Hidden case · m=1, n_h=1\n")


def test_a_case_label_is_translated():
    text = item_feedback_text(timed_out_item(), make_spec(), lang="zh")
    assert "- 隐藏用例 · 门控饱和：超时\n" in text


def test_an_item_not_started_is_one_sentence():
    assert item_feedback_text(stub_item(), make_spec(), lang="en") == (
        "Forward pass of one LSTM cell [lstm_cell_forward]: not answered, 0 / 6\n"
        "lstm_cell_forward is not implemented yet (NotImplementedError in lstm_cell_forward: "
        "Implement lstm_cell_forward (cell 5, line 7)).\n")


@pytest.mark.parametrize("lang,where,expected", [
    ("en", "line 264, line 264", "line 264"),
    ("en", "cell 4, line 2", "cell 4, line 2"),
    ("zh", "cell 4, line 2", "第 4 个单元格，第 2 行"),
    ("zh", "line 9", "第 9 行"),
])
def test_where_a_load_error_happened(lang, where, expected):
    assert where_text(where, Translator(lang)) == expected


@pytest.mark.parametrize("lang,summary,expected", [
    ("en", "full", "Your code ran in a separate, locked-down process (no network, no access to other files, "
                   "limited time and memory)."),
    ("en", "partial: seccomp", "Your code ran in a separate process; some isolation layers were not available "
                               "on the grading machine: seccomp."),
    ("zh", "full", "你的代码在一个独立且受限的进程中运行（无网络，不能访问其他文件，时间和内存受限）。"),
])
def test_isolation_is_a_sentence(lang, summary, expected):
    assert isolation_text(summary, Translator(lang)) == expected


def test_summary_lists_neither_stubs_nor_each_item_of_an_unloaded_file():
    results = all_results()
    results[0].items.append(stub_item())  # alice left one stub
    results[3].items = [ItemResult(item="lstm_cell_forward", kind="code", max_score=6, status="error",
                                   message="the submission could not be read")]  # dave did not load
    ctx = summary_context(results, make_spec(), lang="en")
    assert [(e["student"], e["item"]) for e in ctx["errors"]] == [("carol", "lstm_cell_backward")]
    assert [(s["student"], s["unanswered"], s["pending"]) for s in ctx["students"]] == [
        ("alice", 1, 0), ("bob", 0, 1), ("carol", 1, 0), ("dave", "", ""), ("erin", "", "")]


def test_check_names_the_mistake_and_its_hint(fixed_mistakes, monkeypatch):
    item = ItemResult(item="lstm_cell_forward", kind="code", max_score=6, status="failed", message="",
                      cases=[_case("public-0", "public", "failed", "c_next: values differ", "m=1")],
                      diagnoses=["gate_activation_swapped"])
    result = SubmissionResult(student="s", status="graded", assignment="nndl-ch6", version="v", items=[item],
                              path="s.py")
    import grader.outputs.textreport as textreport
    monkeypatch.setattr(textreport, "describe", fixed_mistakes)
    lines, ok = check_lines(result)
    assert not ok
    assert lines[1:5] == [
        "FAIL lstm_cell_forward: 0/1 public case(s) passed",
        "       public-0 (m=1): c_next: values differ",
        "       likely mistake: [en] A gate uses the wrong activation [gate_activation_swapped]",
        "         hint: Use sigmoid for every gate.",
    ]
