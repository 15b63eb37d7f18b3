"""The caches a grading worker keeps for a whole batch (rendered item articles and texts, value
previews, clean MathML) never hand one student's data to another, never hand an instructor's
rendering (solutions shown) to a student, and never hand one language's text to another.

The oracle is a cold rendering: the same result rendered with every cache emptied first. A warm
rendering (after other students, other languages, the instructor's view) must equal it byte for
byte, and must hold the student's own markers and none of the others'.
"""
from __future__ import annotations

import copy
import json

import pytest

from grader.outputs.exports import gradescope_results, write_student_files
from grader.model import CaseResult, ItemResult, OutputCheck, SubmissionResult
from grader.reports import fmt, item_feedback_text, memo
from grader.reports.mathml import _safe_mathml_cached

from .sample_results_support import HIDDEN_STDOUT, alice, all_results, bob, make_spec

pytestmark = pytest.mark.usefixtures("fixed_mistakes")

FILES = ("grade.json", "results.json", "report.html")
ANNA, BEN = "ANNA-7731", "BEN-9924"

# What bob's files must not show before solutions are released (see test_redaction.py).
SECRETS = ("731593", "7315926", HIDDEN_STDOUT, "RUBRIC-TEXT", "424242", "tanh")


def _empty_caches() -> None:
    memo.clear()
    fmt._PREVIEW_CACHE.clear()
    _safe_mathml_cached.cache_clear()


def _files(out, r: SubmissionResult, *, lang: str = "en", show_solutions: bool = False) -> dict:
    write_student_files(out, r, make_spec(), lang=lang, show_solutions=show_solutions)
    d = out / "students" / r.student
    return {name: (d / name).read_text(encoding="utf-8") for name in FILES}


def _cold(tmp_path, r: SubmissionResult, **kw) -> dict:
    _empty_caches()
    return _files(tmp_path / "cold", copy.deepcopy(r), **kw)


def _render_in_order(tmp_path, results: list, **kw) -> list[dict]:
    """Files of each result, in order, in one process, caches kept between students."""
    return [_files(tmp_path / f"warm-{k}", r, **kw) for k, r in enumerate(results)]


def _renamed(r: SubmissionResult, student: str) -> SubmissionResult:
    r.student = student
    r.path = f"{student}.ipynb"
    return r


# --- two students who differ in one field only ------------------------------------------------------

def _set_case_stdout(r, marker):
    r.item("lstm_cell_forward").cases[1].stdout = f"debug {marker}\n"


def _set_item_stdout(r, marker):
    r.item("lstm_cell_backward").stdout = f"printed {marker}\n"


def _set_free_text(r, marker):
    r.item("free_6_3").free["text"] = f"My own answer {marker}"


def _set_symbolic_answer(r, marker):
    r.item("answer_lstm_dc_prev").symbolic["answer"] = f"(dc + dh*o)*f  # {marker}"


def _set_manual_comment(r, marker):
    r.item("lstm_cell_forward").manual = {"points": None, "comment": f"Look at your gates, {marker}"}


def _set_free_grade(r, marker):
    r.item("free_6_3").manual = {"points": 3.0 if marker == ANNA else 9.0, "comment": f"graded {marker}"}


def _set_got_preview(r, marker):
    got = 0.777111 if marker == ANNA else 0.888222
    r.item("lstm_cell_forward").cases[1].outputs[0].got = [[got]]


def _set_error_message(r, marker):
    case = r.item("lstm_cell_forward").cases[1]
    case.status, case.outputs, case.message = "error", [], f"ValueError: bad shape in {marker}"


def _set_notes_and_path(r, marker):
    r.notes = [f"cell 3: skipped IPython magic `%time` ({marker})"]


# field -> (how it is changed, (anna's marker, ben's marker), the files that show it)
HTML, TEXT, GRADE = "report.html", "results.json", "grade.json"
FIELDS = {
    "case stdout": (_set_case_stdout, (ANNA, BEN), {HTML}),
    "item stdout": (_set_item_stdout, (ANNA, BEN), {HTML}),
    "free answer": (_set_free_text, (ANNA, BEN), {HTML}),
    "symbolic answer": (_set_symbolic_answer, (ANNA, BEN), {HTML, TEXT}),
    "manual comment": (_set_manual_comment, (ANNA, BEN), {HTML, TEXT, GRADE}),
    "manual grade of a free answer": (_set_free_grade, (ANNA, BEN), {HTML, TEXT, GRADE}),
    "returned value": (_set_got_preview, ("0.777111", "0.888222"), {HTML, TEXT}),
    "exception message": (_set_error_message, (ANNA, BEN), {HTML, TEXT}),
    "loader notes": (_set_notes_and_path, (ANNA, BEN), {HTML, GRADE}),
}


def _pair(field: str) -> tuple[SubmissionResult, SubmissionResult]:
    change = FIELDS[field][0]
    anna, ben = _renamed(bob(), "anna"), _renamed(bob(), "ben")
    change(anna, ANNA)
    change(ben, BEN)
    return anna, ben


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("field", sorted(FIELDS))
def test_a_student_rendered_after_another_sees_only_their_own_data(tmp_path, field, lang):
    _, (mark_a, mark_b), shown_in = FIELDS[field]
    anna, ben = _pair(field)
    for first, second, own, other in ((anna, ben, mark_b, mark_a), (ben, anna, mark_a, mark_b)):
        _empty_caches()
        files = _render_in_order(tmp_path / first.student, [first, second], lang=lang)[1]
        for name in FILES:
            assert (own in files[name]) is (name in shown_in), (name, own)
            assert other not in files[name], (name, other)
        assert files == _cold(tmp_path / "oracle", second, lang=lang)


def test_same_item_with_and_without_a_manual_override_shows_each_students_points(tmp_path):
    anna, ben = _renamed(bob(), "anna"), _renamed(bob(), "ben")
    anna.item("lstm_cell_backward").manual = {"points": 7.5, "comment": ""}
    _empty_caches()
    files = _render_in_order(tmp_path, [anna, ben])
    grades = [json.loads(f["grade.json"])["items"]["lstm_cell_backward"] for f in files]
    assert [g["score"] for g in grades] == [7.5, 5.0]  # ben: half of the cases' points, consistent
    assert [g["status"] for g in grades] == ["partial", "failed"]
    assert "7.5 / 10" in files[0]["report.html"] and "7.5 / 10" not in files[1]["report.html"]
    assert files[1] == _cold(tmp_path, ben)


# --- the instructor's rendering never serves a student ----------------------------------------------

@pytest.mark.parametrize("lang", ["en", "zh"])
def test_files_with_solutions_then_without_hold_no_solution(tmp_path, lang):
    _empty_caches()
    instructor = _render_in_order(tmp_path / "solutions", [bob(), _renamed(bob(), "bob2")], lang=lang,
                                  show_solutions=True)
    assert all(s in instructor[0]["report.html"] for s in ("731593", HIDDEN_STDOUT, "RUBRIC-TEXT", "424242"))
    student = _render_in_order(tmp_path / "student", [bob(), _renamed(bob(), "bob2")], lang=lang)
    for files in student:
        for name in FILES:
            for secret in SECRETS:
                assert secret not in files[name], (name, secret)
    assert student[1] == _cold(tmp_path, _renamed(bob(), "bob2"), lang=lang)


def test_text_of_an_item_with_solutions_then_without_holds_no_solution():
    spec = make_spec()
    _empty_caches()
    r = bob()
    with_solutions = gradescope_results(r, spec, lang="en", show_solutions=True)
    assert all(s in json.dumps(with_solutions, ensure_ascii=False) for s in ("731593", "424242", "tanh"))
    text = json.dumps(gradescope_results(r, spec, lang="en"), ensure_ascii=False)
    assert not any(s in text for s in SECRETS)


# --- one language's text never serves another -------------------------------------------------------

@pytest.mark.parametrize("order", [("zh", "en"), ("en", "zh")])
def test_a_language_rendered_after_another_is_its_own(tmp_path, order):
    first, second = order
    _empty_caches()
    for r in all_results():
        _files(tmp_path / first, r, lang=first)
    for r in all_results():
        assert _files(tmp_path / second, r, lang=second) == _cold(tmp_path / "cold", r, lang=second)
    en = _files(tmp_path / "en-again", bob(), lang="en")["report.html"]
    assert "Forward pass of one LSTM cell" in en and "LSTM 单元的前向计算" not in en


# --- the forward status a backward item's sentence refers to is the student's own -------------------

def test_identical_backward_items_read_against_each_students_own_forward(tmp_path):
    forward_ok = _renamed(bob(), "anna")
    forward_ok.items[0] = alice().item("lstm_cell_forward")
    forward_wrong = _renamed(bob(), "ben")
    assert forward_ok.item("lstm_cell_backward").to_dict() == forward_wrong.item("lstm_cell_backward").to_dict()
    for order in ((forward_ok, forward_wrong), (forward_wrong, forward_ok)):
        _empty_caches()
        files = _render_in_order(tmp_path / order[0].student, list(order))
        for r, f in zip(order, files):
            assert f == _cold(tmp_path, r)
            outputs = [t["output"] for t in json.loads(f["results.json"])["tests"]]
            assert outputs == [item_feedback_text(i, make_spec(), lang="en", result=r) for i in r.items]
        html = {r.student: f["report.html"] for r, f in zip(order, files)}
        wrong = "the forward is wrong, so fix lstm_cell_forward first"
        assert wrong in html["ben"] and wrong not in html["anna"]


# --- a whole class, warm against cold ---------------------------------------------------------------

def _class() -> list[SubmissionResult]:
    out = all_results()
    for field in sorted(FIELDS):
        anna, ben = _pair(field)
        out += [_renamed(anna, f"anna-{len(out)}"), _renamed(ben, f"ben-{len(out)}")]
    return out


@pytest.mark.parametrize("show_solutions", [False, True])
def test_every_students_files_equal_a_cold_rendering_whatever_came_before(tmp_path, show_solutions):
    _empty_caches()
    students = _class()
    # Warm the caches with both languages and the other show_solutions setting first.
    for r in students:
        _files(tmp_path / "other", r, lang="zh", show_solutions=not show_solutions)
    warm = [_files(tmp_path / "warm", r, show_solutions=show_solutions) for r in reversed(students)]
    for r, files in zip(reversed(_class()), warm):
        assert files == _cold(tmp_path, r, show_solutions=show_solutions), r.student


# --- the memo holds a bounded amount of text ----------------------------------------------------------

def _noisy(k: int) -> SubmissionResult:
    """A student whose failing item prints 4,000 characters on each of 11 public cases, all of them
    characters HTML escapes to four (the report of such an item is ~200,000 characters)."""
    cases = [CaseResult(case_id=f"public-{j}", visibility="public", passed=False, status="failed", label=f"case {j}",
                        message="values differ", stdout=f"{k}-{j}" + "<" * 4000,
                        outputs=[OutputCheck(name="h", passed=False, stage="values", message="values differ",
                                             expected=[[1.0]], got=[[float(k)]])])
             for j in range(11)]
    item = ItemResult(item="lstm_cell_forward", kind="code", max_score=6, status="failed", cases=cases)
    return SubmissionResult(student=f"noisy-{k}", status="graded", assignment="nndl-ch6", version="v",
                            items=[item])


def test_the_memo_holds_at_most_twenty_million_characters(tmp_path):
    _empty_caches()
    for k in range(160):
        _files(tmp_path, _noisy(k))
    held = sum(len(key[2]) + len(text) for key, text in memo._MEMO.items())
    assert held <= 20_000_000
    # what is left out of the memo is still rendered right
    assert _files(tmp_path, _noisy(3)) == _cold(tmp_path, _noisy(3))


# --- a real batch: one worker grades three students who share a bug -----------------------------------

def _student_source(marker: str) -> str:
    from tests.grader.test_batch_corpus import SOLUTION

    return (f"print('loaded {marker}')\n" + SOLUTION
            + "\n_ok_cell = lstm_cell_forward\n"
              "def lstm_cell_forward(xt, h_prev, c_prev, parameters):\n"
              f"    print('inside {marker}')\n"
              "    h, c, y = _ok_cell(xt, h_prev, c_prev, parameters)\n"
              "    return 0.5 * h, c, y\n")


@pytest.mark.needs_layer()
def test_a_batch_worker_gives_each_student_their_own_files(tmp_path):
    from grader.pipeline.batch import GradeOptions, grade_batch

    markers = {"anna": ANNA, "ben": BEN, "cara": "CARA-5150"}
    subs = tmp_path / "subs"
    subs.mkdir()
    for student, marker in markers.items():
        (subs / f"{student}.py").write_text(_student_source(marker), encoding="utf-8")
    out = tmp_path / "out"
    _empty_caches()
    grade_batch(subs, "nndl-ch6", out, options=GradeOptions(workers=1, timeout=5.0, progress=False, lang="en"))
    files = {s: {n: (out / "students" / s / n).read_text(encoding="utf-8") for n in FILES} for s in markers}
    for student, marker in markers.items():
        assert f"inside {marker}" in files[student]["report.html"]
        for other, other_marker in markers.items():
            if other != student:
                assert all(other_marker not in text for text in files[student].values()), (student, other)
                assert f"{other}.py" not in files[student]["report.html"]
    # Same code, same bug: the files differ by the student's name and marker only.
    for student in ("ben", "cara"):
        for name in FILES:
            assert files[student][name] == files["anna"][name].replace("anna", student).replace(
                ANNA, markers[student]), (student, name)
