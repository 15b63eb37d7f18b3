"""Does a real-looking notebook load into the units, answers, free answers and notes we expect?"""
import base64
import hashlib
from pathlib import Path

import nbformat
import pytest

from grader.loading import CodeUnit, load_submission
from grader.messages import english_notes as english

WILD = Path(__file__).resolve().parents[1] / "corpus" / "wild"
PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + bytes(25)).decode()


@pytest.fixture(scope="module")
def colab():
    return load_submission(WILD / "colab_lstm.ipynb")


def test_stored_fixtures_are_current(wild, tmp_path):
    """The stored notebooks are what build.py makes (run it after changing a builder)."""
    assert (WILD / "colab_lstm.ipynb").read_text(encoding="utf-8") == nbformat.writes(wild.colab_notebook())
    assert (WILD / "old_v3.ipynb").read_text(encoding="utf-8") == \
        nbformat.v3.writes_json(wild.old_v3_notebook()) + "\n"


def test_colab_units_in_order(colab, wild):
    labels = [u.label for u in colab.units]
    # Skipped: 1, 13-15 markdown; 3 only an automagic; 11 the check cell; 17 %%bash; 18 only help.
    assert labels == ["cell 2", "cell 4", "cell 5", "cell 6", "cell 7", "cell 8", "cell 9", "cell 10",
                      "cell 12", "cell 16", "cell 19"]
    assert [u.cell_index for u in colab.units] == [1, 3, 4, 5, 6, 7, 8, 9, 11, 15, 18]
    by_label = {u.label: u for u in colab.units}
    # Colab's drive import stays code: the sandbox reports the missing module, the rest runs.
    assert by_label["cell 2"].source == "from google.colab import drive\ndrive.mount('/content/drive')"
    assert by_label["cell 4"] == CodeUnit("cell 4", "\n\nimport numpy as np", 3, 1)
    assert by_label["cell 6"].source == wild.LSTM_CELL
    assert by_label["cell 16"].source == "\nh = lstm_cell_forward"
    assert by_label["cell 10"].source.endswith("raise NotImplementedError()")


def test_half_written_cell_stays_a_unit_with_true_line_numbers(colab, wild):
    """The sandbox reports its SyntaxError; the line it names is the line in the student's cell."""
    unit = next(u for u in colab.units if u.label == "cell 8")
    assert unit.source == wild.HALF_WRITTEN
    with pytest.raises(SyntaxError) as err:
        compile(unit.source, unit.label, "exec")
    assert err.value.lineno == 4
    assert [u.label for u in colab.units].index("cell 9") > [u.label for u in colab.units].index("cell 8")


def test_colab_notes_verbatim(colab):
    assert english(colab.notes) == [
        "cell 3, line 1: skipped IPython magic `cd '/content/drive/My Drive/nndl'`",
        "cell 4, line 1: skipped shell command `!pip install -q nbformat`",
        "cell 4, line 2: skipped IPython magic `%matplotlib inline`",
        "cell 12: answer_lstm_dforget is not a string literal; write the expression inside quotes",
        "cell 13: image `drawing.svg` (image/svg+xml) was not kept; only PNG, JPEG, GIF and WebP "
        "images are shown to graders",
        "cell 16, line 1: skipped IPython cell magic `%%time` (the cell's code still runs)",
        "cell 17: skipped the whole cell: IPython cell magic `%%bash` does not run Python",
        "cell 18, line 1: skipped IPython help `np.zeros?`",
        "cell 19, line 1: skipped shell command `files = !ls`",
    ]


def test_colab_answers_last_literal_wins(colab):
    assert colab.answers == {"answer_lstm_dc_prev": "(dc + dh*o*(1 - tanh(c)**2))*f"}


def test_colab_metadata_and_hash(colab):
    assert colab.kind == "notebook" and colab.error is None
    assert colab.release_version == "2026.1"
    assert colab.content_hash == hashlib.sha256((WILD / "colab_lstm.ipynb").read_bytes()).hexdigest()
    assert colab.path == WILD / "colab_lstm.ipynb"


def test_free_answers_join_cells_and_keep_only_raster_images(colab, wild):
    free = colab.free["free_6_4"]
    # Jupyter names every pasted image image.png: the second is renamed and its reference follows.
    assert free.text == ("The forget gate keeps the gradient: ![plot](attachment:image.png)\n\n"
                         "Second part, with another pasted ![plot](attachment:image-2.png)")
    assert free.attachments == [
        {"name": "image.png", "mime": "image/png", "data_b64": wild.PNG_B64},
        {"name": "image-2.png", "mime": "image/jpeg", "data_b64": wild.JPEG_B64},
    ]
    inline = colab.free["free_6_1p"]
    assert inline.text == 'GRU when data is small. <img src="attachment:image-1.png">'
    assert inline.attachments == [{"name": "image-1.png", "mime": "image/png", "data_b64": wild.PNG_B64}]
    assert set(colab.free) == {"free_6_4", "free_6_1p"}


def test_old_v3_notebook_is_upgraded():
    loaded = load_submission(WILD / "old_v3.ipynb")
    assert loaded.kind == "notebook"
    assert [u.label for u in loaded.units] == ["cell 2", "cell 3", "cell 5"]
    assert loaded.answers == {"answer_residual_dh": "1 + u*(1 - tanh(u*h + w*x + b)**2)"}
    assert english(loaded.notes) == ["the notebook is in the old format 3; it was upgraded to format 4",
                            "cell 2, line 1: skipped IPython magic `%pylab inline`"]


CELL_CASES = [
    # (id, cells, expected units as (label, source), expected answers, expected notes)
    ("check-cell-skipped-silently",
     [("code", "import rnngrade_local\nrnngrade_local.check()", ["rnngrade-check"]), ("code", "x = 1")],
     [("cell 2", "x = 1")], {}, []),
    ("empty-cells-skipped", [("code", ""), ("code", "  \n"), ("code", "x = 1")], [("cell 3", "x = 1")], {}, []),
    ("raw-and-markdown-not-run", [("raw", "x = ("), ("markdown", "# hi"), ("code", "y = 2")],
     [("cell 3", "y = 2")], {}, []),
    ("answer-over-cells-last-wins",
     [("code", 'answer_a = "1"'), ("code", 'answer_a: str = "2"'), ("code", 'answer_a = ("3"\n  "4")')],
     [("cell 1", 'answer_a = "1"'), ("cell 2", 'answer_a: str = "2"'), ("cell 3", 'answer_a = ("3"\n  "4")')],
     {"answer_a": "34"}, []),
    ("non-literal-does-not-override",
     [("code", 'answer_a = "x*y"'), ("code", "answer_a = x_expr")],
     [("cell 1", 'answer_a = "x*y"'), ("cell 2", "answer_a = x_expr")], {"answer_a": "x*y"},
     ["cell 2: answer_a is not a string literal; write the expression inside quotes"]),
    ("answer-in-broken-cell-noted",
     [("code", 'answer_a = "x"\ndef f(:')], [("cell 1", 'answer_a = "x"\ndef f(:')], {},
     ["cell 1 does not parse (it has a syntax error), so answer_a in it was not read"]),
    ("answer-inside-block-noted",
     [("code", 'if True:\n    answer_a = "x"')], [("cell 1", 'if True:\n    answer_a = "x"')], {},
     ["cell 1: answer_a is assigned inside an `if` block, so it was not read; assign it at the top "
      "level, outside any block"]),
    ("answer-in-function-ignored",
     [("code", 'def f():\n    answer_a = "x"')], [("cell 1", 'def f():\n    answer_a = "x"')], {}, []),
    ("cell-magic-only", [("code", "%%html\n<b>x</b>")], [], {},
     ["cell 1: skipped the whole cell: IPython cell magic `%%html` does not run Python"]),
    ("time-line-magic-runs-once", [("code", "%time y = 2")], [("cell 1", "y = 2")], {},
     ["cell 1, line 1: ran `y = 2` once instead of IPython magic `%time y = 2`"]),
]


@pytest.mark.parametrize("cells, units, answers, notes", [c[1:] for c in CELL_CASES],
                         ids=[c[0] for c in CELL_CASES])
def test_cells(write_notebook, cells, units, answers, notes):
    loaded = load_submission(write_notebook(cells))
    assert [(u.label, u.source) for u in loaded.units] == units
    assert loaded.answers == answers
    assert english(loaded.notes) == notes


FREE_CASES = [
    # (id, attachments, expected kept [(name, mime)], expected notes)
    ("png-kept", {"a.png": {"image/png": PNG}}, [("a.png", "image/png")], []),
    ("svg-dropped", {"d.svg": {"image/svg+xml": "PHN2Zy8+"}}, [],
     ["cell 1: image `d.svg` (image/svg+xml) was not kept; only PNG, JPEG, GIF and WebP images are "
      "shown to graders"]),
    ("raster-preferred-in-bundle", {"b": {"image/svg+xml": "PHN2Zy8+", "image/png": PNG}},
     [("b", "image/png")], []),
    ("bad-base64", {"c.png": {"image/png": "###"}}, [],
     ["cell 1: image `c.png` is not valid base64 and was not kept"]),
    ("not-really-png", {"e.png": {"image/png": base64.b64encode(b"<html>").decode()}}, [],
     ["cell 1: image `e.png` is labelled image/png but its bytes are not an image; not kept"]),
    ("split-lines", {"f.png": {"image/png": [PNG[:10] + "\n", PNG[10:]]}}, [("f.png", "image/png")], []),
]


@pytest.mark.parametrize("attachments, kept, notes", [c[1:] for c in FREE_CASES],
                         ids=[c[0] for c in FREE_CASES])
def test_free_answer_images(write_notebook, attachments, kept, notes):
    loaded = load_submission(write_notebook([("markdown", "Answer", ["free_6_3"], attachments)]))
    assert [(a["name"], a["mime"]) for a in loaded.free["free_6_3"].attachments] == kept
    assert english(loaded.notes) == notes


def test_free_answer_embedded_svg_removed(write_notebook):
    text = "See ![x](data:image/svg+xml;base64,PHN2Zy8+) here"
    loaded = load_submission(write_notebook([("markdown", text, ["free_6_5"])]))
    assert loaded.free["free_6_5"].text == "See ![x](removed-image) here"
    assert loaded.free["free_6_5"].attachments == []
    assert english(loaded.notes) == ["cell 1: an image embedded in the text (image/svg+xml) was not kept; "
                            "only PNG, JPEG, GIF and WebP images are shown to graders"]


def test_free_answer_any_free_tag_and_code_fallback(write_notebook):
    loaded = load_submission(write_notebook([
        ("markdown", "Mine", ["free_bonus", "other-tag"]),
        ("code", 'free_6_3 = """typed in code"""'),
        ("code", 'free_bonus = "ignored: the tagged cell wins"'),
    ]))
    assert {k: v.text for k, v in loaded.free.items()} == {"free_bonus": "Mine", "free_6_3": "typed in code"}


def test_code_cell_tagged_free_is_taken_as_text(write_notebook):
    loaded = load_submission(write_notebook([("code", "Gradients explode because", ["free_6_3"])]))
    assert loaded.units == []
    assert loaded.free["free_6_3"].text == "Gradients explode because"
    assert english(loaded.notes) == ["cell 1 is a code cell tagged free_6_3; its text was taken as the "
                            "written answer and not run"]


def test_schema_violation_is_a_note_when_cells_are_readable(write_json):
    data = {"nbformat": 4, "nbformat_minor": 4, "metadata": {},
            "cells": [{"cell_type": "code", "source": ["x = 1\n", "y = 2"], "metadata": {},
                       "outputs": [], "execution_count": "one"}]}
    loaded = load_submission(write_json(data))
    assert loaded.kind == "notebook"
    assert [(u.label, u.source) for u in loaded.units] == [("cell 1", "x = 1\ny = 2")]
    assert english(loaded.notes) == ["the notebook does not fully follow the Jupyter format ('one' is not of "
                            "type 'integer', 'null'); its cells were read anyway"]


def test_notebook_nbformat_cannot_upgrade_is_read_directly(write_json):
    """Code cells without `outputs` break nbformat's reader; the cells are still there to read."""
    data = {"nbformat": 4, "nbformat_minor": 0, "metadata": {"rnngrade": {"version": 3}},
            "cells": [{"cell_type": "code", "source": "x = 1"}]}
    loaded = load_submission(write_json(data))
    assert loaded.kind == "notebook"
    assert [(u.label, u.source) for u in loaded.units] == [("cell 1", "x = 1")]
    assert loaded.release_version == "3"
