"""A function whose cell failed to load is an error of the submission that says where and why, not
"not implemented yet"; a stub, or a function absent with no failed cell, stays unanswered.

Through the real sandbox: one notebook with a cell per case (tests/grader/failed_load_notebooks_support.py),
graded in both languages; a .py file; and the whole batch (grade.json, results.json, report.html)
and ``rnngrade check`` for a notebook whose lstm_cell_forward cell has a syntax error.
"""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from markupsafe import escape

from grader.pipeline.batch import grade_batch
from grader.pipeline.context import GradeOptions, answer_key_paths, open_context, start_pool
from grader.cli import main
from grader.messages import render
from grader.pipeline.workers import grade_entry_safely
from tests.grader.failed_load_notebooks_support import (SOLUTION, one_of_each_cells, solution_functions,
                                                syntax_error_notebook, write_notebook)

TORCH = ("ModuleNotFoundError: module torch is not available to submissions (available: numpy, "
         "math and most of the standard library)")
EXIT_3_ZH = render({"key": "sandbox.exited", "fields": {"code": "3", "during": {"key": "sandbox.during_loading", "fields": {"unit": {"key": "place.cell", "fields": {"cell": 7}}}}}}, "zh")

# item, status, points, message (en), message (zh)
CASES = [
    ("lstm_cell_forward", "error", 0.0,
     "lstm_cell_forward was not loaded: cell 10, line 4 has a syntax error (SyntaxError: '(' was "
     "never closed), so none of that code ran and the lstm_cell_forward written there was never "
     "defined. Fix the syntax error and run all of your code again from the top before you submit.",
     "lstm_cell_forward 未能加载：第 10 个单元格第 4 行有语法错误（SyntaxError: '(' was never closed），"
     "这段代码完全没有运行，其中的 lstm_cell_forward 因此从未被定义。请修正该语法错误，并在提交前从头重新"
     "运行全部代码。"),
    ("gru_cell_forward", "error", 0.0,
     "gru_cell_forward was not loaded: cell 6, line 1 raised an error before reaching "
     "gru_cell_forward (NameError: name 'parameters' is not defined), so the gru_cell_forward "
     "written there was never defined. Fix that error (or move the code that raises it below the "
     "function) and run all of your code again from the top before you submit.",
     "gru_cell_forward 未能加载：第 6 个单元格第 1 行在执行到 gru_cell_forward 之前出错（NameError: name "
     "'parameters' is not defined），其中的 gru_cell_forward 因此从未被定义。请修正该错误（或把出错的代码"
     "移到函数定义之后），并在提交前从头重新运行全部代码。"),
    ("residual_rnn_forward", "error", 0.0,
     f"residual_rnn_forward was not loaded: an import in cell 2, line 1 failed ({TORCH}), so the "
     "code after it did not run and the residual_rnn_forward written there was never defined. "
     "Remove or correct that import and run all of your code again from the top before you submit.",
     f"residual_rnn_forward 未能加载：第 2 个单元格第 1 行中的导入失败（{TORCH}），其后的代码没有运行，其中的 "
     "residual_rnn_forward 因此从未被定义。请删除或改正该导入，并在提交前从头重新运行全部代码。"),
    ("clip_by_global_norm", "error", 0.0,
     "clip_by_global_norm was not loaded: cell 5 did not finish (timed out after 2 s while loading "
     "cell 5), so the clip_by_global_norm written there was never defined. Remove the endless loop "
     "or long computation from that code and run all of your code again from the top before you "
     "submit.",
     "clip_by_global_norm 未能加载：第 5 个单元格没有运行完（加载第 5 个单元格时超时（2 秒）），其中的 "
     "clip_by_global_norm 因此从未被定义。请删除其中的死循环或耗时的计算，并在提交前从头重新运行全部代码。"),
    ("gru_cell_backward", "error", 0.0,
     "gru_cell_backward was not loaded: the process ended while cell 7 was running (process exited "
     "with code 3 while loading cell 7), so the gru_cell_backward written there was never defined. "
     "Remove what ends the process there (such as exit(), os._exit() or very large arrays) and run "
     "all of your code again from the top before you submit.",
     # (the sandbox reports a code and fields: its text is said in the reader's language)
     f"gru_cell_backward 未能加载：运行第 7 个单元格时进程终止（{EXIT_3_ZH}），其中的 gru_cell_backward 因此"
     "从未被定义。请删除其中使进程终止的代码（例如 exit()、os._exit() 或过大的数组），并在提交前从头重新"
     "运行全部代码。"),
    # the stub of cell 8 answers, but the student's own version (cell 14) never parsed
    ("gru_forward", "error", 0.0,
     "gru_forward was not loaded: cell 14, line 2 has a syntax error (SyntaxError: '(' was never "
     "closed), so none of that code ran and the gru_forward written there was never defined. Fix "
     "the syntax error and run all of your code again from the top before you submit.",
     "gru_forward 未能加载：第 14 个单元格第 2 行有语法错误（SyntaxError: '(' was never closed），这段代码"
     "完全没有运行，其中的 gru_forward 因此从未被定义。请修正该语法错误，并在提交前从头重新运行全部代码。"),
    # the untouched stub
    ("gru_backward", "unanswered", 0.0,
     "gru_backward is not implemented yet (NotImplementedError in gru_backward: gru_backward is not "
     "implemented yet (cell 9, line 3)).",
     "gru_backward 尚未实现（gru_backward 中出现 NotImplementedError：gru_backward is not implemented yet"
     "（第 9 个单元格第 3 行））。"),
    # the stub, with the template's test line after it raising the stub's error while loading
    ("residual_rnn_backward", "unanswered", 0.0,
     "residual_rnn_backward is not implemented yet (NotImplementedError in residual_rnn_backward: "
     "residual_rnn_backward is not implemented yet (cell 3, line 3)).",
     "residual_rnn_backward 尚未实现（residual_rnn_backward 中出现 NotImplementedError："
     "residual_rnn_backward is not implemented yet（第 3 个单元格第 3 行））。"),
    # absent, and no failed cell would have defined it
    ("lstm_forward", "unanswered", 0.0,
     "lstm_forward is not implemented yet (lstm_forward is not defined).",
     "lstm_forward 尚未实现（lstm_forward 未定义）。"),
    # defined, then the cell's test line raised: the function is graded
    ("lstm_cell_backward", "passed", 10.0, "2/2 cases passed.", "2/2 个用例通过。"),
    # did not parse in cell 4, loaded fine in cell 15: graded
    ("residual_rnn_step_jacobian", "passed", 4.0, "2/2 cases passed.", "2/2 个用例通过。"),
    # calls lstm_forward, which is absent: its own error, not a load failure
    ("lstm_backward", "error", 0.0,
     "0/2 cases passed; public-0 (T=7, m=10): NameError in lstm_backward: name 'lstm_forward' is "
     "not defined (cell 13, line 3)",
     "0/2 个用例通过；public-0（T=7, m=10）：lstm_backward 中出现 NameError：name 'lstm_forward' is not "
     "defined（第 13 个单元格第 3 行）"),
]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The one-of-each notebook and a broken .py file, graded on the public cases in en and zh."""
    folder = tmp_path_factory.mktemp("subs")
    notebook = write_notebook(folder / "eve.ipynb", one_of_each_cells())
    lines = SOLUTION.read_text(encoding="utf-8").split("\n")
    def_line = lines.index("def lstm_cell_forward(xt, h_prev, c_prev, parameters):")
    lines[def_line] = lines[def_line].rstrip(":")
    pyfile = folder / "dan.py"
    pyfile.write_text("\n".join(lines), encoding="utf-8")
    # the error is raised in cell 2's helper, called from line 1 of the cell defining the function
    helper = write_notebook(folder / "fay.ipynb", [
        one_of_each_cells()[0], "def scale(x):\n    return x * undefined_factor",
        "y = scale(2)\n\n\n" + solution_functions()["lstm_cell_forward"]])
    pool = start_pool(1, [*answer_key_paths(), folder])
    out = {"def_line": def_line + 1}
    try:
        for lang in ("en", "zh"):
            opts = GradeOptions(progress=False, public_only=True, lang=lang, load_timeout=2.0)
            ctx = open_context("nndl-ch6", None, pool, opts)
            try:
                out[lang] = grade_entry_safely(ctx, "eve", notebook, [], folder)
                out[f"py-{lang}"] = grade_entry_safely(ctx, "dan", pyfile, [], folder)
                out[f"helper-{lang}"] = grade_entry_safely(ctx, "fay", helper, [], folder)
            finally:
                ctx.symbolic.close()
    finally:
        pool.close()
    return out


@pytest.mark.parametrize("item, status, points, en, zh", CASES, ids=[c[0] for c in CASES])
def test_each_way_a_definition_can_fail(graded, item, status, points, en, zh):
    for lang, message in (("en", en), ("zh", zh)):
        result = graded[lang]
        assert result.status == "graded"
        it = result.item(item)
        assert (it.status, it.score, render(it.message, lang)) == (status, points, message)
        assert bool(it.load_failure) == (status == "error" and item != "lstm_backward")
        if it.load_failure:
            assert it.diagnoses == []
            assert [c.status for c in it.cases] == ["error", "error"]


def test_python_file_with_a_syntax_error_in_the_definition(graded):
    n = graded["def_line"]
    en, zh = graded["py-en"].item("lstm_cell_forward"), graded["py-zh"].item("lstm_cell_forward")
    assert (en.status, en.score) == (zh.status, zh.score) == ("error", 0.0)
    assert render(en.message, "en") == (
        f"lstm_cell_forward was not loaded: line {n} has a syntax error (SyntaxError: expected ':'), "
        "so none of that code ran and the lstm_cell_forward written there was never defined. Fix "
        "the syntax error and run all of your code again from the top before you submit.")
    assert render(zh.message, "zh") == (
        f"lstm_cell_forward 未能加载：第 {n} 行有语法错误（SyntaxError: expected ':'），这段代码完全没有"
        "运行，其中的 lstm_cell_forward 因此从未被定义。请修正该语法错误，并在提交前从头重新运行全部代码。")
    # the rest of the file loaded: the other functions are graded
    assert graded["py-en"].item("lstm_cell_backward").status == "passed"
    assert graded["py-en"].item("gru_forward").status == "passed"


def test_line_of_an_error_raised_in_another_cells_function(graded):
    """The line named is the line of the cell that failed (the call), not a line of the cell where
    the called function lives, which would be paired with the wrong cell."""
    it = graded["helper-en"].item("lstm_cell_forward")
    assert (it.status, render(it.message, "en")) == ("error", (
        "lstm_cell_forward was not loaded: cell 3, line 1 raised an error before reaching "
        "lstm_cell_forward (NameError: name 'undefined_factor' is not defined), so the "
        "lstm_cell_forward written there was never defined. Fix that error (or move the code that "
        "raises it below the function) and run all of your code again from the top before you "
        "submit."))
    assert graded["helper-en"].load_errors[0]["where"] == "cell 3, line 1"


MESSAGE = {
    "en": CASES[0][3],
    "zh": CASES[0][4],
}


@pytest.mark.needs_layer()
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_batch_writes_the_reason_everywhere(tmp_path, lang):
    subs = tmp_path / "subs"
    subs.mkdir()
    syntax_error_notebook(subs / "alice.ipynb")
    out = tmp_path / "out"
    grade_batch(subs, "nndl-ch6", out, options=GradeOptions(workers=1, progress=False, lang=lang))
    student = out / "students" / "alice"
    message = MESSAGE[lang]

    grade = json.loads((student / "grade.json").read_text(encoding="utf-8"))
    entry = grade["items"]["lstm_cell_forward"]
    assert (entry["status"], entry["score"], entry["max_score"], entry["message"]) == (
        "error", 0.0, 6.0, message)
    assert entry["cases_passed"] == 0 and entry["cases"] == 5
    # every other function of the notebook is the solution's and passes, except the two that
    # call lstm_cell_forward
    code = {k: v["status"] for k, v in grade["items"].items() if v["kind"] == "code"}
    assert sorted(k for k, s in code.items() if s != "passed") == [
        "lstm_backward", "lstm_cell_forward", "lstm_forward"]

    results = json.loads((student / "results.json").read_text(encoding="utf-8"))
    test = next(t for t in results["tests"] if t["name"].startswith("lstm_cell_forward"))
    assert (test["score"], test["max_score"], test["status"]) == (0.0, 6.0, "failed")
    assert test["output"].split("\n")[1] == message

    report = (student / "report.html").read_text(encoding="utf-8")
    assert f"<p>{escape(message)}</p>" in report
    # the cases are not listed one by one: each would only say "not defined"
    assert "lstm_cell_forward is not defined" not in report
    assert "lstm_cell_forward 未定义" not in report
    # the class summary's list of errors gives the same reason
    assert str(escape(message)) in (out / "summary.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("lang, lines", [
    ("en", ["ERR  cell 10, line 4: SyntaxError: '(' was never closed",
            "ERR  lstm_cell_forward: 0/2 public case(s) passed",
            f"       {CASES[0][3]}",
            "PASS lstm_cell_backward: 2/2 public case(s) passed"]),
    ("zh", ["ERR  第 10 个单元格第 4 行：SyntaxError: '(' was never closed",
            "ERR  lstm_cell_forward：0/2 个公开用例通过",
            f"       {CASES[0][4]}",
            "PASS lstm_cell_backward：2/2 个公开用例通过"]),
])
def test_check_says_why(tmp_path, lang, lines):
    path = syntax_error_notebook(tmp_path / "alice.ipynb")
    res = CliRunner().invoke(main, ["check", str(path), "--lang", lang])
    assert res.exit_code == 1, res.output
    assert res.output.split("\n")[1:5] == lines
