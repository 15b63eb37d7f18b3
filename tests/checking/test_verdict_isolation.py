"""Verdicts remembered by returned value (checks, mistake matches, probes, the names a function
reads) are remembered per case: a value seen on one student's case never decides another case,
whatever the two cases share (the expected value, the case id, the inputs), and a verdict made in
one language or at one tolerance is never served in another.

The oracle is the same evaluation with every cache emptied first.
"""
from __future__ import annotations

import copy
import dataclasses

import numpy as np
import pytest

from assignments.spec import load_spec
from grader.pipeline import evaluate
from grader.checking.checkcache import CheckCache
from grader.diagnosis import probe
from grader.diagnosis.diagnose import diagnose_case_detail, diagnose_probe, notebook_globals_read, probe_calls
from grader.diagnosis.variants import BUGGY_FUNCTIONS
from grader.pipeline.evaluate import evaluate_case, evaluate_code_item
from grader.pipeline.grading import _Diagnoser
from grader.loading.notebook import notebook_submission
from grader.messages import render
from grader.loading.notebook_read import read_notebook
from grader.pipeline.plan import CaseBook, call_id
from grader.sandbox import CallOutcome

SEED_ANNA, SEED_BEN = 1001, 2002


@pytest.fixture(scope="module")
def book():
    return CaseBook(load_spec("nndl-ch6"), call_timeout=1.0)


@pytest.fixture(scope="module")
def plans(book):
    return {seed: {p.item.id: p for p in book.plan(seed)} for seed in (SEED_ANNA, SEED_BEN)}


def _empty_caches(monkeypatch) -> None:
    for name in ("_CHECKS", "_DIAGNOSES", "_SHAPES"):
        monkeypatch.setattr(evaluate, name, CheckCache())
    monkeypatch.setattr(probe, "_PROBES", CheckCache())
    monkeypatch.setattr(probe, "_PROBE_VERDICTS", CheckCache())


def _cold(monkeypatch, plan, case, value) -> dict:
    with monkeypatch.context() as m:
        _empty_caches(m)
        return evaluate_case(plan, case, CallOutcome("ok", copy.deepcopy(value))).to_dict()


def _hidden(plan):
    return [c for c in plan.cases if c.visibility == "hidden"]


def _nudged(value):
    if isinstance(value, np.ndarray):
        return value + 0.5
    if isinstance(value, tuple):
        return tuple(_nudged(v) for v in value)
    if isinstance(value, dict):
        return {k: _nudged(v) for k, v in value.items()}
    return value + 0.5


# --- the case is part of the key -------------------------------------------------------------------

@pytest.mark.parametrize("item", ["lstm_cell_forward", "gru_backward", "clip_by_global_norm"])
def test_one_value_on_two_students_hidden_cases_is_checked_against_each_case(monkeypatch, plans, item):
    _empty_caches(monkeypatch)
    anna_plan, ben_plan = plans[SEED_ANNA][item], plans[SEED_BEN][item]
    anna_case, ben_case = _hidden(anna_plan)[0], _hidden(ben_plan)[0]
    assert anna_case.case_id == ben_case.case_id and anna_case is not ben_case
    value = ben_case.expected  # right on ben's case, wrong on anna's
    anna = evaluate_case(anna_plan, anna_case, CallOutcome("ok", copy.deepcopy(value)))
    ben = evaluate_case(ben_plan, ben_case, CallOutcome("ok", copy.deepcopy(value)))
    assert (anna.passed, ben.passed) == (False, True)
    assert ben.to_dict() == _cold(monkeypatch, ben_plan, ben_case, value)
    # and the other way round: ben's passing verdict is not anna's
    again = evaluate_case(anna_plan, anna_case, CallOutcome("ok", copy.deepcopy(value)))
    assert again.to_dict() == anna.to_dict() == _cold(monkeypatch, anna_plan, anna_case, value)


def test_a_value_checked_on_a_public_case_is_checked_again_on_a_hidden_copy(monkeypatch, plans):
    _empty_caches(monkeypatch)
    plan = plans[SEED_ANNA]["lstm_cell_forward"]
    public = plan.cases[0]
    hidden = dataclasses.replace(public, visibility="hidden")
    wrong = _nudged(public.expected)
    shown = evaluate_case(plan, public, CallOutcome("ok", wrong))
    assert not shown.passed and "max abs err" in render(shown.message, "en")
    secret = evaluate_case(plan, hidden, CallOutcome("ok", copy.deepcopy(wrong)))
    assert secret.to_dict() == _cold(monkeypatch, plan, hidden, wrong)
    # a hidden case quotes no value
    assert "expected" in render(shown.message, "en") and "expected" not in render(secret.message, "en")


def test_a_value_failed_at_one_tolerance_is_checked_again_at_another(monkeypatch, plans):
    _empty_caches(monkeypatch)
    plan = plans[SEED_ANNA]["gru_cell_forward"]
    strict = plan.cases[0]
    loose = dataclasses.replace(strict, rtol=1.0, atol=1.0)
    wrong = _nudged(strict.expected)
    assert not evaluate_case(plan, strict, CallOutcome("ok", wrong)).passed
    assert evaluate_case(plan, loose, CallOutcome("ok", copy.deepcopy(wrong))).passed


def test_a_remembered_verdict_is_a_message_each_reader_sees_in_their_language(monkeypatch, plans):
    # Verdicts are remembered without a language (they are messages): one check serves a class
    # graded in zh and a report read in en alike.
    _empty_caches(monkeypatch)
    plan = plans[SEED_ANNA]["lstm_cell_forward"]
    case = plan.cases[0]
    wrong = _nudged(case.expected)
    first = evaluate_case(plan, case, CallOutcome("ok", wrong))
    again = evaluate_case(plan, case, CallOutcome("ok", copy.deepcopy(wrong)))
    assert again.to_dict() == first.to_dict() == _cold(monkeypatch, plan, case, wrong)
    assert first.message["key"] == "compare.values"
    assert render(first.message, "zh").startswith("h_next：50 个元素中有 50 个数值不符；")
    assert render(first.message, "en").startswith("h_next: values differ at 50 of 50 elements;")


def test_each_case_object_belongs_to_one_item(plans):
    # The checks are remembered per case object and not per output spec: that is exact only while a
    # case is checked against the one item (output spec) it was built for.
    owner = {}
    for seed in plans:
        for item_id, plan in plans[seed].items():
            for case in plan.cases:
                assert owner.setdefault(id(case), item_id) == item_id
                assert case.item == item_id


# --- mistake matching and probes --------------------------------------------------------------------

def test_one_wrong_value_on_two_students_cases_is_diagnosed_against_each_case(monkeypatch, plans):
    _empty_caches(monkeypatch)
    item = "lstm_cell_forward"
    anna_plan, ben_plan = plans[SEED_ANNA][item], plans[SEED_BEN][item]
    anna_case, ben_case = _hidden(anna_plan)[0], _hidden(ben_plan)[0]
    buggy = BUGGY_FUNCTIONS[item]
    value = buggy(*copy.deepcopy(anna_case.args), bug={"no_tanh_on_c"})
    diagnoser = _Diagnoser()

    def diagnosed(plan, case):
        outcomes = {call_id(item, c.case_id): CallOutcome("ok", copy.deepcopy(value if c is case else c.expected))
                    for c in plan.cases}
        r = evaluate_code_item(plan, outcomes, diagnose=diagnoser, consistency=False)
        return next(c for c in r.cases if c.case_id == case.case_id)

    anna, ben = diagnosed(anna_plan, anna_case), diagnosed(ben_plan, ben_case)
    assert anna.diagnoses == ["no_tanh_on_c"]
    assert ben.diagnoses == list(diagnose_case_detail(item, ben_case, value).matched)
    assert ben.diagnoses != anna.diagnoses


def test_one_pair_of_probe_values_is_judged_again_on_a_case_with_another_tolerance(monkeypatch):
    from tests.diagnosis.cases_support import SHAPES, make_case

    import solutions

    _empty_caches(monkeypatch)
    item = "lstm_cell_forward"
    strict = make_case(item, SHAPES[0], seed=31)
    loose = dataclasses.replace(strict, rtol=10.0, atol=10.0)  # any two outputs "stay the same"
    (_, probe_args), = probe_calls(item, strict)
    returned = solutions.lstm_cell_forward(*copy.deepcopy(strict.args))
    probe_returned = solutions.lstm_cell_forward(*copy.deepcopy(probe_args))
    assert diagnose_probe(item, strict, returned, probe_returned) == []
    found = diagnose_probe(item, loose, returned, probe_returned)
    with monkeypatch.context() as m:
        _empty_caches(m)
        assert found == diagnose_probe(item, loose, returned, probe_returned) == ["uses_notebook_globals"]


# --- a template cell shared by two notebooks --------------------------------------------------------

FUNCTION_CELL = '''def residual_rnn_forward(x, h0, parameters):
    U, W, b = parameters["U"], parameters["W"], parameters["b"]
    h = np.zeros((h0.shape[0], x.shape[1], x.shape[2]))
    prev = h0
    for t in range(x.shape[2]):
        prev = prev + np.tanh(U @ prev + W @ x[:, :, t] + b) + 0 * extra
        h[:, :, t] = prev
    return h
'''


def _notebook(*cells: str):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    return notebook_submission(read_notebook(nbformat.writes(nb), "hw.ipynb"))


def test_a_function_cell_two_notebooks_share_is_read_against_each_notebooks_globals():
    anna = _notebook("import numpy as np\nextra = np.zeros((5, 1))", FUNCTION_CELL)
    ben = _notebook("import numpy as np\nextra = 3", FUNCTION_CELL)
    assert anna.units[1].tree is ben.units[1].tree  # the shared cell's tree is shared
    for _ in range(2):
        assert notebook_globals_read("residual_rnn_forward", anna.units) == ["extra"]
        assert notebook_globals_read("residual_rnn_forward", ben.units) == []


def test_a_check_graded_once_reads_in_chinese_after_the_gradebooks_json(monkeypatch, plans):
    """Issue 10: the staged checker's messages are stored as keys and fields; a result read in zh
    (report, results.json, the check's lines) says them in Chinese, outputs and item line included."""
    import json

    import msgcat
    from grader.messages import localized
    from grader.model import SubmissionResult

    _empty_caches(monkeypatch)
    plan = plans[SEED_ANNA]["lstm_cell_forward"]
    outcomes = {call_id(plan.item.id, c.case_id): CallOutcome("ok", _nudged(c.expected)) for c in plan.cases}
    item = evaluate_code_item(plan, outcomes, consistency=False)
    graded = SubmissionResult(student="ana", status="graded", assignment="nndl-ch6", version="1", lang="en",
                              items=[item])
    stored = SubmissionResult.from_dict(json.loads(json.dumps(graded.to_dict())))
    zh = localized(stored, "zh").items[0]
    public = zh.cases[0]
    assert zh.message == ("0/5 个用例通过；public-0（n_x=3, n_h=5, m=10）：h_next：50 个元素中有 50 个数值不符；"
                          "最差位于 [0, 5]：得到 0.501562，应为 0.00156199；最大绝对误差 5.0e-01，最大相对误差 "
                          "3.2e+02（rtol 1e-06，atol 1e-08）")
    assert public.message.startswith("h_next：50 个元素中有 50 个数值不符；最差位于 [0, 5]")
    assert [o.message.split("：")[0] for o in public.outputs if not o.passed] == ["h_next", "c_next", "yt_pred"]
    for text in [zh.message] + [c.message for c in zh.cases] + [o.message for c in zh.cases for o in c.outputs]:
        assert msgcat.english_runs(text) == [], text
    en = localized(stored, "en").items[0]
    assert en.cases[0].message.startswith("h_next: values differ at 50 of 50 elements; worst at [0, 5]")
    assert stored.items[0].cases[0].outputs[0].message["key"] == "compare.values"
