"""Does a report keep the answer key to itself? Hidden expected values, hidden-case output, the
rubric and the reference expression never reach a student before solutions are released; they
do with show_solutions=True. Checked on the rendered HTML and on the Gradescope text."""
from __future__ import annotations

import pytest

from grader.reports import item_feedback_text, render_student_report, student_view
from tests.reports.sample_results_support import (HIDDEN_EXPECTED, HIDDEN_GOT_PASSING, HIDDEN_STDOUT, REFERENCE_VALUE,
                                    RUBRIC, alice, bob, make_spec)

# The fixed diagnosis texts do not mention tanh, so "tanh" in bob's report can only be the reference.
pytestmark = pytest.mark.usefixtures("fixed_mistakes")

SECRETS = {
    "hidden expected value": "731593",  # 0.7315926 at 6 significant digits, and its own digits
    "hidden expected value (raw)": "7315926",
    "hidden value of a passing case": "555172",
    "output of a hidden case": HIDDEN_STDOUT,
    "rubric": "RUBRIC-TEXT",
    "reference value": "424242",
    "reference expression (MathML and text)": "tanh",
}


def _render_all(lang: str, show_solutions: bool) -> str:
    spec = make_spec()
    return "".join(render_student_report(r, spec, lang=lang, show_solutions=show_solutions) for r in (alice(), bob()))


def _text_all(lang: str, show_solutions: bool) -> str:
    spec = make_spec()
    return "".join(item_feedback_text(i, spec, lang=lang, show_solutions=show_solutions)
                   for r in (alice(), bob()) for i in r.items if r.student == "bob" or i.kind != "symbolic")


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("what", sorted(SECRETS))
def test_report_hides_the_answer_key_by_default(lang, what):
    html = _render_all(lang, show_solutions=False)
    # alice's own correct answer contains tanh: only bob's report is searched for the reference.
    if what.startswith("reference expression"):
        html = render_student_report(bob(), make_spec(), lang=lang)
    assert SECRETS[what] not in html


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("what", sorted(SECRETS))
def test_gradescope_text_hides_the_answer_key_by_default(lang, what):
    text = "".join(item_feedback_text(i, make_spec(), lang=lang) for i in bob().items)
    text += "".join(item_feedback_text(i, make_spec(), lang=lang) for i in alice().items if i.kind == "code")
    assert SECRETS[what] not in text


@pytest.mark.parametrize("what", ["hidden expected value", "rubric", "reference value",
                                  "reference expression (MathML and text)"])
def test_show_solutions_shows_them(what):
    html = render_student_report(bob(), make_spec(), lang="en", show_solutions=True)
    assert SECRETS[what] in html


def test_show_solutions_renders_the_reference_as_mathml():
    html = render_student_report(bob(), make_spec(), lang="en", show_solutions=True)
    ref = html.split('class="math reference"', 1)[1].split("</div>", 1)[0]
    assert "<math" in ref and "<mi>tanh</mi>" in ref


def test_the_point_of_difference_and_the_students_value_stay_visible():
    html = render_student_report(bob(), make_spec(), lang="en")
    assert "There, your expression evaluates to 0.0525." in html
    assert "<th><code>c_prev</code></th><td class=\"mono\">1.5</td>" in html


def test_student_view_is_a_redacted_copy():
    original = bob()
    view = student_view(original, make_spec())
    hidden = view.item("lstm_cell_forward").cases[2]
    assert (hidden.stdout, hidden.outputs[0].expected, hidden.outputs[0].got) == ("", None, None)
    assert hidden.outputs[0].max_abs_err == 0.62 and hidden.outputs[0].worst_index == [2, 4]
    assert view.item("lstm_cell_forward").stdout == "debug <script>alert(1)</script>\n"
    assert "rubric" not in view.item("free_6_3").free
    assert set(view.item("answer_lstm_dc_prev").symbolic) == {
        "verdict", "answer", "counterexample", "student_value", "student_mathml"}
    assert view.item("answer_lstm_dc_prev").message == ""
    # the original is untouched (the gradebook's copy must stay complete)
    assert original.item("lstm_cell_forward").cases[2].outputs[0].expected == [[HIDDEN_EXPECTED, 0.3]]
    assert original.item("free_6_3").free["rubric"] == RUBRIC
    assert original.item("answer_lstm_dc_prev").symbolic["reference_value"] == REFERENCE_VALUE


def test_public_case_values_are_shown():
    html = render_student_report(bob(), make_spec(), lang="en")
    assert "[[0.5]]" in html and "[[0.25]]" in html


def test_passing_hidden_value_is_not_in_the_view():
    view = student_view(alice(), make_spec())
    out = view.item("lstm_cell_forward").cases[1].outputs[0]
    assert (out.expected, out.got) == (None, None)
    assert alice().item("lstm_cell_forward").cases[1].outputs[0].got == [[HIDDEN_GOT_PASSING]]
