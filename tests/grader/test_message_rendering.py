"""Results keep messages as keys and fields; what shows a result says them in its reader's language."""
from __future__ import annotations

import json

from grader.core.places import place
from grader.messages import localized, render
from grader.model import CaseResult, ItemResult, SubmissionResult
from msgcat import message


def _result(case_message, item_message, load_message) -> SubmissionResult:
    case = CaseResult(case_id="public-0", visibility="public", passed=False, status="timeout",
                      label="m=1", message=case_message)
    item = ItemResult(item="gru_forward", kind="code", max_score=4.0, status="timeout", message=item_message,
                      cases=[case])
    return SubmissionResult(student="ana", status="graded", assignment="nndl-ch6", version="1", lang="zh",
                            items=[item], load_errors=[{"where": "cell 4", "message": load_message}])


CODED = _result(
    message("sandbox.timeout_running", t="2", fn="gru_forward"),
    message("item.failed_at", head=message("cases_passed", n=0, total=1), where="public-0 (m=1)",
            first=message("sandbox.timeout_running", t="2", fn="gru_forward")),
    message("sandbox.killed", signal="SIGKILL", during=message("sandbox.during_loading", unit=place(cell=4))))


def test_a_stored_result_keeps_keys_and_fields_through_json():
    """Does the gradebook's JSON hold the message's key and fields, and read them back the same?"""
    stored = json.loads(json.dumps(CODED.to_dict()))
    assert stored["items"][0]["cases"][0]["message"] == {
        "key": "sandbox.timeout_running", "fields": {"t": "2", "fn": "gru_forward"}}
    assert SubmissionResult.from_dict(stored).to_dict() == CODED.to_dict()


def test_the_reader_sees_the_result_in_their_language():
    zh, en = localized(CODED, "zh"), localized(CODED, "en")
    assert zh.items[0].cases[0].message == "运行 gru_forward 时超时（2 秒）"
    assert zh.items[0].message == "0/1 个用例通过；public-0 (m=1)：运行 gru_forward 时超时（2 秒）"
    assert zh.load_errors[0]["message"] == "加载第 4 个单元格时进程被信号 SIGKILL 终止"
    assert (zh.load_errors[0]["where"], en.load_errors[0]["where"]) == ("第 4 个单元格", "cell 4")
    assert en.items[0].message == "0/1 cases passed; public-0 (m=1): timed out after 2 s while running gru_forward"
    assert en.load_errors[0]["message"] == "process was killed by SIGKILL while loading cell 4"
    # the stored result is not touched
    assert CODED.items[0].cases[0].message == message("sandbox.timeout_running", t="2", fn="gru_forward")


def test_an_older_gradebooks_prose_is_shown_as_it_was():
    old = _result("timed out after 2 s while running gru_forward", "0/1 cases passed; public-0 (m=1): timed out",
                  "process was killed by SIGKILL while loading cell 4")
    shown = localized(old, "zh")
    assert shown.items[0].cases[0].message == "timed out after 2 s while running gru_forward"
    assert shown.items[0].message == "0/1 cases passed; public-0 (m=1): timed out"
    assert render(old.load_errors[0]["message"], "zh") == "process was killed by SIGKILL while loading cell 4"
