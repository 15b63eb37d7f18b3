"""Issue 10's promise, end to end: a class graded in zh (the demo: both assignments, correct work,
eight kinds of mistakes, a crash, an endless loop, an unreadable notebook) gets reports, a class
summary, results.json and grade.json in Chinese. Every run of three or more English words left in them must be
made of the assignments' own identifiers (output names such as `dWf, dbf, dWi`), which are code."""
from __future__ import annotations

import html
import json
import re

import pytest
from click.testing import CliRunner

import msgcat
from assignments.spec import load_spec
from grader.cli import main


def _identifiers() -> set:
    words = set()

    def walk(spec):
        if isinstance(spec, dict):
            for k, v in spec.items():
                if k in ("name", "keys") or isinstance(v, (dict, list)):
                    walk(v)
                if k == "keys" and isinstance(v, dict):
                    words.update(v)
        elif isinstance(spec, list):
            for v in spec:
                walk(v)
        elif isinstance(spec, str):
            words.add(spec)

    for name in ("nndl-ch6", "rnn-step-by-step"):
        for item in load_spec(name).items:
            words.add(item.id)
            walk(item.output_spec or {})
            words.update(item.params or [])
    return {w for ident in words for w in re.findall(r"[A-Za-z]+", str(ident))}


def _text_of(page: str) -> list:
    page = re.sub(r"<(script|style|pre|code|math)[^>]*>.*?</\1>", "", page, flags=re.S)
    return [html.unescape(line) for line in re.sub(r"<[^>]+>", "\n", page).split("\n")]


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


@pytest.fixture(scope="module")
def zh_demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("zh") / "demo"
    res = CliRunner().invoke(main, ["demo", "--out", str(out), "--lang", "zh"])
    assert res.exit_code == 0, res.output
    return out


@pytest.mark.needs_layer()
def test_a_zh_class_reads_in_chinese(zh_demo):
    code = _identifiers()
    pages = sorted(zh_demo.glob("**/students/*/report.html")) + sorted(zh_demo.glob("**/summary.html"))
    results = sorted(zh_demo.glob("**/students/*/results.json")) + sorted(zh_demo.glob("**/students/*/grade.json"))
    assert len(pages) >= 20 and len(results) >= 30
    texts = [line for p in pages for line in _text_of(p.read_text(encoding="utf-8"))]
    texts += [s for p in results for s in _strings(json.loads(p.read_text(encoding="utf-8")))]
    english = sorted({run for text in texts for run in msgcat.english_runs(text)
                      if not set(re.findall(r"[A-Za-z]+", run)) <= code})
    assert english == []
    # and the unreadable notebook, the crash and the endless loop are among what was read
    joined = "\n".join(texts)
    assert "不是有效的 JSON" in joined and "运行 gru_forward 时超时" in joined
