"""The student's three files are made from one redacted view, and repeated work is remembered: the
files must say exactly what the public functions say on their own, call after call."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.outputs.exports import grade_json, gradescope_results, write_student_files
from grader.core.jsonsafe import dumps, json_safe
from grader.model import SubmissionResult
from grader.reports import fmt, item_feedback_text, render_student_report
from grader.reports.mathml import expr_to_mathml, safe_mathml

from .sample_results_support import all_results, bob, make_spec


def _files(tmp_path, r, lang, show_solutions):
    write_student_files(tmp_path, r, make_spec(), lang=lang, show_solutions=show_solutions)
    d = tmp_path / "students" / r.student
    return {name: (d / name).read_text(encoding="utf-8") for name in ("grade.json", "results.json", "report.html")}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("show_solutions", [False, True])
def test_files_say_what_each_public_function_says(tmp_path, fixed_mistakes, lang, show_solutions):
    spec = make_spec()
    for r in all_results():
        for _ in range(2):  # the second time from what the first one remembered
            files = _files(tmp_path, r, lang, show_solutions)
            assert files["grade.json"] == dumps(grade_json(r, spec, show_solutions=show_solutions),
                                                indent=2, sort_keys=True) + "\n"
            assert files["results.json"] == dumps(gradescope_results(r, spec, lang=lang, show_solutions=show_solutions),
                                                  indent=2) + "\n"
            assert files["report.html"] == render_student_report(r, spec, lang=lang, show_solutions=show_solutions)
            outputs = [t["output"] for t in json.loads(files["results.json"])["tests"]]
            assert outputs == [item_feedback_text(i, spec, lang=lang, show_solutions=show_solutions, result=r)
                               for i in r.items]


def test_text_of_a_backward_item_whose_forward_is_missing(tmp_path, fixed_mistakes):
    # The report shows the missing forward as a placeholder ("not answered"); the plain text only
    # knows the result, where the forward does not exist: each keeps its own sentence.
    r = bob()
    r.items = [i for i in r.items if i.item != "lstm_cell_forward"]
    files = _files(tmp_path, r, "en", False)
    tests = {t["name"].split(":")[0]: t["output"] for t in json.loads(files["results.json"])["tests"]}
    expected = item_feedback_text(r.item("lstm_cell_backward"), make_spec(), lang="en", result=r)
    assert tests["lstm_cell_backward"] == expected
    unknown = "consistent with your own forward (lstm_cell_forward); if lstm_cell_forward fails its cases"
    wrong = "the forward is wrong, so fix lstm_cell_forward first"
    assert unknown in expected and wrong not in expected
    assert wrong in files["report.html"] and unknown not in files["report.html"]


def test_student_folder_holds_the_three_files_and_no_temporary_one(tmp_path, fixed_mistakes):
    write_student_files(tmp_path, bob(), make_spec(), lang="en")
    assert sorted(p.name for p in (tmp_path / "students" / "bob").iterdir()) == [
        "grade.json", "report.html", "results.json"]


def test_to_dict_scores_and_fresh_containers_of_cases():
    r = bob()
    r.item("free_6_3").manual = {"points": 7.25, "comment": "ok"}
    d = r.to_dict()
    assert d["score"] == r.score == pytest.approx(sum(i.score for i in r.items))
    assert [i["score"] for i in d["items"]] == [i.score for i in r.items]
    assert [i["auto_score"] for i in d["items"]] == [i.auto_score for i in r.items]
    d["items"][0]["cases"][1]["outputs"][0]["worst_index"].append(99)
    d["items"][0]["cases"][1]["diagnoses"].append("x")
    assert r.items[0].cases[1].outputs[0].worst_index == [0, 0]
    assert r.items[0].cases[1].diagnoses == ["gate_activation_swapped"]
    again = SubmissionResult.from_dict(json.loads(dumps(r.to_dict(), sort_keys=True)))
    assert dumps(again.to_dict(), sort_keys=True) == dumps(r.to_dict(), sort_keys=True)


# --- dumps: orjson's text of json_safe's tree, json.dumps's layout -------------------------------

_leaves = st.one_of(
    st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=6), st.sampled_from([np.float64(0.25), np.float64("nan"), np.int64(-3), np.bool_(True),
                                          np.float32(0.1), np.array([1.0, np.inf]), np.array([[1, 2]])]),
)
_keys = st.one_of(st.text(max_size=3), st.sampled_from([1, 2, True, None, 1.5]))
_trees = st.recursive(
    _leaves,
    lambda kids: st.one_of(st.lists(kids, max_size=4), st.lists(kids, max_size=3).map(tuple),
                           st.dictionaries(st.text(max_size=3), kids, max_size=4),
                           st.dictionaries(_keys, kids, max_size=3)),
    max_leaves=20,
)


def _outcome(f, *args, **kw):
    try:
        return "ok", f(*args, **kw)
    except Exception as exc:  # the same failure counts as the same behaviour
        return "error", type(exc).__name__


def _spelled_alike(tree) -> bool:
    """No float that orjson spells otherwise than Python (``0.00001`` for ``1e-05``, ``1e-6``)."""
    return all(x == 0 or not math.isfinite(x) or abs(x) >= 1e-4 for x in _floats(json_safe(tree)))


def _floats(o):
    if type(o) is float:
        yield o
    elif type(o) is dict:
        for v in o.values():
            yield from _floats(v)
    elif type(o) is list:
        for v in o:
            yield from _floats(v)


@settings(max_examples=400, deadline=None)
@given(_trees, st.sampled_from([{}, {"sort_keys": True}, {"indent": 2}, {"indent": 2, "sort_keys": True}]))
def test_dumps_writes_the_values_of_json_safe_in_the_layout_of_json_dumps(tree, kw):
    """The values are those of ``json_safe(tree)`` (read back, NaN spelled "nan"); the text is
    ``json.dumps``'s (indented: as it is; one line: without spaces), but for floats below 1e-4."""
    safe = _outcome(json_safe, tree)
    got = _outcome(dumps, tree, **kw)
    assert got[0] == safe[0]
    if got[0] == "error":
        assert got == safe
        return
    assert json.loads(got[1]) == json.loads(json.dumps(safe[1]))
    if _spelled_alike(tree):
        layout = {} if kw.get("indent") else {"separators": (",", ":")}
        assert got[1] == json.dumps(safe[1], ensure_ascii=False, allow_nan=False, **kw, **layout)


@pytest.mark.parametrize("value, text", [
    (1e-05, "0.00001"), (1.5e-07, "1.5e-7"), (1e-4, "0.0001"), (1e16, "1e+16"), (-0.0, "-0.0"),
    (0.30000000000000004, "0.30000000000000004"), (2**70, "1180591620717411303424"),
])
def test_dumps_spells_floats_as_orjson_and_big_integers_as_python(value, text):
    assert dumps([value]) == f"[{text}]" and json.loads(text) == value


def test_dumps_spells_out_non_finite_floats_and_numpy_values():
    assert dumps({"a": [1.5, float("nan")], "b": (np.float64(2.0), float("-inf"))}, sort_keys=True) == (
        '{"a":[1.5,"nan"],"b":[2.0,"-inf"]}')
    assert dumps({"x": [0.5, -0.0], "é": "中", "n": None}, indent=2) == (
        '{\n  "x": [\n    0.5,\n    -0.0\n  ],\n  "é": "中",\n  "n": null\n}')
    assert dumps([np.float32(0.1), np.array([[1, 2]]), {1: (None, float("inf"))}]) == (
        '[0.10000000149011612,[[1,2]],{"1":[null,"inf"]}]')


def test_dumps_leaves_what_orjson_refuses_to_the_standard_library():
    # A lone surrogate (a notebook's JSON can hold "\\ud800"), an integer beyond 64 bits.
    tree = {"s": "a\ud800", "n": [2**70, None]}
    assert dumps(tree) == json.dumps(tree, ensure_ascii=False, separators=(",", ":"))
    assert dumps(tree, indent=2) == json.dumps(tree, ensure_ascii=False, indent=2)


def test_dumps_writes_two_space_indents_only():
    with pytest.raises(ValueError, match="indent must be None or 2, not 4"):
        dumps({}, indent=4)


# --- remembered previews and MathML give what a fresh computation gives ---------------------------

def test_preview_is_the_same_when_remembered():
    summary = "shape {shape}, min {min}, max {max}, mean {mean}"
    for value in ([[1.0, -0.0]], [[1.0, 0.0]], [[1, 2.5]], [[True, 2]], [["nan", 1.0]], [[0.1] * 50],
                  [[1.0, 2.0], [3.0]], [1e-9, 1e9]):
        first = fmt.preview(value, summary)
        assert fmt.preview(value, summary) == first == fmt._preview(value, summary)
    assert fmt.preview([[1.0, -0.0]], summary) == "[[ 1. -0.]]"
    assert fmt.preview([[1.0, 0.0]], summary) == "[[1. 0.]]"
    with np.printoptions(sign="+"):
        assert fmt.preview([[1.0, 0.5]], summary) == "[[+1.  +0.5]]"
    assert fmt.preview([[1.0, 0.5]], summary) == "[[1.  0.5]]"


def test_safe_mathml_is_the_same_when_remembered():
    import sympy

    markup = expr_to_mathml(sympy.Symbol("c_prev") * sympy.tanh(sympy.Symbol("x")))
    inline = safe_mathml(markup)
    assert safe_mathml(markup) == inline and 'display="inline"' in inline
    assert 'display="block"' in safe_mathml(markup, display="block")
    assert safe_mathml(markup.replace("<mi>", "<script>", 1)) is None
    assert safe_mathml(["<math/>"]) is None
