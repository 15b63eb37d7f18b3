"""A batch of hostile and broken submissions grades to completion, every row present, each failure
costing only what it touched.

Each submission is the correct student-style solution plus one hostile change, so that the exact
outcome of every item is known: the touched item fails with a clear message, all others pass.
"""
import json
import os
import time
from pathlib import Path

import pytest

from grader.messages import localized
from grader.pipeline.batch import GradeOptions, grade_batch
from grader.store.gradebook import Gradebook

# every test reads the batch graded here: grading must not stop on this machine
pytestmark = pytest.mark.needs_layer()

ROOT = Path(__file__).resolve().parents[2]
SOLUTION = (ROOT / "assignments" / "nndl_ch6" / "solution.py").read_text(encoding="utf-8")
CODE_ITEMS = ["lstm_cell_forward", "lstm_cell_backward", "lstm_forward", "lstm_backward", "gru_cell_forward",
              "gru_cell_backward", "gru_forward", "gru_backward", "residual_rnn_forward",
              "residual_rnn_backward", "residual_rnn_step_jacobian", "clip_by_global_norm"]

MARKER = "rnngrade-corpus-escape"

# student -> (text placed BEFORE the solution, text placed AFTER it)
PREFIX = {
    "loop_at_import": "while True:\n    pass\n",
    "sys_exit_at_import": "import sys\nsys.exit(3)\n",
    "os_exit_at_import": "import os\nos._exit(0)\n",
    "fork_bomb": "import os\nfor _ in range(50):\n    try:\n        os.fork()\n    except OSError:\n        pass\n",
    "setsid_escape": ("import os\ntry:\n    if os.fork() == 0:\n        os.setsid()\n        import time\n"
                      "        time.sleep(60)\nexcept OSError:\n    pass\n"),
    "sockets": ("import socket\ns = socket.socket()\ntry:\n    s.connect(('127.0.0.1', 9))\n"
                "except OSError as e:\n    print('socket refused:', e)\n"),
    "print_flood": "print('x' * (100 * 2**20))\n",
    "writes_outside": (f"for p in ['/tmp/{MARKER}', {str(ROOT / MARKER)!r}, '/var/tmp/{MARKER}']:\n"
                       "    try:\n        open(p, 'w').write('escaped')\n    except OSError as e:\n"
                       "        print('write refused:', e)\n"),
    "reads_outside": ("for p in ['/etc/shadow', 'gradebook.sqlite', {sol!r}]:\n"
                      "    try:\n        print(open(p).read()[:20])\n    except OSError as e:\n"
                      "        print('read refused:', type(e).__name__)\n").replace(
        "{sol!r}", repr(str(ROOT / "solutions" / "lstm.py"))),
    "monkeypatch_numpy": "import numpy as np\nnp.allclose = lambda *a, **k: True\nnp.isclose = lambda *a, **k: True\n",
}
SUFFIX = {
    "loop_in_function": "\ndef gru_forward(x, h0, parameters):\n    while True:\n        pass\n",
    "sys_exit_in_function": "\ndef lstm_forward(x, h0, parameters):\n    import sys\n    sys.exit(0)\n",
    "os_exit_in_function": "\ndef lstm_backward(dh, x, h0, parameters):\n    import os\n    os._exit(0)\n",
    "huge_allocation": "\ndef gru_cell_forward(xt, h_prev, parameters):\n    import numpy as np\n"
                       "    return np.ones((10 * 2**30 // 8,)), None\n",
    "memory_creep": "\ndef residual_rnn_forward(x, h0, parameters):\n    chunks = []\n    while True:\n"
                    "        chunks.append(bytearray(2**24))\n",  # 16 MiB steps: the limit, not the clock, on a busy machine
    "deep_recursion": "\ndef clip_by_global_norm(grads, max_norm):\n    return clip_by_global_norm(grads, max_norm)\n",
    "returns_list": "\n_ok_cell = lstm_cell_forward\ndef lstm_cell_forward(xt, h_prev, c_prev, parameters):\n"
                    "    return tuple(a.tolist() for a in _ok_cell(xt, h_prev, c_prev, parameters))\n",
    "returns_float32": "\n_ok = residual_rnn_step_jacobian\ndef residual_rnn_step_jacobian(xt, h_prev, parameters):\n"
                       "    return _ok(xt, h_prev, parameters).astype('float32')\n",
    "returns_nan": "\ndef residual_rnn_forward(x, h0, parameters):\n    import numpy as np\n"
                   "    return np.full((h0.shape[0], x.shape[1], x.shape[2]), np.nan)\n",
    "returns_wrong_shape": "\n_okf = gru_forward\ndef gru_forward(x, h0, parameters):\n    h, y = _okf(x, h0, parameters)\n"
                           "    return h[:, :, -1], y\n",
    "returns_none": "\ndef gru_backward(dh, x, h0, parameters):\n    return None\n",
    "returns_matrix": "\n_okj = residual_rnn_step_jacobian\ndef residual_rnn_step_jacobian(xt, h_prev, parameters):\n"
                      "    import numpy as np\n    J = _okj(xt, h_prev, parameters)\n"
                      "    return J.view(np.ndarray.__class__('Sub', (np.ndarray,), {}))\n",
    "wrong_after_monkeypatch": "\nimport numpy as np\nnp.allclose = lambda *a, **k: True\n"
                               "def residual_rnn_forward(x, h0, parameters):\n"
                               "    return np.zeros((h0.shape[0], x.shape[1], x.shape[2]))\n",
}
# touched item -> (status, a phrase its message must contain)
TOUCHED = {
    "loop_in_function": ("gru_forward", "timeout", "timed out"),
    "sys_exit_in_function": ("lstm_forward", "error", "SystemExit"),
    "os_exit_in_function": ("lstm_backward", "error", "exited with code 0"),
    "huge_allocation": ("gru_cell_forward", "error", "MemoryError"),
    "memory_creep": ("residual_rnn_forward", "error", "MemoryError"),
    "deep_recursion": ("clip_by_global_norm", "error", "RecursionError"),
    "returns_list": ("lstm_cell_forward", "failed", "numpy array"),
    "returns_float32": ("residual_rnn_step_jacobian", "failed", "float64"),
    "returns_nan": ("residual_rnn_forward", "failed", "NaN"),
    "returns_wrong_shape": ("gru_forward", "failed", "shape"),
    "returns_none": ("gru_backward", "failed", "None"),
    "wrong_after_monkeypatch": ("residual_rnn_forward", "failed", "values differ"),
}
BROKEN_FILES = {
    "broken_json.ipynb": b'{"cells": [ not json',
    "binary_garbage.ipynb": bytes(range(256)) * 8,
    "empty.py": b"",
}


def _syntax_error_notebook() -> str:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(SOLUTION), nbformat.v4.new_code_cell("def half_written(:\n    pass"),
                nbformat.v4.new_code_cell("x = 1")]
    return nbformat.writes(nb)


def _procs_of_uids(uids) -> list:
    found = []
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                with open(f"/proc/{p}/status") as f:
                    for line in f:
                        if line.startswith("Uid:") and uids(int(line.split()[1])):
                            found.append(int(p))
            except OSError:
                pass
    return found


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    subs = tmp_path_factory.mktemp("subs")
    out = tmp_path_factory.mktemp("out")
    for name, text in PREFIX.items():
        (subs / f"{name}.py").write_text(text + "\n" + SOLUTION, encoding="utf-8")
    for name, text in SUFFIX.items():
        (subs / f"{name}.py").write_text(SOLUTION + "\n" + text, encoding="utf-8")
    for name, data in BROKEN_FILES.items():
        (subs / name).write_bytes(data)
    (subs / "syntax_error_cell.ipynb").write_text(_syntax_error_notebook(), encoding="utf-8")
    (subs / "correct.py").write_text(SOLUTION, encoding="utf-8")
    tmp_before = set(os.listdir("/tmp"))
    summary = grade_batch(subs, "nndl-ch6", out, options=GradeOptions(
        workers=2, timeout=2.0, load_timeout=3.0, progress=False, lang="en"))
    time.sleep(0.2)
    return subs, out, summary, tmp_before


def _grade(out, student):
    return json.loads((out / "students" / student / "grade.json").read_text(encoding="utf-8"))


def test_every_submission_has_a_row_and_files(graded):
    subs, out, summary, _ = graded
    students = sorted(p.stem for p in subs.iterdir())
    with Gradebook(out / "gradebook.sqlite") as gb:
        assert gb.students() == students
    for s in students:
        for name in ("grade.json", "results.json", "report.html"):
            assert (out / "students" / s / name).is_file(), (s, name)
    lines = (out / "grades.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 + len(students)
    assert summary.graded == len(students)


def _shown(result):
    """The result as its reader sees it: messages are stored as keys and fields."""
    return localized(result, result.lang)


@pytest.mark.parametrize("student", sorted(TOUCHED))
def test_a_failure_costs_only_the_function_it_touched(graded, student):
    _, out, _, _ = graded
    g = _grade(out, student)
    item, status, phrase = TOUCHED[student]
    assert g["items"][item]["status"] == status, g["items"][item]
    assert g["items"][item]["score"] == 0.0
    with Gradebook(out / "gradebook.sqlite") as gb:
        cases = _shown(gb.get(student)).item(item).cases
    assert not any(c.passed for c in cases)
    assert any(phrase in c.message for c in cases), [c.message for c in cases]
    for other in CODE_ITEMS:
        if other != item and other not in _callers(item):
            assert g["items"][other]["status"] == "passed", (other, g["items"][other]["message"])


def _callers(item):
    # a student's sequence functions call their own cells and forwards: a broken callee costs them too
    return {"gru_cell_forward": {"gru_forward", "gru_backward", "gru_cell_backward"},
            "lstm_cell_forward": {"lstm_forward", "lstm_backward", "lstm_cell_backward"},
            "lstm_forward": {"lstm_backward"}, "gru_forward": {"gru_backward"},
            "residual_rnn_forward": {"residual_rnn_backward"}}.get(item, set())


@pytest.mark.parametrize("student", sorted(PREFIX))
def test_hostile_code_at_import_does_not_cost_the_functions(graded, student):
    _, out, _, _ = graded
    g = _grade(out, student)
    for item in CODE_ITEMS:
        assert g["items"][item]["status"] == "passed", (item, g["items"][item]["message"])
    assert g["isolation"]["summary"] == "full"


def test_import_time_failures_are_reported_with_their_place(graded):
    _, out, _, _ = graded
    with Gradebook(out / "gradebook.sqlite") as gb:
        loop = gb.get("loop_at_import")
        exit3 = gb.get("sys_exit_at_import")
        nb = gb.get("syntax_error_cell")
    assert loop.load_errors[0]["status"] == "timeout" and loop.load_errors[0]["where"].startswith("line 1")
    assert "SystemExit" in exit3.load_errors[0]["message"]
    assert [e["where"].split(",")[0] for e in nb.load_errors] == ["cell 2"]
    assert "SyntaxError" in nb.load_errors[0]["message"]
    assert all(i.status == "passed" for i in nb.items if i.kind == "code")


@pytest.mark.parametrize("name", sorted(BROKEN_FILES))
def test_unreadable_files_get_a_row_with_a_message(graded, name):
    _, out, _, _ = graded
    g = _grade(out, Path(name).stem)
    assert g["status"] == "load_error"
    assert g["score"] == 0.0
    assert set(g["items"]) >= set(CODE_ITEMS)


@pytest.mark.needs_layer("mount_namespace", "uid_drop")
def test_nothing_escaped_and_nothing_survives(graded):
    subs, out, _, tmp_before = graded
    assert not (ROOT / MARKER).exists()
    assert not Path("/var/tmp", MARKER).exists()
    assert not Path("/tmp", MARKER).exists()
    assert not any(MARKER in n for n in set(os.listdir("/tmp")) - tmp_before)
    # sandbox slots run as uids from 200000 up (see grader/sandbox/pool.py): none may be left
    assert _procs_of_uids(lambda uid: uid >= 200_000) == []
    # a read of the answer key or of /etc/shadow printed nothing from them
    reads = (out / "students" / "reads_outside" / "report.html").read_text(encoding="utf-8")
    assert "root:" not in reads and "def lstm" not in reads


def test_correct_submission_full_marks_on_code_and_symbolic(graded):
    _, out, _, _ = graded
    g = _grade(out, "correct")
    for item, entry in g["items"].items():
        if entry["kind"] in ("code", "symbolic"):
            assert entry["status"] == "passed", (item, entry["message"])


def test_a_hanging_function_costs_one_time_limit(graded):
    """Is a function that hung once skipped on its other cases, each saying why?"""
    _, out, _, _ = graded
    with Gradebook(out / "gradebook.sqlite") as gb:
        cases = _shown(gb.get("loop_in_function")).item("gru_forward").cases
    assert [c.status for c in cases] == ["timeout"] * len(cases)
    assert cases[0].message == "timed out after 2 s while running gru_forward"
    assert {c.message for c in cases[1:]} == {
        "not run: gru_forward timed out on an earlier case; its remaining cases were skipped"}


def test_class_files_read_from_the_light_results_equal_those_from_the_full_ones(graded, tmp_path):
    """The batch writes summary.html and grades.csv from each row's summary column: nothing a class
    view shows may be missing from it (timeouts, crashes, load errors, consistency credit)."""
    from assignments.spec import load_spec
    from grader.outputs.exports import write_class_files

    _, out, _, _ = graded
    spec = load_spec("nndl-ch6")
    with Gradebook(out / "gradebook.sqlite") as gb:
        full, light = gb.results(), gb.results(light=True)
    assert [r.score for r in full] == [r.score for r in light]
    for name, results in (("full", full), ("light", light)):
        write_class_files(tmp_path / name, results, spec, lang="en")
    for f in ("summary.html", "grades.csv"):
        assert (tmp_path / "light" / f).read_bytes() == (tmp_path / "full" / f).read_bytes(), f
    assert (out / "summary.html").read_bytes() == (tmp_path / "full" / "summary.html").read_bytes()
