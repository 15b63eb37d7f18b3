"""The generated rnn-step-by-step notebooks: goldens, structure, placeholder stubs, solution filled.

Goldens live beside the first assignment's (tests/assignments/goldens); refresh them with
``python -m pytest tests/assignments --update-goldens``.
"""
import ast
import textwrap

import nbformat
import pytest

from assignments.generate import notebook_json, solution_notebook, student_notebook
from assignments.spec import load_spec
from ..test_generate import compare_golden

ITEMS = ["rnn_cell_forward", "rnn_forward", "lstm_cell_forward", "lstm_forward",
         "rnn_cell_backward", "rnn_backward", "lstm_cell_backward", "lstm_backward"]
SIGNATURES = {
    "rnn_cell_forward": "def rnn_cell_forward(xt, a_prev, parameters):",
    "rnn_forward": "def rnn_forward(x, a0, parameters):",
    "lstm_cell_forward": "def lstm_cell_forward(xt, a_prev, c_prev, parameters):",
    "lstm_forward": "def lstm_forward(x, a0, parameters):",
    "rnn_cell_backward": "def rnn_cell_backward(da_next, cache):",
    "rnn_backward": "def rnn_backward(da, caches):",
    "lstm_cell_backward": "def lstm_cell_backward(da_next, dc_next, cache):",
    "lstm_backward": "def lstm_backward(da, caches):",
}


@pytest.fixture(scope="module")
def spec():
    return load_spec("rnn-step-by-step")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_student_notebook_matches_golden(spec, lang, update_goldens):
    """Is the student notebook byte-for-byte what was reviewed, and generated twice the same?"""
    text = notebook_json(student_notebook(spec, lang))
    assert text == notebook_json(student_notebook(spec, lang))
    compare_golden(f"rnn-step-by-step.{lang}.ipynb", text, update_goldens)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_student_notebook_structure(spec, lang):
    """Valid nbformat 4.5, the eight items in the course's order with their check cells, the helpers
    imported from rnn_utils, four exercises."""
    nb = student_notebook(spec, lang)
    nbformat.validate(nb)
    assert nb.metadata["rnngrade"] == {"assignment": "rnn-step-by-step", "version": spec.version, "lang": lang}
    code_ids = [c.id for c in nb.cells if c.cell_type == "code" and c.id in ITEMS]
    assert code_ids == ITEMS
    cells = {c.id: c for c in nb.cells}
    for item in ITEMS:
        assert cells[item].source.splitlines()[0] == SIGNATURES[item]
        assert cells[f"{item}-check"].metadata["tags"] == ["rnngrade-check"]
        assert cells[f"{item}-check"].source.endswith(f"from rnngrade_local import check\ncheck('{item}', globals())")
    assert cells["helpers"].source == "import numpy as np\nfrom rnn_utils import sigmoid, softmax"
    headings = [c.source.splitlines()[0] for c in nb.cells if c.id.startswith("exercise-")]
    assert headings == {
        "zh": ["## 练习 1：简单 RNN 的前向计算", "## 练习 2：LSTM 的前向计算", "## 练习 3：简单 RNN 的反向传播",
               "## 练习 4：LSTM 的反向传播"],
        "en": ["## Exercise 1: a simple RNN, forward", "## Exercise 2: an LSTM, forward",
               "## Exercise 3: back-propagation through a simple RNN",
               "## Exercise 4: back-propagation through an LSTM"],
    }[lang]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_stubs_are_placeholders_between_markers(spec, lang):
    """Every stub parses, has one begin and one end marker, and assigns only None between them;
    the documented cache tuples are written for the students in the two cell forwards."""
    nb = student_notebook(spec, lang)
    cells = {c.id: c.source for c in nb.cells}
    begin, end = {"zh": ("你的代码从这里开始", "你的代码到这里结束"),
                  "en": ("your code starts here", "your code ends here")}[lang]
    for item in ITEMS:
        source = cells[item]
        ast.parse(source)
        lines = source.splitlines()
        starts = [k for k, line in enumerate(lines) if begin in line]
        ends = [k for k, line in enumerate(lines) if end in line]
        assert len(starts) == 1 and len(ends) == 1 and starts[0] < ends[0], item
        block = textwrap.dedent("\n".join(lines[starts[0] + 1:ends[0]]))
        for statement in ast.parse(block).body:
            if isinstance(statement, ast.Assign):
                assert isinstance(statement.value, ast.Constant) and statement.value.value is None, item
            else:
                assert isinstance(statement, ast.For), f"{item}: {ast.unparse(statement)}"
    assert "cache = (a_next, a_prev, xt, parameters)" in cells["rnn_cell_forward"]
    assert "cache = (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)" in cells["lstm_cell_forward"]


def test_a_stub_returns_placeholders(spec):
    """Our own generated stub, run: it returns the None placeholders (what the grader calls unanswered)."""
    source = next(c.source for c in student_notebook(spec, "en").cells if c.id == "rnn_cell_backward")
    namespace = {}
    exec(compile(source, "rnn_cell_backward", "exec"), namespace)  # our own template, not student code
    grads = namespace["rnn_cell_backward"](None, (None, None, None, {"Wax": None, "Waa": None}))
    assert grads == {"dxt": None, "da_prev": None, "dWax": None, "dWaa": None, "dba": None}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_solution_notebook_is_filled_and_has_no_appendix(spec, lang):
    """The stubs are replaced by solution.py's functions; the nndl-ch6 derivations are not appended."""
    nb = solution_notebook(spec, lang)
    nbformat.validate(nb)
    assert nb.metadata["rnngrade"]["solution"] is True
    cells = {c.id: c for c in nb.cells}
    for item in ITEMS:
        assert "None" not in cells[item].source and cells[item].source.startswith(SIGNATURES[item])
    assert not any(c.id.startswith("appendix") for c in nb.cells)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_solution_notebook_runs(spec, lang, tmp_path, monkeypatch):
    """The solution notebook's code cells (helpers and functions, not the check cells) run with
    rnn_utils beside them, and the functions agree with the answer key on a small case."""
    import numpy as np

    import solutions.rnn_step_by_step as key

    monkeypatch.syspath_prepend(str(spec.base_dir))
    monkeypatch.delitem(__import__("sys").modules, "rnn_utils", raising=False)
    namespace = {}
    for cell in solution_notebook(spec, lang).cells:
        if cell.cell_type == "code" and "rnngrade-check" not in cell.metadata.get("tags", []):
            exec(compile(cell.source, cell.id, "exec"), namespace)  # our own solution cells
    rng = np.random.default_rng(12)
    x, a0 = rng.standard_normal((3, 4, 5)), rng.standard_normal((2, 4))
    p = {k: rng.standard_normal((2, 5)) for k in ("Wf", "Wi", "Wc", "Wo")}
    p.update({k: rng.standard_normal((2, 1)) for k in ("bf", "bi", "bc", "bo")})
    p.update(Wy=rng.standard_normal((3, 2)), by=rng.standard_normal((3, 1)))
    da = rng.standard_normal((2, 4, 5))
    got = namespace["lstm_backward"](da, namespace["lstm_forward"](x, a0, p)[3])
    want = key.lstm_backward(da, key.lstm_forward(x, a0, p)[3])
    for name in want:
        np.testing.assert_allclose(got[name], want[name], rtol=1e-12, atol=1e-12, err_msg=name)
