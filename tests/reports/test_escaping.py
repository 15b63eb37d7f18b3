"""Is everything a student wrote shown as text? Scripts, event handlers and foreign images in
answers, output and ids must not become markup; the page allows no script and no network."""
from __future__ import annotations

import re

import pytest

from grader.reports import render_student_report, render_summary
from tests.reports.sample_results_support import IMG, PNG_B64, SCRIPT, all_results, bob, make_spec


@pytest.fixture(scope="module")
def html():
    return render_student_report(bob(), make_spec(), lang="en")


def test_student_script_is_escaped(html):
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert re.search(r"<script", html, re.I) is None


def test_student_img_with_onerror_is_escaped(html):
    assert IMG not in html
    assert "&lt;img src=x onerror=&#34;alert(2)&#34;&gt;" in html
    assert "onerror=" not in html.replace("onerror=&#34;", "")


def test_png_attachment_is_embedded_and_svg_is_not(html):
    assert f'src="data:image/png;base64,{PNG_B64}"' in html
    assert "image/svg" not in html
    assert "Attachment evil.svg is not shown: only PNG, JPEG, GIF and WebP images are shown." in html


def test_every_src_is_a_data_uri_and_nothing_is_fetched(html):
    assert all(src.startswith("data:image/") for src in re.findall(r'src="([^"]*)"', html))
    assert re.search(r"<(link|iframe|object|embed|base|form)\b", html, re.I) is None
    urls = set(re.findall(r"https?://[^\s\"'<>]+", html))
    assert urls <= {"http://www.w3.org/1998/Math/MathML"}


def test_content_security_policy_forbids_scripts(html):
    assert ("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">") in html


def test_hostile_student_id_and_messages_are_escaped_in_the_summary():
    results = all_results()
    results[1].student = '"><script>alert(9)</script>'
    results[3].message = "<b>bad</b>"
    html = render_summary(results, make_spec(), lang="en")
    assert re.search(r"<script", html, re.I) is None and "<b>bad</b>" not in html
    assert 'href="students/%22%3E%3Cscript%3Ealert%289%29%3C%2Fscript%3E/report.html"' in html


def test_summary_allows_no_network_either():
    html = render_summary(all_results(), make_spec(), lang="zh")
    urls = set(re.findall(r"https?://[^\s\"'<>]+", html))
    assert urls <= {"http://www.w3.org/2000/svg"}
