"""Is the derivation page self-contained, bilingual, and are all its formulas printed by SymPy?"""
import re

import pytest
import sympy

from solutions import symbolic as S
from solutions.derivation import derivation_markdown_sections, render_derivation_html, to_mathml
from solutions.derivation.content import sections
from solutions.derivation.mathml import to_latex


@pytest.fixture(scope="module", params=["en", "zh"])
def page(request):
    return request.param, render_derivation_html(None, request.param)


def test_page_is_self_contained_html_with_mathml(page):
    lang, html = page
    assert html.startswith("<!DOCTYPE html>") and f'<html lang="{lang}">' in html
    assert "<script" not in html.lower()
    assert not re.search(r"(src|href)\s*=", html), "no external resources"
    assert "<style>" in html
    assert html.count("<math ") >= 40


def test_every_formula_on_the_page_is_printed_from_a_sympy_expression(page):
    _, html = page
    printed = [to_mathml(step.formula) for sec in sections() for step in sec.steps
               if step.formula is not None]
    on_page = re.findall(r"<math .*?</math>", html, flags=re.S)
    assert on_page == printed


def test_page_shows_the_references_of_the_items(page):
    _, html = page
    for expr in (S.lstm_dc_prev(), S.lstm_dforget(), S.residual_dh()):
        body = sympy.printing.mathml(sympy.factor_terms(expr), printer="presentation")
        assert body in html
    assert sympy.printing.mathml(sympy.factor_terms(S.gru_abbreviate(S.gru_dh_prev())),
                                 printer="presentation") in html


def test_the_page_contains_the_reference_printed_with_to_mathml(page):
    _, html = page
    assert to_mathml(S.lstm_dc_prev()) in html


@pytest.mark.parametrize("lang, heading, remedy", [
    ("en", "Exercise 6-3: gradient explosion", "Remedy 1, gradient clipping"),
    ("zh", "习题 6-3：残差更新", "解决方法一，梯度截断"),
])
def test_prose_is_in_the_requested_language(lang, heading, remedy):
    html = render_derivation_html(None, lang)
    assert heading in html and remedy in html


def test_rendering_is_deterministic():
    assert render_derivation_html(None, "en") == render_derivation_html(None, "en")


@pytest.mark.parametrize("spec, lang, message", [
    ("other-course", "en", "there is no reference derivation for assignment 'other-course'; "
                           "available: nndl-ch6"),
    (None, "fr", "no derivation text in language 'fr'; choose one of en, zh"),
])
def test_unknown_assignment_or_language(spec, lang, message):
    with pytest.raises(ValueError) as err:
        render_derivation_html(spec, lang)
    assert str(err.value) == message


def test_markdown_sections_carry_the_same_formulas_as_latex():
    cells = derivation_markdown_sections("en")
    assert len(cells) == 3 and cells[1].startswith("## Exercise 6-4")
    latex = [to_latex(step.formula) for sec in sections() for step in sec.steps
             if step.formula is not None]
    found = [m for cell in cells for m in re.findall(r"\$\$(.*?)\$\$", cell, flags=re.S)]
    assert found == latex
    assert to_latex(sympy.factor_terms(S.lstm_dforget())) in cells[1]


def test_residual_step_jacobian_is_identity_plus_diag_times_u():
    J, (h, x, U, W, b) = S.residual_jacobian_matrix(3, 2)
    z = U * h + W * x + b
    D = sympy.diag(*[1 - sympy.tanh(zk) ** 2 for zk in z])
    assert (J - sympy.eye(3) - D * U).expand() == sympy.zeros(3, 3)
