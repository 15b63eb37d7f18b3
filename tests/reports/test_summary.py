"""The class summary: counts, pass rates, frequent mistakes, problems, links; deterministic."""
from __future__ import annotations

import copy
import re

import pytest

from grader.reports import render_summary
from grader.reports.summary import summary_context
from tests.reports.sample_results_support import all_results, bob, make_spec

pytestmark = pytest.mark.usefixtures("fixed_mistakes")


@pytest.fixture(scope="module")
def ctx():
    return summary_context(all_results(), make_spec(), lang="en")


def test_counts_and_stats(ctx):
    assert (ctx["n_students"], ctx["n_submitted"], ctx["n_missing"], ctx["n_load_error"]) == (5, 4, 1, 1)
    # alice 29/31, bob 7/31, carol 0, dave 0 (load error counts as 0; erin is missing and not counted)
    assert ctx["mean"] == "29"  # (93.55 + 22.58 + 0 + 0) / 4 = 29.03
    assert ctx["median"] == "11.3"


def test_pass_rate_per_item(ctx):
    rows = {r["id"]: r for r in ctx["items"]}
    assert [(rows[i]["passed"], rows[i]["rate"]) for i in ("lstm_cell_forward", "free_6_3")] == [(1, "25"), (0, "0")]
    assert rows["free_6_3"]["pending"] == 1  # bob's answer awaits grading; alice's was graded
    assert rows["lstm_cell_forward"]["timeout"] == 1 and rows["lstm_cell_backward"]["error"] == 1
    assert rows["lstm_cell_backward"]["mean"] == "3.75"


def test_frequent_mistakes_count_students_not_cases(ctx):
    assert [(d["id"], d["count"], [s["student"] for s in d["students"]]) for d in ctx["diagnoses"]] == [
        ("gate_activation_swapped", 1, ["bob"])]


def test_problems_listed_with_messages(ctx):
    assert [(t["student"], t["item"], t["message"]) for t in ctx["timeouts"]] == [
        ("carol", "lstm_cell_forward", "timed out after 2.0 s")]
    assert [(e["student"], e["item"], e["message"]) for e in ctx["errors"]] == [
        ("carol", "lstm_cell_backward", "crashed: killed by signal 9 (out of memory?)")]
    assert [e["student"] for e in ctx["load_errors"]] == ["dave"]
    assert [m["student"] for m in ctx["missing"]] == ["erin"]


def test_every_student_is_linked_in_order():
    html = render_summary(list(reversed(all_results())), make_spec(), lang="en")
    links = re.findall(r'<tr class="student"><td><a href="([^"]+)">', html)
    assert links == [f"students/{s}/report.html" for s in ("alice", "bob", "carol", "dave", "erin")]


def test_custom_report_href():
    html = render_summary(all_results(), make_spec(), lang="en", report_href=lambda s: f"../r/{s}.html")
    assert '<a href="../r/bob.html">bob</a>' in html


def test_summary_is_deterministic_and_has_no_timestamp():
    a = render_summary(all_results(), make_spec(), lang="zh")
    b = render_summary(list(reversed(all_results())), make_spec(), lang="zh")
    assert a == b
    assert re.search(r"\d{4}-\d{2}-\d{2}|\d{2}:\d{2}:\d{2}", a) is None


def test_histogram_svg_has_one_bar_per_band():
    html = render_summary(all_results(), make_spec(), lang="en")
    heights = re.findall(r'<rect class="bin"[^>]* height="([0-9.]+)"', html)
    assert len(heights) == 10
    # two submissions in 0-10 %, one in 20-30 %, one in 90-100 %: bars of 2, 1, 1 on a peak of 2
    full = float(heights[0])
    assert [round(float(h) / full, 3) for h in heights] == [1, 0, 0.5, 0, 0, 0, 0, 0, 0, 0.5]


def test_a_thousand_students():
    base = bob()
    results = []
    for k in range(1000):
        r = copy.deepcopy(base)
        r.student = f"s{k:04d}"
        results.append(r)
    html = render_summary(results, make_spec(), lang="en")
    assert html.count('<tr class="student">') == 1000
    assert "<p id=\"counts\">1000 students: 1000 submitted (0 could not be loaded), 0 missing.</p>" in html
