"""Does the SymbolicGrader grade out of process, cache, survive hangs and crashes, and say why?"""
import os
from concurrent.futures import ThreadPoolExecutor

import pytest

from grader.messages import render
from grader.symbolic.service import SymbolicGrader, import_reference
from solutions.derivation import to_mathml
from solutions.symbolic import lstm_dc_prev

from .items_support import ITEMS

DC_PREV = "(dc + dh*o*(1 - tanh(c)**2))*f"
KEYS = {"verdict", "answer", "message", "counterexample", "student_value", "reference_value",
        "position", "student_mathml", "reference_mathml", "seconds"}


@pytest.fixture(scope="module")
def grader():
    with SymbolicGrader(timeout=20.0, test_hooks=True) as g:
        yield g


def test_equivalent_answer_dict(grader):
    d = grader.grade(ITEMS["answer_lstm_dc_prev"], DC_PREV, "en", import_reference)
    assert KEYS <= set(d)
    assert d["verdict"] == "equivalent"
    assert render(d["message"], "en") == "Correct: your answer equals the reference expression."
    assert d["answer"] == DC_PREV and d["position"] is None and d["counterexample"] is None
    assert d["reference_mathml"] == to_mathml(lstm_dc_prev())
    assert d["student_mathml"].startswith("<math") and "<mi>dc</mi>" in d["student_mathml"]


def test_wrong_answer_in_chinese_with_counterexample(grader):
    d = grader.grade(ITEMS["answer_lstm_dc_prev"], "dc*f", "zh", import_reference)
    assert d["verdict"] == "not_equivalent"
    assert set(d["counterexample"]) == set(ITEMS["answer_lstm_dc_prev"].symbols)
    assert render(d["message"], "zh").startswith("与参考答案不相等：在点（dh = ")
    assert d["student_value"] != pytest.approx(d["reference_value"])


@pytest.mark.parametrize("answer, position, message", [
    ("__import__('os').system('touch X')", 17,
     "Your answer could not be read. Column 17: attribute access ('.') is not allowed in an "
     "answer; write a formula with numbers, the item's symbols, + - * / ** and the functions "
     "exp, log, sqrt, tanh, sigmoid, sinh, cosh. Expected here: an operator (+ - * / **) or ')'. "
     "Fix the expression and check it again."),
    ("f" * 10**6, 2001,
     "Your answer could not be read. Column 2001: the answer has 1000000 characters; at most "
     "2000 are allowed. Write a shorter expression (the item's abbreviations help). Expected "
     "here: the end of the answer. Fix the expression and check it again."),
    ("dc*f^2", 5,
     "Your answer could not be read. Column 5: '^' is not a power in Python: use ** for powers, "
     "e.g. x**2. Expected here: '**'. Fix the expression and check it again."),
], ids=["import trick", "1 MB", "caret"])
def test_unparsable_answers(grader, answer, position, message, tmp_path):
    d = grader.grade(ITEMS["answer_lstm_dc_prev"], answer, "en", import_reference)
    assert (d["verdict"], d["position"], render(d["message"], "en")) == ("unparsable", position, message)
    assert d["student_mathml"] is None


def test_empty_answer_is_unanswered_without_the_worker(grader):
    before = grader.worker_requests
    d = grader.grade(ITEMS["answer_residual_dh"], "", "en", import_reference)
    assert d["verdict"] == "unanswered" and grader.worker_requests == before


def test_identical_answers_reach_the_worker_once(grader):
    item = ITEMS["answer_residual_dh"]
    before = grader.worker_requests
    first = grader.grade(item, "1 + u*(1 - tanh(u*h + w*x + b)**2)", "en", import_reference)
    again = grader.grade(item, "1+u*(1-tanh(u*h+w*x+b)**2)", "zh", import_reference)
    assert grader.worker_requests == before + 1
    assert (first["verdict"], again["verdict"]) == ("equivalent", "equivalent")
    assert (first["cached"], again["cached"]) == (False, True)
    assert again["answer"] == "1+u*(1-tanh(u*h+w*x+b)**2)"
    assert render(again["message"], "zh") == "正确：你的答案与参考表达式相等。"


def test_threads_asking_the_same_answer_cost_one_check(grader):
    item = ITEMS["answer_lstm_dforget"]
    answer = "(dc + dh*o*(1 - tanh(c)**2))*c_prev*f*(1 - f)"
    before = grader.worker_requests
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: grader.grade(item, answer, "en", import_reference),
                                range(16)))
    assert {r["verdict"] for r in results} == {"equivalent"}
    assert grader.worker_requests == before + 1


def test_threads_with_different_answers_all_get_their_verdicts(grader):
    item = ITEMS["answer_gru_dh_prev"]
    good = "z + (1-z)*(1-n**2)*uh*(r + h*r*(1-r)*ur) + (h-n)*z*(1-z)*uz"
    answers = [good + f" + {k}*0" if k % 2 == 0 else good + f" + {k}" for k in range(1, 7)]
    with ThreadPoolExecutor(4) as pool:
        verdicts = list(pool.map(lambda a: grader.grade(item, a, "en", import_reference)["verdict"],
                                 answers))
    assert verdicts == ["not_equivalent", "equivalent"] * 3


def test_hanging_worker_is_killed_and_replaced():
    item = ITEMS["answer_residual_dh"]
    with SymbolicGrader(timeout=0.5, test_hooks=True) as g:
        g.test_sleep = 30
        d = g.grade(item, "u", "en", import_reference)
        assert d["verdict"] == "timeout"
        assert render(d["message"], "en") == ("Checking your answer took longer than 0.5 s and was stopped. "
                                "Simplify the expression (for example use the abbreviations) and "
                                "submit it again.")
        g.test_sleep = 0
        g.timeout = 20
        assert g.grade(item, "u + 1", "en", import_reference)["verdict"] == "not_equivalent"
        assert g.worker_starts == 2


def test_crashing_worker_is_an_error_and_replaced():
    item = ITEMS["answer_residual_dh"]
    with SymbolicGrader(timeout=20, test_hooks=True) as g:
        g.test_exit = 3
        d = g.grade(item, "u", "en", import_reference)
        assert d["verdict"] == "error"
        assert render(d["message"], "en") == (
            "The checker failed on this answer (the checking process stopped (exit code 3)); it "
            "is not your fault. Tell the course staff; your answer will be checked by hand.")
        assert render(d["message"], "zh") == "检查程序处理此答案时出错（检查进程已停止（退出码 3）），这不是你的问题。请告知助教，你的答案将由人工检查。"
        g.test_exit = None
        assert g.grade(item, "u + 2", "en", import_reference)["verdict"] == "not_equivalent"
        assert g.worker_starts == 2


def test_resolve_is_used_for_the_reference(grader):
    calls = []

    def resolve(ref):
        calls.append(ref)
        return lambda: import_reference("solutions.symbolic:residual_dh")()

    item = ITEMS["answer_residual_dh"]
    custom = type(item)(**{**item.__dict__, "reference": "course_refs:residual"})
    d = grader.grade(custom, "1 + u*(1 - tanh(u*h + w*x + b)**2)", "en", resolve)
    assert d["verdict"] == "equivalent" and calls == ["course_refs:residual"]


def test_worker_is_a_separate_process_with_limits(grader):
    grader.grade(ITEMS["answer_residual_dh"], "u*2", "en", import_reference)
    pid = grader._worker.proc.pid
    assert pid != os.getpid()
    limits = open(f"/proc/{pid}/limits").read()
    line = next(row for row in limits.splitlines() if row.startswith("Max address space"))
    assert str(1 << 30) in line


def test_a_verdict_graded_in_english_is_shown_in_chinese(grader):
    """The stored verdict is a message, not English prose: a result graded in en, read by a zh reader
    (report, results.json, the check's lines), says the symbolic checker's sentence in Chinese,
    nested parts (column, problem, what was expected) included, also after the gradebook's JSON."""
    import json

    from grader.messages import localized
    from grader.model import ItemResult, SubmissionResult

    d = grader.grade(ITEMS["answer_lstm_dc_prev"], "dc*f^2", "en", import_reference)
    item = ItemResult(item="answer_lstm_dc_prev", kind="symbolic", max_score=2.0, status="failed",
                      message=d["message"], symbolic=d)
    graded = SubmissionResult(student="ana", status="graded", assignment="nndl-ch6", version="1", lang="en",
                              items=[item])
    stored = SubmissionResult.from_dict(json.loads(json.dumps(graded.to_dict())))
    zh = localized(stored, "zh").items[0]
    said = ("无法读取你的答案。第 5 列：在 Python 中“^”不是乘方：乘方请用 **，例如 x**2。此处应为：“**”。"
            "请修改表达式后重新检查。")
    assert (zh.message, zh.symbolic["message"], zh.symbolic["expected"]) == (said, said, "“**”")
    en = localized(stored, "en").items[0]
    assert en.message == ("Your answer could not be read. Column 5: '^' is not a power in Python: use ** for "
                          "powers, e.g. x**2. Expected here: '**'. Fix the expression and check it again.")
    assert stored.items[0].message["key"] == "symbolic.verdict.unparsable"  # the stored result keeps the key


def test_an_older_gradebooks_verdict_prose_is_shown_as_it_was():
    from grader.messages import localized
    from grader.model import ItemResult, SubmissionResult

    prose = "Correct: your answer equals the reference expression."
    item = ItemResult(item="answer_lstm_dc_prev", kind="symbolic", max_score=2.0, status="passed",
                      message=prose, symbolic={"verdict": "equivalent", "message": prose})
    old = SubmissionResult(student="ana", status="graded", assignment="nndl-ch6", version="1", lang="en",
                           items=[item])
    shown = localized(old, "zh").items[0]
    assert (shown.message, shown.symbolic["message"]) == (prose, prose)


def test_a_missing_answer_starts_with_a_capital_and_reads_in_chinese():
    from grader.symbolic.equivalence import verdict_of
    from grader.symbolic.parse import ParseError

    result = {"verdict": "unparsable", "parse_error": ParseError("empty", None, "formula").to_dict()}
    assert render(verdict_of(result), "en") == ("Your answer could not be read. The answer is empty. Expected "
                                                "here: a formula. Fix the expression and check it again.")
    assert render(verdict_of(result), "zh") == "无法读取你的答案。答案为空。此处应为：公式。请修改表达式后重新检查。"


def test_an_answer_text_seen_before_is_not_parsed_again_and_gets_the_same_verdict(grader, monkeypatch):
    from grader.symbolic import parse

    item = ITEMS["answer_lstm_dc_prev"]
    answers = ["(dc + dh*o*(1 - tanh(c)**2))*f*1", "dc*f +", "(dc + dh*o*(1 - tanh(c)**2))*f*1"]
    first = [grader.grade(item, a, "en", import_reference) for a in answers]
    parsed = []
    real = parse.normalised_or_raise
    monkeypatch.setattr(parse, "normalised_or_raise", lambda text: parsed.append(text) or real(text))
    again = [grader.grade(item, a, "en", import_reference) for a in answers]
    assert parsed == []  # both texts were remembered, the one that does not parse too
    drop = {"seconds", "cached"}
    assert [{k: v for k, v in d.items() if k not in drop} for d in again] == \
        [{k: v for k, v in d.items() if k not in drop} for d in first]
    assert [d["verdict"] for d in again] == ["equivalent", "unparsable", "equivalent"]
    assert render(again[1]["message"], "en") == render(first[1]["message"], "en")
    assert again[1]["position"] == first[1]["position"] == 7
    assert grader.grade(item, "dc*f+f", "en", import_reference) and parsed == ["dc*f+f"]
