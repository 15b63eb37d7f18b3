"""Every named mistake, handed in as a real submission, is diagnosed by the batch grader; a correct
submission gets no diagnosis at all."""
import json
from pathlib import Path

import pytest

from grader.pipeline.batch import GradeOptions, grade_batch
from grader.diagnosis.mistakes import MISTAKES
from grader.diagnosis.submissions import buggy_submission_source

# every test reads the batch graded here: grading must not stop on this machine
pytestmark = pytest.mark.needs_layer()

ROOT = Path(__file__).resolve().parents[2]
BASE = (ROOT / "assignments" / "nndl_ch6" / "solution.py").read_text(encoding="utf-8")
#: The mistakes with functions in nndl-ch6 (the others belong to the cache-style assignment only).
NNDL_MISTAKES = sorted(m for m in MISTAKES if MISTAKES[m].items)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    subs = tmp_path_factory.mktemp("subs")
    out = tmp_path_factory.mktemp("out")
    for mistake in NNDL_MISTAKES:
        (subs / f"{mistake}.py").write_text(buggy_submission_source(mistake, BASE), encoding="utf-8")
    (subs / "correct.py").write_text(BASE, encoding="utf-8")
    grade_batch(subs, "nndl-ch6", out, options=GradeOptions(workers=2, progress=False, lang="en"))
    return out


def _items(out, student):
    return json.loads((out / "students" / student / "grade.json").read_text(encoding="utf-8"))["items"]


@pytest.mark.parametrize("mistake", NNDL_MISTAKES)
def test_each_mistake_is_diagnosed_where_it_shows(graded, mistake):
    items = _items(graded, mistake)
    failing = {k: v for k, v in items.items() if v["kind"] == "code" and v["status"] != "passed"}
    assert failing, f"{mistake}: the buggy submission passed everything"
    diagnosed = {k for k, v in failing.items() if mistake in v["diagnoses"]}
    assert diagnosed, {k: v["diagnoses"] for k, v in failing.items()}
    assert diagnosed <= set(MISTAKES[mistake].items)
    # nothing is diagnosed on an item that passed
    assert all(not v["diagnoses"] for v in items.values() if v["status"] == "passed")


def test_correct_submission_gets_no_diagnosis(graded):
    items = _items(graded, "correct")
    assert all(v["status"] in ("passed", "pending_manual") for v in items.values())
    assert all(v["diagnoses"] == [] for v in items.values())


def test_mistakes_the_numbers_cannot_tell_apart_reach_the_student_as_candidates(graded):
    """dc_missing_dh_path (made in the cell too) fits lstm_backward exactly as no_dc_carry does: both
    are named, grade.json groups them, and the report says each is one of the possible mistakes."""
    item = _items(graded, "dc_missing_dh_path")["lstm_backward"]
    assert item["diagnoses"] == ["dc_missing_dh_path", "no_dc_carry"]
    assert item["diagnosis_candidates"] == [["dc_missing_dh_path", "no_dc_carry"]]
    html = (graded / "students" / "dc_missing_dh_path" / "report.html").read_text(encoding="utf-8")
    label = "One of the possible mistakes (your numbers fit each of them equally): "
    assert html.count(label) == 2
    # a single diagnosis keeps its usual label, and grade.json no candidate groups
    single = _items(graded, "no_tanh_on_c")["lstm_cell_forward"]
    assert single["diagnoses"] == ["no_tanh_on_c"] and "diagnosis_candidates" not in single
