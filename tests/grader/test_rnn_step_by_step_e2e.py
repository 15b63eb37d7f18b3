"""rnn-step-by-step end to end: `rnngrade grade` and `rnngrade check` on notebooks of the corpus
(written in the course's style, both generations); the full corpus is graded by its own test."""
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import main
from grader.pipeline.folder_results import read_results, verdict_of

# every test reads the batch graded here: grading must not stop on this machine
pytestmark = pytest.mark.needs_layer()

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "rnn_step_by_step"
NOTEBOOKS = ("cur01_all_correct", "cur12_lstm_forward_view", "cur21_rnn_cache_placeholder",
             "v3_08_lstm_cell_forward_crash")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    subs = tmp_path_factory.mktemp("subs")
    for name in NOTEBOOKS:
        shutil.copy(CORPUS / f"{name}.ipynb", subs / f"{name}.ipynb")
    out = tmp_path_factory.mktemp("out")
    run = CliRunner().invoke(main, ["grade", str(subs), "--assignment", "rnn-step-by-step", "--out", str(out),
                                    "--workers", "1", "--lang", "en", "--no-progress"])
    assert run.exit_code == 0, run.output
    return read_results(out), out, subs


def _points(table, student):
    return {item: (v["points"], v["status"], v["cache_verdict"]) for item, v in table[student].items()}


def test_a_correct_notebook_earns_every_point(graded):
    table, _, _ = graded
    assert all(v["status"] == "passed" for v in table["cur01_all_correct"].values())
    assert sum(v["points"] for v in table["cur01_all_correct"].values()) == 100.0


def test_a_view_kept_in_lstm_forward(graded):
    table, _, _ = graded
    row = _points(table, "cur12_lstm_forward_view")
    assert row["lstm_forward"] == (0.0, "failed", "cache_corrupted")
    assert row["lstm_backward"] == (16.0, "partial", "right_on_reference_cache")  # 0.8 of 20 on every case
    assert table["cur12_lstm_forward_view"]["lstm_forward"]["diagnoses"] == ["state_aliasing"]


def test_none_placeholders_in_the_caches(graded):
    table, _, _ = graded
    row = _points(table, "cur21_rnn_cache_placeholder")
    assert row["rnn_forward"] == (0.0, "failed", "cache_corrupted")
    assert row["rnn_backward"] == (12.0, "partial", "right_on_reference_cache")
    assert row["lstm_cell_backward"][1] == row["lstm_backward"][1] == "unanswered"
    assert "`caches` is None (a template placeholder left in?)" in table["cur21_rnn_cache_placeholder"]["rnn_forward"]["message"]


def test_a_forward_that_crashes_leaves_its_backward_the_reference_credit(graded):
    table, _, _ = graded
    row = _points(table, "v3_08_lstm_cell_forward_crash")
    assert row["lstm_cell_forward"][:2] == (0.0, "error")
    assert row["lstm_cell_backward"] == (12.0, "partial", "right_on_reference_cache")


def test_rnngrade_check_on_a_course_notebook(graded):
    _, _, subs = graded
    run = CliRunner().invoke(main, ["check", str(subs / "cur12_lstm_forward_view.ipynb"),
                                    "--assignment", "rnn-step-by-step", "--lang", "en"])
    assert run.exit_code == 1
    lines = run.output.splitlines()
    assert "PASS rnn_cell_forward: 2/2 public case(s) passed" in lines
    assert any("your lstm_backward is right on a correct cache, but the cache your `lstm_forward` returns is "
               "corrupted at step" in line and "was overwritten after it was stored" in line for line in lines)


def test_verdicts_in_the_corpus_words(graded):
    table, _, _ = graded
    assert {item: verdict_of(v) for item, v in table["v3_08_lstm_cell_forward_crash"].items()} == {
        "rnn_cell_forward": "correct", "rnn_forward": "correct", "lstm_cell_forward": "error",
        "lstm_forward": "error", "rnn_cell_backward": "unanswered", "rnn_backward": "unanswered",
        "lstm_cell_backward": "right_on_reference_cache", "lstm_backward": "right_on_reference_cache"}
