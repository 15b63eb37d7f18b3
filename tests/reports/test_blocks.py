"""The small pieces: MathML allow-list, image checks, value previews, histogram bins."""
from __future__ import annotations

import base64

import pytest
import sympy

from grader.reports import fmt
from grader.reports.mathml import expr_to_mathml, safe_mathml
from grader.reports.media import image_data_uri
from grader.reports.svg import histogram_bins
from tests.reports.sample_results_support import PNG_B64, png_bytes


def test_sympy_mathml_passes_with_entities_turned_into_characters():
    x = sympy.Symbol("x")
    m = safe_mathml(expr_to_mathml(sympy.exp(-x) * x))
    assert str(m).startswith('<math display="inline" xmlns="http://www.w3.org/1998/Math/MathML">')
    assert "<mi>ⅇ</mi>" in m and "&" not in str(m).replace("&lt;", "").replace("&gt;", "")


@pytest.mark.parametrize("markup", [
    "<mrow><script>alert(1)</script></mrow>",
    '<mrow><mi onclick="alert(1)">x</mi></mrow>',
    '<mrow><mi href="javascript:alert(1)">x</mi></mrow>',
    '<mrow><mi xlink:href="x" xmlns:xlink="http://www.w3.org/1999/xlink">x</mi></mrow>',
    "<mrow><annotation-xml><svg/></annotation-xml></mrow>",
    '<!DOCTYPE x [<!ENTITY a "b">]><mi>&a;</mi>',
    "<mi>&unknownentity;</mi>",
    "<mi>x</mi><mi>y</mi>",  # two roots: not one expression
    "<mrow><mi>x</mrow>",
    "",
    None,
], ids=["script", "event", "href", "xlink", "foreign", "doctype", "entity", "two-roots", "broken", "empty", "none"])
def test_anything_outside_the_allow_list_is_refused(markup):
    assert safe_mathml(markup) is None


def test_text_inside_mathml_is_escaped():
    assert str(safe_mathml("<mi>&lt;b&gt;</mi>")) == (
        '<math display="inline" xmlns="http://www.w3.org/1998/Math/MathML"><mi>&lt;b&gt;</mi></math>')


def test_mfenced_becomes_explicit_parentheses():
    assert str(safe_mathml("<mfenced><mi>a</mi><mi>b</mi></mfenced>")) == (
        '<math display="inline" xmlns="http://www.w3.org/1998/Math/MathML"><mrow><mo>(</mo><mi>a</mi>'
        "<mo>,</mo><mi>b</mi><mo>)</mo></mrow></math>")


def test_png_is_embedded():
    uri, reason = image_data_uri({"name": "f.png", "mime": "image/png", "data_b64": PNG_B64})
    assert (uri, reason) == (f"data:image/png;base64,{PNG_B64}", "")


@pytest.mark.parametrize("mime,data,reason", [
    ("image/svg+xml", b"<svg onload=alert(1)>", "image.bad_type"),
    ("text/html", b"<script>", "image.bad_type"),
    ("image/png", b"<svg onload=alert(1)>", "image.bad_data"),  # announced as PNG, is not
    ("image/jpeg", png_bytes(), "image.bad_data"),
])
def test_other_attachments_are_refused(mime, data, reason):
    att = {"name": "a", "mime": mime, "data_b64": base64.b64encode(data).decode()}
    assert image_data_uri(att) == (None, reason)


def test_invalid_base64_is_refused():
    assert image_data_uri({"name": "a", "mime": "image/png", "data_b64": "!!notbase64"}) == (None, "image.bad_data")


@pytest.mark.parametrize("x,text", [(7.5, "7.5"), (10.0, "10"), (20 / 3, "6.67"), (0.0, "0"), (-0.0, "0")])
def test_points(x, text):
    assert fmt.points(x) == text


def test_small_arrays_are_shown_and_large_ones_summarised():
    assert fmt.preview([[1.0, 2.0], [3.0, 4.5]], "{shape}") == "[[1.  2. ]\n [3.  4.5]]"
    big = [[float(i)] * 5 for i in range(9)]
    assert fmt.preview(big, "shape {shape}: {min}..{max}, mean {mean}") == "shape (9, 5): 0..8, mean 4"
    assert fmt.preview([[float("nan")] * 50], "{shape} {min}") == "(1, 50) nan"


def test_output_is_truncated_with_a_marker():
    assert fmt.truncate_output("x" * 10, "[{n} more]", limit=4) == "xxxx\n[6 more]"
    assert fmt.truncate_output("short", "[{n} more]", limit=40) == "short"


@pytest.mark.parametrize("percents,counts", [
    ([0, 9.99, 10, 55, 99.9, 100], [2, 1, 0, 0, 0, 1, 0, 0, 0, 2]),
    ([], [0] * 10),
    ([-5, 120], [1, 0, 0, 0, 0, 0, 0, 0, 0, 1]),
])
def test_histogram_bins(percents, counts):
    assert histogram_bins(percents) == counts
