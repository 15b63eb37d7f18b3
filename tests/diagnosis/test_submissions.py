"""Do the sample buggy submissions carry exactly their mistake, in plain student-like code?"""
from __future__ import annotations

import ast
import copy
import importlib.util
from pathlib import Path

import pytest

import assignments
from grader.diagnosis.diagnose import diagnose_case, diagnose_source
from grader.diagnosis.matching import same_outputs
from grader.diagnosis.mistakes import INDISTINGUISHABLE, MISTAKES
from grader.diagnosis.submissions import buggy_submission_source, variant_source
from grader.diagnosis.variants import BUGGY_FUNCTIONS, Variant
from grader.loading.units import CodeUnit
from tests.diagnosis.cases_support import make_case

BASE = (Path(assignments.__file__).parent / "nndl_ch6" / "solution.py").read_text(encoding="utf-8")


def load(source: str, path: Path):
    """Import our own generated source as a module (test-side only; it is not student code)."""
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("mistake_id", sorted(MISTAKES))
def test_a_buggy_submission_makes_its_mistake_and_nothing_else(mistake_id, tmp_path):
    source = buggy_submission_source(mistake_id, BASE)
    assert source.startswith(BASE.rstrip("\n"))
    module = load(source, tmp_path / f"sub_{mistake_id}.py")
    mistake = MISTAKES[mistake_id]
    for item in BUGGY_FUNCTIONS:
        shape = {"n_x": 3, "n_h": 5, "n_y": 2, "m": 4, "T": 3}  # the notebook globals' shapes
        case = make_case(item, shape, seed=17)
        got = getattr(module, item)(*copy.deepcopy(case.args))
        if item not in mistake.items:
            assert same_outputs(got, case.expected, case.rtol, case.atol), item
            continue
        forms = mistake.forms.get(item, ("",))
        in_process = Variant(mistake_id, item, forms[0])(*copy.deepcopy(case.args))
        assert same_outputs(got, in_process, 1e-12, 1e-12, reshape=False), item
        assert not same_outputs(got, case.expected, case.rtol, case.atol), item
        if mistake.detected_by == "numbers":
            bug = Variant(mistake_id, item, forms[0]).bug
            expected = next(([m for m in MISTAKES if any(b.split(":")[0] == m for b in g)]
                             for g in INDISTINGUISHABLE.get(item, ()) if bug in g), [mistake_id])
            assert diagnose_case(item, case, got) == expected, item


@pytest.mark.parametrize("mistake_id", sorted(MISTAKES))
def test_only_uses_notebook_globals_is_found_in_the_code(mistake_id):
    source = buggy_submission_source(mistake_id, BASE)
    for item in BUGGY_FUNCTIONS:
        found = diagnose_source(item, [CodeUnit("file", source)])
        flagged = mistake_id == "uses_notebook_globals" and item in MISTAKES[mistake_id].items
        assert found == (["uses_notebook_globals"] if flagged else []), item


def test_the_specialised_code_has_no_trace_of_the_switch():
    code = variant_source("no_tanh_on_c")
    tree = ast.parse(code)
    assert "bug" not in {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    assert "h_next = G['o'] * _squash_c(c_next)" in code
    assert "def _squash_c(c):\n    return c\n" in code
    names = [n.name for n in tree.body if isinstance(n, ast.FunctionDef)]
    assert {"lstm_cell_forward", "lstm_cell_backward", "lstm_forward", "lstm_backward"} <= set(names)
    assert not any(name.startswith("buggy_") for name in names)
    assert "_gru" not in code  # helpers of other families are not dragged along


def test_a_form_can_be_chosen():
    code = variant_source("gate_activation_swapped", form="o")
    assert "if gate == 'o':\n        return 'tanh'" in code or "'tanh' if gate == 'o' else 'sigmoid'" in code
    assert "gate == 'z'" in code  # the GRU items do not have the form "o": their first form is used


def test_an_unknown_mistake_is_named_in_the_error():
    with pytest.raises(KeyError, match="no mistake 'tanh_twice'; known mistakes: bias_grad_axis"):
        variant_source("tanh_twice")


def test_the_generated_globals_variant_reads_module_level_weights():
    code = variant_source("uses_notebook_globals")
    assert "Wf = np.random.default_rng(101).standard_normal((5, 8))" in code
    assert code.count("\nWy = ") == 1  # LSTM and GRU share one output layer



def test_a_buggy_function_written_the_one_mistake_way_is_specialised_too():
    """``bug == "name"`` and ``bug == "prefix:" + gate`` (a function that takes one string) fold as
    ``"name" in bug`` does for a composable one."""
    import ast as _ast

    from grader.diagnosis.submissions import _Specialise, _tidy_blocks

    source = (
        "def f(a, gate, bug=None):\n"
        "    if bug == 'scale':\n"
        "        a = 2 * a\n"
        "    if bug == 'drop:' + gate:\n"
        "        a = 0 * a\n"
        "    return a\n"
    )
    tree = _Specialise("drop:i").visit(_ast.parse(source).body[0])
    _tidy_blocks(tree)
    assert _ast.unparse(tree) == "def f(a, gate):\n    if gate == 'i':\n        a = 0 * a\n    return a"
