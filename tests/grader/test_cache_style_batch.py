"""Cache-style items through the real batch, on notebooks written like the course's real ones:
colab lines, automagic `cd`, `!pip`, the course's test helpers, template placeholders, half-written
cells, globals defined by test cells, a corrupted cache; then `rnngrade check`, the release and the
student kit with a support module."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner

from grader.cli import main
from grader.pipeline.folder_results import grade_folder

ROOT = Path(__file__).resolve().parents[2]
CACHE_SPEC = ROOT / "tests" / "cache_spec"
SOLUTION = (CACHE_SPEC / "solution.py").read_text(encoding="utf-8")


def _functions(source: str) -> dict:
    """The solution's functions by name (each a cell of its own)."""
    parts = source.split("\ndef ")
    return {p.split("(", 1)[0]: "def " + p.strip() + "\n" for p in parts[1:]}


GOOD = _functions(SOLUTION)
HEADER = ["from google.colab import drive\ndrive.mount('/content/drive')",
          "cd '/content/drive/My Drive/Sequence Models/Week 1'",
          "!pip install numpy\nimport numpy as np\nfrom cache_helpers import *\nfrom public_tests import *"]
TESTS = {  # the notebook's own test cells (the course's style: globals, then a helper from public_tests)
    "step_forward": "np.random.seed(1)\nxt_tmp = np.random.randn(3, 10)\nh_prev_tmp = np.random.randn(5, 10)\n"
                    "parameters_tmp = {'W': np.random.randn(5, 5), 'U': np.random.randn(5, 3), 'b': np.random.randn(5, 1)}\n"
                    "U = parameters_tmp['U']\n"
                    "h_next_tmp, cache_tmp = step_forward(xt_tmp, h_prev_tmp, parameters_tmp)\nstep_forward_test(step_forward)",
    "seq_forward": "x_tmp = np.random.randn(3, 10, 4)\nh_tmp, caches_tmp = seq_forward(x_tmp, h_prev_tmp, parameters_tmp)",
    "step_backward": "gradients_tmp = step_backward(np.random.randn(5, 10), cache_tmp)\nprint(gradients_tmp['dxt'][1][2])",
    "seq_backward": "dh_tmp = np.random.randn(5, 10, 7)  # another T than x: this cell raises\n"
                    "gradients_tmp = seq_backward(dh_tmp, caches_tmp)\nseq_backward_test(seq_backward)",
}
PLACEHOLDER_STEP_BACKWARD = '''def step_backward(dh_next, cache):
    h_next, h_prev, xt, parameters = cache
    dz = None
    dxt = None
    dh_prev = None
    dW = None
    dU = None
    db = None
    return {"dxt": dxt, "dh_prev": dh_prev, "dW": dW, "dU": dU, "db": db}
'''
PLACEHOLDER_SEQ_BACKWARD = '''def seq_backward(dh, caches):
    steps, x = None
    dx = None
    return {"dx": dx}
'''
ALIASING_SEQ_FORWARD = GOOD["seq_forward"].replace(
    "    h_next = h0\n", "    h[:, :, 0] = h0\n    h_next = h[:, :, 0]\n")
GLOBALS_STEP_BACKWARD = GOOD["step_backward"].replace('parameters["U"].T @ dz', "U.T @ dz")


def _notebook(functions: dict, extra_cells=()) -> str:
    cells = [nbformat.v4.new_code_cell(c) for c in HEADER]
    for name in ("step_forward", "seq_forward", "step_backward", "seq_backward"):
        cells.append(nbformat.v4.new_code_cell(functions.get(name, GOOD[name])))
        cells.append(nbformat.v4.new_code_cell(TESTS[name]))
    cells += [nbformat.v4.new_code_cell(c) for c in extra_cells]
    return nbformat.writes(nbformat.v4.new_notebook(cells=cells))


NOTEBOOKS = {
    "correct": _notebook({}),
    "placeholders": _notebook({"step_backward": PLACEHOLDER_STEP_BACKWARD, "seq_backward": PLACEHOLDER_SEQ_BACKWARD}),
    "aliasing": _notebook({"seq_forward": ALIASING_SEQ_FORWARD}, ["def half_written(x:\n    return"]),
    "globals": _notebook({"step_backward": GLOBALS_STEP_BACKWARD}),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    subs = tmp_path_factory.mktemp("subs")
    for name, text in NOTEBOOKS.items():
        (subs / f"{name}.ipynb").write_text(text, encoding="utf-8")
    out = tmp_path_factory.mktemp("out")
    return grade_folder(subs, str(CACHE_SPEC), out, workers=1, lang="en"), out, subs


def _row(table, student):
    return {item: (v["points"], v["status"], v["diagnoses"], v["cache_verdict"]) for item, v in table[student].items()}


@pytest.mark.needs_layer()
def test_a_real_style_notebook_grades_in_full(graded):
    table, _, _ = graded
    assert _row(table, "correct") == {
        "step_forward": (4.0, "passed", [], None), "seq_forward": (4.0, "passed", [], None),
        "step_backward": (5.0, "passed", [], None), "seq_backward": (5.0, "passed", [], None)}


@pytest.mark.needs_layer()
def test_template_placeholders_are_unanswered_and_their_test_cells_cost_nothing(graded):
    table, _, _ = graded
    assert _row(table, "placeholders") == {
        "step_forward": (4.0, "passed", [], None), "seq_forward": (4.0, "passed", [], None),
        "step_backward": (0.0, "unanswered", [], None), "seq_backward": (0.0, "unanswered", [], None)}
    assert table["placeholders"]["step_backward"]["message"] == (
        "0/2 cases passed; step_backward still holds the template's None placeholders: not answered yet.")


@pytest.mark.needs_layer()
def test_a_corrupted_cache_is_found_on_the_forward_and_the_backward_keeps_its_credit(graded):
    table, out, _ = graded
    assert _row(table, "aliasing") == {
        "step_forward": (4.0, "passed", [], None),
        "seq_forward": (0.0, "failed", ["state_aliasing"], "cache_corrupted"),
        "step_backward": (5.0, "passed", [], None),
        "seq_backward": (4.0, "partial", [], "right_on_reference_cache")}
    grade = json.loads((out / "students" / "aliasing" / "grade.json").read_text(encoding="utf-8"))
    assert grade["items"]["seq_backward"]["message"] == (
        "0/2 cases passed; public-0 (n_x=3, n_h=4, m=5, T=4): your seq_backward is right on a correct cache, but "
        "the cache your `seq_forward` returns is corrupted at step 0: `h_prev` was overwritten after it was stored "
        "(it shares memory with output h)")
    assert grade["items"]["seq_forward"]["message"] == (
        "0/2 cases passed; public-0 (n_x=3, n_h=4, m=5, T=4): the outputs are right, but the cache `caches` is "
        "corrupted at step 0: `h_prev` was overwritten after it was stored (it shares memory with output h)")


@pytest.mark.needs_layer()
def test_a_function_reading_a_test_cells_global_is_named(graded):
    table, _, _ = graded
    row = _row(table, "globals")
    # the global's shape fits one case (wrong values) and not the other (an exception): an error
    assert row["step_backward"] == (0.0, "error", ["uses_notebook_globals"], None)
    assert row["step_forward"] == (4.0, "passed", [], None)


@pytest.mark.needs_layer()
def test_rnngrade_check_says_both_verdicts_in_words(graded):
    _, _, subs = graded
    runner = CliRunner()
    en = runner.invoke(main, ["check", str(subs / "aliasing.ipynb"), "--assignment", str(CACHE_SPEC), "--lang", "en"])
    assert en.exit_code == 1, en.output
    assert ("       public-0 (n_x=3, n_h=4, m=5, T=4): your seq_backward is right on a correct cache, but the cache "
            "your `seq_forward` returns is corrupted at step 0: `h_prev` was overwritten after it was stored (it shares "
            "memory with output h)") in en.output.splitlines()
    zh = runner.invoke(main, ["check", str(subs / "aliasing.ipynb"), "--assignment", str(CACHE_SPEC), "--lang", "zh"])
    assert ("       public-0 (n_x=3, n_h=4, m=5, T=4): 你的 seq_backward 在正确的缓存上结果正确，但你的 `seq_forward` "
            "返回的缓存已损坏（第 0 步）：`h_prev` 在存入之后被覆盖了（它与 输出 h 共用内存）") in zh.output.splitlines()


def _with_templates(tmp_path) -> Path:
    """The test spec plus the built-in notebook templates and fixed words, so that it can be released."""
    spec = tmp_path / "cache_course"
    shutil.copytree(CACHE_SPEC, spec, ignore=shutil.ignore_patterns("__pycache__"))
    for template in (ROOT / "assignments" / "nndl_ch6" / "templates").glob("*.j2"):
        shutil.copy(template, spec / "templates" / template.name)
    for lang in ("en", "zh"):
        words = (ROOT / "assignments" / "nndl_ch6" / "i18n" / f"{lang}.toml").read_text(encoding="utf-8")
        ui = words[words.index("[ui]"):words.index("[exercises.")]
        target = spec / "i18n" / f"{lang}.toml"
        target.write_text(ui + target.read_text(encoding="utf-8"), encoding="utf-8")
    return spec


def test_the_release_ships_the_support_module_and_the_kit_uses_it(tmp_path):
    from assignments.release import assign

    release = assign(_with_templates(tmp_path), tmp_path / "out", lang="en")
    student = release.student_dir
    assert (student / "cache_helpers.py").read_text() == (CACHE_SPEC / "cache_helpers.py").read_text()
    assert not (student / "cache_refs.py").exists() and not (student / "solution.py").exists()
    shutil.copy(release.instructor_dir / "cache-demo-solution.ipynb", student / "cache-demo.ipynb")
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=student,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:]
    assert "PASS step_backward (1/1 public cases)" in run.stdout and "FAIL" not in run.stdout
