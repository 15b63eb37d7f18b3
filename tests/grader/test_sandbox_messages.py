"""The sandbox speaks English; the grader translates the messages it knows for zh reports."""
import pytest

from grader.messages import localize_sandbox


@pytest.mark.parametrize("english, chinese", [
    ("timed out after 1 s while running gru_forward", "运行 gru_forward 时超时（1 秒）"),
    ("stopped: gru_backward calls gru_forward, which timed out on an earlier case",
     "已停止：gru_backward 调用了 gru_forward，而它在之前的用例中超时"),
    ("not run: gru_forward timed out on an earlier case; its remaining cases were skipped",
     "未运行：gru_forward 在之前的用例中超时，其余用例已跳过"),
    ("not run: gru_forward ended the process on an earlier case; its remaining cases were skipped",
     "未运行：gru_forward 在之前的用例中使进程终止，其余用例已跳过"),
    ("stopped: gru_backward calls gru_forward, which ended the process on an earlier case",
     "已停止：gru_backward 调用了 gru_forward，而它在之前的用例中使进程终止"),
    ("not run: f used up the process's memory on an earlier case; its remaining cases were skipped",
     "未运行：f 在之前的用例中耗尽了进程的内存，其余用例已跳过"),
    ("stopped: g calls f, which used up the process's memory on an earlier case",
     "已停止：g 调用了 f，而它在之前的用例中耗尽了进程的内存"),
    ("process was killed by SIGKILL while loading cell 4", "加载 cell 4 时进程被信号 SIGKILL 终止"),
    ("process exceeded its CPU time limit (SIGXCPU) while running f", "运行 f 时进程超出 CPU 时间限制（SIGXCPU）"),
    ("the sandbox's reports were corrupted while running f (call report out of order)",
     "运行 f 时沙箱的报告被破坏（call report out of order）"),
    ("not run: the submission's process was restarted 3 times, the limit; fine was not called",
     "未运行：提交的进程已重启 3 次，达到上限；fine 未被调用"),
    ("not run: the submission's process was restarted 3 times, the limit",
     "未运行：提交的进程已重启 3 次，达到上限"),
    ("not run: the submission's process stopped; fine was not called", "未运行：提交的进程已停止；fine 未被调用"),
    ("not run: loading was stopped after too many timeouts", "未运行：超时次数过多，已停止加载"),
    ("ZeroDivisionError in g: division by zero (line 3)", "ZeroDivisionError in g: division by zero (line 3)"),
])
def test_known_sandbox_messages_are_translated(english, chinese):
    assert localize_sandbox(english, "zh") == chinese
    assert localize_sandbox(english, "en") == english
