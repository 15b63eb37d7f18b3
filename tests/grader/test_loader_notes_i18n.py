"""Are the loader's notes kept as messages and shown in the reader's language?

The example of issue 10: a zh `rnngrade check` printed "说明：cell 2, line 1: skipped IPython magic …"
(an English sentence stored in the result). The notes are now keys and fields, rendered where shown,
the place included ("第 2 个单元格第 1 行").
"""
from __future__ import annotations

import nbformat
import pytest
from nbformat import v4

from grader.loading import discover, load_submission
from grader.core.places import place_of
from grader.messages import render
from grader.model import SubmissionResult
from grader.outputs.exports import grade_json
from grader.outputs.textreport import check_lines


def _notebook(path):
    nb = v4.new_notebook(cells=[v4.new_markdown_cell("# LSTM"),
                                v4.new_code_cell("%matplotlib inline\nimport numpy as np")])
    nbformat.write(nb, str(path))
    return path


def _result(notes, lang):
    return SubmissionResult(student="s1", status="graded", assignment="lstm_basics", version="1.0",
                            path="s1.ipynb", notes=list(notes), lang=lang)


def test_a_skipped_magic_is_said_in_chinese_in_a_zh_check(tmp_path):
    loaded = load_submission(_notebook(tmp_path / "s1.ipynb"))
    lines, _ = check_lines(_result(loaded.notes, "zh"))
    assert lines[1] == "说明：第 2 个单元格第 1 行：跳过了 IPython 魔法命令 `%matplotlib inline`"


def test_the_same_note_in_english(tmp_path):
    loaded = load_submission(_notebook(tmp_path / "s1.ipynb"))
    lines, _ = check_lines(_result(loaded.notes, "en"))
    assert lines[1] == "note: cell 2, line 1: skipped IPython magic `%matplotlib inline`"


def test_the_result_keeps_the_key_and_fields_not_the_text(tmp_path):
    loaded = load_submission(_notebook(tmp_path / "s1.ipynb"))
    assert loaded.notes == [{"key": "note.magic_skipped",
                             "fields": {"where": {"key": "place.cell_line", "fields": {"cell": 2, "line": 1}},
                                        "shown": "%matplotlib inline"}}]


def test_a_missing_submission_note_in_chinese_in_grade_json(tmp_path):
    (tmp_path / "subs").mkdir()
    [entry] = discover(tmp_path / "subs", roster=["ann"])
    assert grade_json(_result(entry.notes, "zh"))["notes"] == ["未找到提交"]


def test_an_older_results_prose_note_is_shown_as_it_was():
    lines, _ = check_lines(_result(["cell 2, line 1: skipped IPython magic `%pylab`"], "zh"))
    assert lines[1] == "说明：cell 2, line 1: skipped IPython magic `%pylab`"


def test_a_py_files_note_names_its_line_in_each_language(tmp_path):
    path = tmp_path / "s1.py"
    path.write_text("import numpy as np\n!pip install numpy\n", encoding="utf-8")
    loaded = load_submission(path)
    assert check_lines(_result(loaded.notes, "zh"))[0][1] == "说明：第 2 行：跳过了 shell 命令 `!pip install numpy`"
    assert check_lines(_result(loaded.notes, "en"))[0][1] == "note: line 2: skipped shell command `!pip install numpy`"


@pytest.mark.parametrize("label,en,zh", [
    ("cell 4", "cell 4", "第 4 个单元格"),
    ("line 31", "line 31", "第 31 行"),
    ("cell 4, line 7", "cell 4, line 7", "第 4 个单元格第 7 行"),
    ("cell 4, line", "cell 4, line", "cell 4, line"),  # not a loader's label: kept as it is
    ("the notebook", "the notebook", "the notebook"),
])
def test_a_loaders_label_is_a_place_in_the_readers_language(label, en, zh):
    assert (render(place_of(label), "en"), render(place_of(label), "zh")) == (en, zh)
