"""assignments/nndl_ch6/solution.py, the student-style model solution, against the answer key."""
import ast
import importlib.util
import math
from pathlib import Path

import numpy as np
import pytest
import sympy

import solutions
from assignments.student_kit.rnngrade_expr import FUNCTIONS, expression_problems
from grader.core.generators import GENERATORS

SOLUTION = Path(__file__).resolve().parents[2] / "assignments" / "nndl_ch6" / "solution.py"


@pytest.fixture(scope="module")
def model():
    spec = importlib.util.spec_from_file_location("nndl_ch6_model_solution", SOLUTION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def assert_same(got, want, where):
    if isinstance(want, dict):
        assert isinstance(got, dict) and sorted(got) == sorted(want), where
        for key in want:
            assert_same(got[key], want[key], f"{where}[{key!r}]")
    elif isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want), where
        for k, (g, w) in enumerate(zip(got, want)):
            assert_same(g, w, f"{where}[{k}]")
    else:
        got, want = np.asarray(got), np.asarray(want)
        assert got.shape == want.shape and got.dtype == np.float64, where
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12, err_msg=where)


def test_every_code_item_equals_the_answer_key(spec, model):
    """Does each model function return what `solutions` returns, to 1e-12, on every shape of the spec?"""
    rng = np.random.default_rng(6_2)
    for item in spec.items_of("code"):
        for k, shape in enumerate(item.shapes * 2):
            args = GENERATORS[item.id](dict(shape), rng)
            assert_same(getattr(model, item.id)(*args), getattr(solutions, item.id)(*args), f"{item.id} shape {k}")


def test_model_uses_only_numpy(model):
    tree = ast.parse(SOLUTION.read_text(encoding="utf-8"))
    imports = [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]
    assert [ast.unparse(n) for n in imports] == ["import numpy as np"]


def _evaluate(node, env):
    """A tiny evaluator for our own answer strings (numbers, names, + - * / **, allowed calls)."""
    ops = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b,
           ast.Div: lambda a, b: a / b, ast.Pow: lambda a, b: a ** b}
    funcs = {"exp": math.exp, "log": math.log, "sqrt": math.sqrt, "tanh": math.tanh, "sinh": math.sinh,
             "cosh": math.cosh, "sigmoid": lambda a: 1 / (1 + math.exp(-a))}
    if isinstance(node, ast.Expression):
        return _evaluate(node.body, env)
    if isinstance(node, ast.BinOp):
        return ops[type(node.op)](_evaluate(node.left, env), _evaluate(node.right, env))
    if isinstance(node, ast.UnaryOp):
        value = _evaluate(node.operand, env)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        return env[node.id]
    if isinstance(node, ast.Call):
        return funcs[node.func.id](_evaluate(node.args[0], env))
    raise TypeError(type(node).__name__)


@pytest.mark.parametrize("item_id", ["answer_residual_dh", "answer_lstm_dc_prev", "answer_lstm_dforget",
                                     "answer_gru_dh_prev"])
def test_answer_strings_parse_and_agree_with_the_derivation(spec, model, item_id):
    """Does each model answer parse with the kit's checker and equal the SymPy reference at random points?"""
    item = spec.item(item_id)
    text = getattr(model, item_id)
    assert expression_problems(text, list(item.symbols) + list(item.abbreviations), FUNCTIONS) == []
    reference = spec.resolve(item.reference)()
    symbols = sorted(reference.free_symbols, key=str)
    numeric = sympy.lambdify(symbols, reference.rewrite(sympy.exp), "math")
    rng = np.random.default_rng(4)
    abbreviations = {name: ast.parse(expr, mode="eval") for name, expr in item.abbreviations.items()}
    for _ in range(20):
        env = {s: float(rng.uniform(*item.domain.get(s, (-2.0, 2.0)))) for s in item.symbols}
        for name in ("c", "z", "r", "n"):  # definitions in dependency order (n uses r)
            if name in abbreviations:
                env[name] = _evaluate(abbreviations[name], env)
        got = _evaluate(ast.parse(text, mode="eval"), env)
        want = numeric(*[env[str(s)] for s in symbols])
        assert got == pytest.approx(want, rel=1e-10, abs=1e-12)


def test_model_answers_exist_for_free_items(spec, model):
    for item in spec.items_of("free"):
        assert len(getattr(model, item.id).split()) > 40
