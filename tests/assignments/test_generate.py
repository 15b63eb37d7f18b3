"""The generated notebooks: goldens, nbformat validity, stubs, tags, ids, and the step pipeline."""
import difflib
from pathlib import Path

import jinja2
import nbformat
import pytest

from assignments.generate import notebook_json, solution_notebook, student_notebook
from assignments.generate.draft import Draft, make_environment
from assignments.generate.steps import (AddCodeItems, AddDerivationAppendix, AddFreeItems, AddHowToCheck,
                                        AddSymbolicItems, FillSolutions, Pipeline, PipelineOrderError,
                                        RenderStatements, StampVersion, stub_message)

GOLDENS = Path(__file__).resolve().parent / "goldens"


def compare_golden(name: str, text: str, update: bool) -> None:
    path = GOLDENS / name
    if update:
        path.write_text(text, encoding="utf-8")
        return
    assert path.is_file(), f"no golden {name}; run: python -m pytest tests/assignments --update-goldens"
    golden = path.read_text(encoding="utf-8")
    if golden != text:
        diff = "".join(list(difflib.unified_diff(golden.splitlines(True), text.splitlines(True), name, "generated"))[:60])
        pytest.fail(f"{name} differs from its golden (refresh with --update-goldens if intended):\n{diff}")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_student_notebook_matches_golden(spec, lang, update_goldens):
    """Is the student notebook byte-for-byte what was reviewed, and generated twice the same?"""
    text = notebook_json(student_notebook(spec, lang))
    assert text == notebook_json(student_notebook(spec, lang))
    compare_golden(f"nndl-ch6.{lang}.ipynb", text, update_goldens)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_student_notebook_structure(spec, lang):
    """Valid nbformat 4.5, stable ids, tagged check and answer cells, stamped metadata?"""
    nb = student_notebook(spec, lang)
    nbformat.validate(nb)
    assert (nb.nbformat, nb.nbformat_minor) == (4, 5)
    assert nb.metadata["rnngrade"] == {"assignment": "nndl-ch6", "version": spec.version, "lang": lang}
    cells = {c.id: c for c in nb.cells}
    for item in spec.items_of("code"):
        assert cells[item.id].cell_type == "code"
        assert cells[f"{item.id}-check"].metadata["tags"] == ["rnngrade-check"]
        assert cells[f"{item.id}-check"].source.endswith(
            f"from rnngrade_local import check\ncheck('{item.id}', globals())")
    for item in spec.items_of("symbolic"):
        assert cells[item.id].source.endswith(f"{item.id} = ''")
        assert "sigmoid" in cells[item.id].source and ", ".join(item.symbols) in cells[item.id].source
    for item in spec.items_of("free"):
        assert cells[item.id].cell_type == "markdown" and cells[item.id].metadata["tags"] == [item.id]
    headings = [c.source.splitlines()[0] for c in nb.cells if c.id.startswith("exercise-")]
    expected = {"zh": ["## 习题 6-3", "## 习题 6-4", "## 习题 6-5", "## 附加题 6-1P", "## 附加题 6-2P"],
                "en": ["## Exercise 6-3", "## Exercise 6-4", "## Exercise 6-5", "## Extra exercise 6-1P",
                       "## Extra exercise 6-2P"]}[lang]
    assert headings == expected
    assert "(6.50, 1st ed. 2020)" in cells["exercise-6-3"].source
    assert "helpers" in cells and "def softmax(z):" in cells["helpers"].source


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_stub_raises_with_its_message(spec, lang):
    """Does calling each stub raise NotImplementedError telling the student what to implement?"""
    nb = student_notebook(spec, lang)
    draft = Draft.start(spec, lang)
    namespace = {}
    for item in spec.items_of("code"):
        source = next(c.source for c in nb.cells if c.id == item.id)
        exec(compile(source, item.id, "exec"), namespace)  # our own generated stub, not student code
        with pytest.raises(NotImplementedError) as info:
            namespace[item.id](*[None] * len(item.params))
        assert str(info.value) == stub_message(draft, item)
        assert item.id in str(info.value)
    assert stub_message(draft, spec.item("lstm_cell_forward")) == {
        "zh": "请实现 lstm_cell_forward（LSTM 单元的前向计算）：返回 元组 (h_next, c_next, yt_pred)，然后删除这一行 raise。",
        "en": "Implement lstm_cell_forward (Forward pass of one LSTM cell): return a tuple (h_next, c_next, yt_pred), "
              "then delete this raise line.",
    }[lang]


def test_stub_signatures_are_the_contract(spec):
    nb = student_notebook(spec, "en")
    first_lines = {c.id: c.source.splitlines()[0] for c in nb.cells if c.cell_type == "code"}
    assert first_lines["lstm_cell_backward"] == "def lstm_cell_backward(dh_next, dc_next, xt, h_prev, c_prev, parameters):"
    assert first_lines["clip_by_global_norm"] == "def clip_by_global_norm(grads, max_norm):"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_solution_notebook_is_filled(spec, lang):
    """Are stubs replaced by the reference bodies, answers and model answers filled, appendix added?"""
    nb = solution_notebook(spec, lang)
    nbformat.validate(nb)
    assert nb.metadata["rnngrade"]["solution"] is True
    assert not any("NotImplementedError" in c.source for c in nb.cells if c.cell_type == "code")
    cells = {c.id: c for c in nb.cells}
    assert cells["answer_lstm_dc_prev"].source.endswith("answer_lstm_dc_prev = '(dc + dh*o*(1 - tanh(c)**2))*f'")
    assert "constant error carousel" in cells["free_6_4"].source
    appendix = [c for c in nb.cells if c.id.startswith("appendix")]
    from solutions.derivation import derivation_markdown_sections

    assert [c.source for c in appendix[1:]] == [s.strip("\n") for s in derivation_markdown_sections(lang)]


def test_pipeline_order_is_enforced():
    """Is a step that comes before what it needs refused when the pipeline is built?"""
    with pytest.raises(PipelineOrderError, match="AddCodeItems must come after RenderStatements"):
        Pipeline([AddCodeItems(), RenderStatements(), AddSymbolicItems(), AddFreeItems(), AddHowToCheck(), StampVersion()])
    with pytest.raises(PipelineOrderError, match="StampVersion must be the last step"):
        Pipeline([RenderStatements(), AddCodeItems(), AddSymbolicItems(), AddFreeItems(), AddHowToCheck(),
                  StampVersion(), FillSolutions()])
    with pytest.raises(PipelineOrderError, match="AddDerivationAppendix must come after FillSolutions"):
        Pipeline([RenderStatements(), AddCodeItems(), AddSymbolicItems(), AddFreeItems(), AddHowToCheck(),
                  AddDerivationAppendix(), FillSolutions(), StampVersion()])


def test_a_step_run_out_of_order_refuses(spec):
    draft = Draft.start(spec, "en")
    with pytest.raises(PipelineOrderError, match="AddCodeItems needs RenderStatements to run first"):
        AddCodeItems()(draft)


def test_each_step_adds_its_cells(spec):
    """What does each step add to the draft, on its own?"""
    draft = Draft.start(spec, "en")
    RenderStatements()(draft)
    assert [c.id for c in draft.head] == ["intro", "helpers-md", "helpers"]
    assert list(draft.sections) == ["6-3", "6-4", "6-5", "6-1P", "6-2P"]
    assert all(len(cells) == 1 for cells in draft.sections.values())
    AddCodeItems()(draft)
    assert [c.id for c in draft.sections["6-5"]] == ["exercise-6-5"] + [
        f"{i}{suffix}" for i in ("gru_cell_forward", "gru_cell_backward", "gru_forward", "gru_backward")
        for suffix in ("-md", "", "-check")]
    AddSymbolicItems()(draft)
    assert [c.id for c in draft.sections["6-4"]] == ["exercise-6-4", "answer_lstm_dc_prev-md", "answer_lstm_dc_prev",
                                                     "answer_lstm_dc_prev-check", "answer_lstm_dforget-md",
                                                     "answer_lstm_dforget", "answer_lstm_dforget-check"]
    AddFreeItems()(draft)
    assert [c.id for c in draft.sections["6-1P"]] == ["exercise-6-1P", "free_6_1p-md", "free_6_1p"]
    AddHowToCheck()(draft)
    assert [c.id for c in draft.tail] == ["how-to-check"]
    FillSolutions()(draft)
    assert draft.find_cell("gru_forward").source.startswith("def gru_forward(x, h0, parameters):\n    n_h, m = h0.shape")
    StampVersion()(draft)
    assert draft.notebook.cells[0].id == "intro" and draft.notebook.cells[-1].id == "how-to-check"


def test_templates_are_strict_and_literals_go_through_repr(spec):
    """Does a missing variable fail, and does a quote in a message stay valid Python?"""
    draft = Draft.start(spec, "en")
    item = spec.item("gru_forward")
    with pytest.raises(jinja2.UndefinedError):
        draft.render("stub.py.j2", item=item)
    stub = draft.render("stub.py.j2", item=item, item_title="T", returns="r", message="it's \"quoted\" <b>\n")
    assert stub.splitlines()[-1] == "    raise NotImplementedError('it\\'s \"quoted\" <b>\\n')"
    env = make_environment(spec.base_dir / "templates")
    with pytest.raises(TypeError, match="cannot put a object into generated code"):
        env.filters["py"](object())
