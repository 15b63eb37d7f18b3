"""The sandbox speaks English; the grader translates the messages it knows for zh reports."""
import pytest

from grader.messages import localize_sandbox


@pytest.mark.parametrize("english, chinese", [
    ("timed out after 1 s while running gru_forward", "运行 gru_forward 时超时（1 秒）"),
    ("stopped: gru_backward calls gru_forward, which timed out on an earlier case",
     "已停止：gru_backward 调用了 gru_forward，而它在之前的用例中超时"),
    ("not run: gru_forward timed out on an earlier case; its remaining cases were skipped",
     "未运行：gru_forward 在之前的用例中超时，其余用例已跳过"),
    ("ZeroDivisionError in g: division by zero (line 3)", "ZeroDivisionError in g: division by zero (line 3)"),
])
def test_known_sandbox_messages_are_translated(english, chinese):
    assert localize_sandbox(english, "zh") == chinese
    assert localize_sandbox(english, "en") == english
