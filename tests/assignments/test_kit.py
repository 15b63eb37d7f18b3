"""The student kit's pieces: the expression checker, the case codec, finding and running a notebook."""
import importlib
import json
import sys

import numpy as np
import pytest

from assignments.case_files import ArrayStore, encode
from assignments.student_kit.rnngrade_expr import FUNCTIONS, expression_problems


@pytest.fixture(scope="module")
def kit(release):
    sys.path.insert(0, str(release.student_dir))
    try:
        yield importlib.import_module("rnngrade_local")
    finally:
        sys.path.remove(str(release.student_dir))


NAMES = ["dh", "dc", "f", "c"]


@pytest.mark.parametrize("text, problems", [
    ("(dc + dh*f)*f", []),
    ("sigmoid(f)**2 - -1.5e-3", []),
    ("", ["the answer is empty"]),
    ("dh^2", ["`^` is not a power in Python: write x**2, not x^2"]),
    ("dh*c_t", ["unknown name `c_t`; allowed names: c, dc, dh, f"]),
    ("tanh", ["`tanh` is a function: call it with one argument, e.g. tanh(x)"]),
    ("max(dh, dc)", ["function `max` is not allowed; allowed functions: cosh, exp, log, sigmoid, sinh, sqrt, tanh"]),
    ("exp(dh, dc)", ["`exp` takes exactly one argument"]),
    ("__import__('os')", ["function `__import__` is not allowed; allowed functions: cosh, exp, log, sigmoid, sinh, "
                          "sqrt, tanh", "only numbers may appear as constants, not 'os'"]),
    ("dh.real", ["`dh.real` is not allowed in an answer; use numbers, names, + - * / ** and the functions cosh, exp, "
                 "log, sigmoid, sinh, sqrt, tanh"]),
    ("dh if f else dc", ["`dh if f else dc` is not allowed in an answer; use numbers, names, + - * / ** and the "
                         "functions cosh, exp, log, sigmoid, sinh, sqrt, tanh"]),
    ("dh % 2", ["operator `%` is not allowed; use + - * / **"]),
    ("True*dh", ["only numbers may appear as constants, not True"]),
], ids=lambda v: v if isinstance(v, str) else None)
def test_expression_problems_are_worded_for_students(text, problems):
    assert expression_problems(text, NAMES, FUNCTIONS) == problems


def test_syntax_errors_say_where_and_how_to_write_products():
    (problem,) = expression_problems("2 dh", NAMES, FUNCTIONS)
    assert problem.startswith("it is not a valid expression at column ")
    assert problem.endswith("; write products with * and powers with **")


def test_codec_round_trip(kit):
    """Does the kit decode exactly what the release writer encoded, with fresh arrays?"""
    value = ({"dWf": np.arange(6.0).reshape(2, 3), "db": np.array([[1.5]])}, 2.25, [np.zeros((1, 2, 3))], None, 7)
    store = ArrayStore()
    tree = json.loads(json.dumps(encode(value, store)))
    decoded = kit.decode(tree, store.arrays)
    assert isinstance(decoded, tuple) and decoded[1:2] == (2.25,) and decoded[3:] == (None, 7)
    np.testing.assert_array_equal(decoded[0]["dWf"], value[0]["dWf"])
    assert decoded[0]["dWf"] is not store.arrays[tree["items"][0]["items"]["dWf"]["key"]]
    assert decoded[2][0].shape == (1, 2, 3)


def _write_notebook(path, cells):
    nb = {"nbformat": 4, "nbformat_minor": 5, "metadata": {"rnngrade": {"version": "v1"}}, "cells": [
        {"cell_type": kind, "id": f"c{k}", "metadata": {"tags": tags}, "source": source,
         **({"outputs": [], "execution_count": None} if kind == "code" else {})}
        for k, (kind, source, tags) in enumerate(cells)]}
    path.write_text(json.dumps(nb), encoding="utf-8")


def test_run_notebook_skips_checks_and_magics_and_goes_on(kit, tmp_path):
    """Are check cells and magics skipped, and does a failing cell not stop the next ones?"""
    path = tmp_path / "nb.ipynb"
    _write_notebook(path, [
        ("markdown", "# title", []),
        ("code", "%matplotlib inline\nx = 1", []),
        ("code", "raise RuntimeError('boom')", []),
        ("code", "from rnngrade_local import check\ncheck('x', globals())\ny = 2", ["rnngrade-check"]),
        ("code", ["z = x", " + 1"], []),
    ])
    namespace, errors, metadata = kit.run_notebook(path)
    assert namespace["x"] == 1 and namespace["z"] == 2 and "y" not in namespace
    assert errors == [("cell 3", "RuntimeError: boom (<cell 3>, line 1)")]
    assert metadata == {"version": "v1"}


def test_find_notebook(kit, tmp_path, monkeypatch):
    index = {"notebook": "nndl-ch6.ipynb", "lang": "en"}
    monkeypatch.delenv("RNNGRADE_NOTEBOOK", raising=False)
    with pytest.raises(FileNotFoundError, match="no notebook found in .*: expected nndl-ch6.ipynb, or set "
                                                "RNNGRADE_NOTEBOOK=path/to/notebook.ipynb"):
        kit.find_notebook(tmp_path, index)
    (tmp_path / "mine.ipynb").write_text("{}", encoding="utf-8")
    assert kit.find_notebook(tmp_path, index).name == "mine.ipynb"
    (tmp_path / "other.ipynb").write_text("{}", encoding="utf-8")
    with pytest.raises(FileNotFoundError, match=r"several notebooks in .* \(mine.ipynb, other.ipynb\) and none is "
                                                r"named nndl-ch6.ipynb"):
        kit.find_notebook(tmp_path, index)
    (tmp_path / "nndl-ch6.ipynb").write_text("{}", encoding="utf-8")
    assert kit.find_notebook(tmp_path, index).name == "nndl-ch6.ipynb"
    monkeypatch.setenv("RNNGRADE_NOTEBOOK", str(tmp_path / "other.ipynb"))
    assert kit.find_notebook(tmp_path, index).name == "other.ipynb"


def test_a_wrong_answer_gets_the_graders_staged_message(kit):
    """Is a transposed result reported with the checker's own shape message?"""
    import solutions

    def residual_rnn_step_jacobian(xt, h_prev, parameters):
        return np.transpose(solutions.residual_rnn_step_jacobian(xt, h_prev, parameters), (1, 2, 0))

    report = kit.run_item("residual_rnn_step_jacobian", {"residual_rnn_step_jacobian": residual_rnn_step_jacobian})
    # public-1 has m = 1 and n_h = 1, where a transposed J has the right shape and values.
    assert not report.passed and report.n_passed == 1 and report.n_cases == 2
    assert report.lines[0] == "public-0 [n_h=5, m=4]:"
    assert report.lines[1].startswith("  J: wrong shape: got (5, 5, 4), expected (4, 5, 5)")
    assert kit.run_item("residual_rnn_step_jacobian", {}).lines == [
        "`residual_rnn_step_jacobian` is not defined: run the cell that defines it (or check its spelling)"]
    good = kit.run_item("answer_lstm_dc_prev", {"answer_lstm_dc_prev": "(dc + dh*o*(1 - tanh(c)**2))*f"})
    assert good.passed and good.lines == [
        "expression parses and uses allowed names only (equivalence is graded after you submit)"]


def test_kit_files_are_python39_numpy_and_stdlib_only(release):
    """Can a student on Python 3.9 without rnngrade run the kit: syntax, imports, no fork, no TOML?"""
    import ast

    allowed = {"__future__", "ast", "json", "os", "sys", "traceback", "pathlib", "numpy", "pytest", "re", "typing",
               "dataclasses", "difflib", "math", "rnngrade_local", "rnngrade_compare", "rnngrade_magics",
               "rnngrade_expr", "rnngrade_texts"}
    for path in sorted(release.student_dir.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text, feature_version=(3, 9))
        modules = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        modules |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        # The checker reads the grader's catalogue with msgcat only beside its i18n folder, which the
        # kit has not (tests/checking/test_compare_standalone.py runs the copy without it).
        extra = {"msgcat"} if path.name == "rnngrade_compare.py" else set()
        assert modules <= allowed | extra, (path.name, modules - allowed - extra)
        attributes = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
        assert not attributes & {"fork", "forkpty", "spawnv"}, path.name  # tomllib is excluded by `allowed`
