"""The sandbox reports codes and fields; the grader's catalogue says them in the reader's language.

Each row: the coded message the sandbox sends, its English text, its Chinese text (verbatim).
"""
import pytest

from grader.core.places import place
from grader.messages import outcome_text, render
from grader.sandbox.jobs import CallOutcome, UnitOutcome
from msgcat import message as m

RUN_F = m("sandbox.during_running", fn="f")
TIMED_OUT, CRASHED, MEMORY = (m(f"sandbox.reason.{r}") for r in ("timeout", "crashed", "memory"))
RESTARTS = m("sandbox.restart_limit", n=3)
STOPPED = m("sandbox.process_stopped")


@pytest.mark.parametrize("coded, english, chinese", [
    (m("sandbox.timeout_running", t="1", fn="gru_forward"),
     "timed out after 1 s while running gru_forward", "运行 gru_forward 时超时（1 秒）"),
    (m("sandbox.timeout_loading", t="2", unit=place(cell=4)), "timed out after 2 s while loading cell 4",
     "加载第 4 个单元格时超时（2 秒）"),
    (m("sandbox.callee_stopped", fn="gru_backward", callee="gru_forward", reason=TIMED_OUT),
     "stopped: gru_backward calls gru_forward, which timed out on an earlier case",
     "已停止：gru_backward 调用了 gru_forward，而它在之前的用例中超时"),
    (m("sandbox.skipped", fn="gru_forward", reason=TIMED_OUT),
     "not run: gru_forward timed out on an earlier case; its remaining cases were skipped",
     "未运行：gru_forward 在之前的用例中超时，其余用例已跳过"),
    (m("sandbox.skipped", fn="gru_forward", reason=CRASHED),
     "not run: gru_forward ended the process on an earlier case; its remaining cases were skipped",
     "未运行：gru_forward 在之前的用例中使进程终止，其余用例已跳过"),
    (m("sandbox.callee_stopped", fn="gru_backward", callee="gru_forward", reason=CRASHED),
     "stopped: gru_backward calls gru_forward, which ended the process on an earlier case",
     "已停止：gru_backward 调用了 gru_forward，而它在之前的用例中使进程终止"),
    (m("sandbox.skipped", fn="f", reason=MEMORY),
     "not run: f used up the process's memory on an earlier case; its remaining cases were skipped",
     "未运行：f 在之前的用例中耗尽了进程的内存，其余用例已跳过"),
    (m("sandbox.callee_stopped", fn="g", callee="f", reason=MEMORY),
     "stopped: g calls f, which used up the process's memory on an earlier case",
     "已停止：g 调用了 f，而它在之前的用例中耗尽了进程的内存"),
    (m("sandbox.killed", signal="SIGKILL", during=m("sandbox.during_loading", unit=place(cell=4))),
     "process was killed by SIGKILL while loading cell 4", "加载第 4 个单元格时进程被信号 SIGKILL 终止"),
    (m("sandbox.exited", code="3", during=RUN_F), "process exited with code 3 while running f",
     "运行 f 时进程退出（退出码 3）"),
    (m("sandbox.cpu_limit", during=RUN_F), "process exceeded its CPU time limit (SIGXCPU) while running f",
     "运行 f 时进程超出 CPU 时间限制（SIGXCPU）"),
    (m("sandbox.reports_corrupted", during=RUN_F, why="call report out of order"),
     "the sandbox's reports were corrupted while running f (call report out of order)",
     "运行 f 时沙箱的报告被破坏（call report out of order）"),
    (m("sandbox.not_run_call", why=RESTARTS, fn="fine"),
     "not run: the submission's process was restarted 3 times, the limit; fine was not called",
     "未运行：提交的进程已重启 3 次，达到上限；fine 未被调用"),
    (m("sandbox.not_run", why=RESTARTS), "not run: the submission's process was restarted 3 times, the limit",
     "未运行：提交的进程已重启 3 次，达到上限"),
    (m("sandbox.not_run_call", why=STOPPED, fn="fine"),
     "not run: the submission's process stopped; fine was not called", "未运行：提交的进程已停止；fine 未被调用"),
    (m("sandbox.too_many_timeouts"), "not run: loading was stopped after too many timeouts",
     "未运行：超时次数过多，已停止加载"),
    (m("sandbox.producer_short_seq", fn="lstm_forward", type="tuple", n=2, k=3),
     "lstm_forward returned a tuple of 2 values, so there is no output 3 to pass on",
     "lstm_forward 返回了含 2 个值的 tuple，因此没有第 3 个输出可传递"),
])
def test_coded_sandbox_messages_render_in_each_language(coded, english, chinese):
    assert render(coded, "en") == english
    assert render(coded, "zh") == chinese
    # the outcome keeps the English text for logs, and is shown in the reader's language
    outcome = CallOutcome("crashed", msg=coded)
    assert outcome.message == english
    assert outcome_text(outcome, "zh") == chinese


def test_python_exception_text_is_kept_as_raised():
    """Does the student's own exception text stay as Python wrote it, in every language?"""
    outcome = CallOutcome("exception", message="ZeroDivisionError in g: division by zero (line 3)")
    assert outcome_text(outcome, "zh") == "ZeroDivisionError in g: division by zero (line 3)"
    unit = UnitOutcome("cell 3", "error", "NameError: name 'x' is not defined")
    assert outcome_text(unit, "zh") == "NameError: name 'x' is not defined"


def test_prose_from_an_older_gradebook_still_renders():
    """Is a message stored as text by an older grader shown as it was?"""
    assert render("timed out after 1 s while running f", "zh") == "timed out after 1 s while running f"
    assert render(None, "zh") == ""
