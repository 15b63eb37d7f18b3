"""The sandbox reports codes and fields: is every key the child can send one the grader accepts from
it and can say in every language? A key the catalogue lacks would be refused as a malformed report."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from grader.messages import render
from grader.sandbox import cachewalk, child
from grader.sandbox.jobs import valid_child_message

SENT = re.compile(r'(?:_m|_NotFollowing)\(\s*"([a-z_.]+)"')


def _keys_in(module) -> set:
    return set(SENT.findall(Path(module.__file__).read_text(encoding="utf-8")))


def test_the_child_sends_only_keys_it_may_send():
    keys = _keys_in(child) | _keys_in(cachewalk)
    assert len(keys) > 20  # the scan found the child's messages
    refused = sorted(k for k in keys if not valid_child_message({"key": k, "fields": {}}))
    assert refused == []


@pytest.mark.parametrize("coded,ok", [
    ({"key": "sandbox.exception", "fields": {"type": "NameError", "fn": "f", "text": "x",
                                             "where": {"key": "sandbox.at", "fields": {
                                                 "place": {"key": "place.cell_line", "fields": {"cell": 2, "line": 1}}}}}},
     True),
    ({"key": "sandbox.not_defined", "fields": {"fn": "f"}}, True),
    ({"key": "sandbox.not_defined", "fields": {"fn": ["f"]}}, False),  # a list is no field of the child's
    ({"key": "sandbox.nothing_like_this", "fields": {}}, False),
    ({"key": "item.all_passed", "fields": {"head": "5/5"}}, False),  # the grader's own verdict text
    ({"key": "sandbox.not_defined"}, False),
    ("sandbox.not_defined", False),
])
def test_what_a_child_message_may_be(coded, ok):
    assert valid_child_message(coded) is ok


def test_an_exception_is_said_in_the_readers_language():
    where = {"key": "sandbox.at", "fields": {"place": {"key": "place.cell_line", "fields": {"cell": 9, "line": 3}}}}
    coded = {"key": "sandbox.exception", "fields": {"type": "NotImplementedError", "fn": "gru_backward",
                                                    "text": "gru_backward is not implemented yet", "where": where}}
    assert render(coded, "en") == ("NotImplementedError in gru_backward: gru_backward is not implemented yet "
                                   "(cell 9, line 3)")
    assert render(coded, "zh") == ("gru_backward 中出现 NotImplementedError：gru_backward is not implemented yet"
                                   "（第 9 个单元格第 3 行）")
    bare = {"key": "sandbox.exception_bare", "fields": {"type": "KeyboardInterrupt", "fn": "f", "where": ""}}
    assert (render(bare, "en"), render(bare, "zh")) == ("KeyboardInterrupt in f", "f 中出现 KeyboardInterrupt")
