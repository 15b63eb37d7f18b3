"""assignments/rnn_step_by_step/solution.py (student style), its generators and its rnn_utils,
against the answer key ``solutions.rnn_step_by_step``.

The spec file is read with tomllib here (not through the spec loader), so that these tests say
only what they are about: every shape of every item, the student-style functions against the key,
forward outputs and caches entry by entry, backwards on the key's cache and on their own.
"""
import ast
import importlib.util
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest

import solutions.rnn_step_by_step as key
from solutions.activations import sigmoid as key_sigmoid, softmax as key_softmax

FOLDER = Path(__file__).resolve().parents[3] / "assignments" / "rnn_step_by_step"
SPEC = tomllib.loads((FOLDER / "spec.toml").read_text(encoding="utf-8"))
ITEMS = {item["id"]: item for item in SPEC["items"]}
FORWARD_OF = {"rnn_cell_backward": "rnn_cell_forward", "rnn_backward": "rnn_forward",
              "lstm_cell_backward": "lstm_cell_forward", "lstm_backward": "lstm_forward"}


def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def model():
    """solution.py imported as a student's file is: ``rnn_utils`` importable beside it."""
    sys.path.insert(0, str(FOLDER))
    try:
        sys.modules.pop("rnn_utils", None)
        return load("rnn_step_by_step_model_solution", FOLDER / "solution.py")
    finally:
        sys.path.remove(str(FOLDER))
        sys.modules.pop("rnn_utils", None)


@pytest.fixture(scope="module")
def inputs():
    return load("rnn_step_by_step_case_inputs", FOLDER / "case_inputs.py")


def assert_same(got, want, where):
    """Same structure; arrays equal to 1e-12; the parameters dict is the very dict passed in."""
    if isinstance(want, dict) and not any(isinstance(v, np.ndarray) and k.startswith("d") for k, v in want.items()):
        assert got is want, f"{where}: the cache must keep the parameters dict it was given"
    elif isinstance(want, dict):
        assert isinstance(got, dict) and list(got) == list(want), f"{where}: keys {list(got)} != {list(want)}"
        for k in want:
            assert_same(got[k], want[k], f"{where}[{k!r}]")
    elif isinstance(want, (tuple, list)):
        assert type(got) is type(want) and len(got) == len(want), where
        for k, (g, w) in enumerate(zip(got, want)):
            assert_same(g, w, f"{where}[{k}]")
    else:
        got, want = np.asarray(got), np.asarray(want)
        assert got.shape == want.shape and got.dtype == np.float64, f"{where}: {got.shape} vs {want.shape}"
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12, err_msg=where)


def test_the_spec_lists_the_contract():
    """Item ids, points and parameters as the contract fixes them."""
    assert {i: (ITEMS[i]["points"], ITEMS[i]["params"]) for i in ITEMS} == {
        "rnn_cell_forward": (10, ["xt", "a_prev", "parameters"]),
        "rnn_forward": (10, ["x", "a0", "parameters"]),
        "lstm_cell_forward": (10, ["xt", "a_prev", "c_prev", "parameters"]),
        "lstm_forward": (10, ["x", "a0", "parameters"]),
        "rnn_cell_backward": (10, ["da_next", "cache"]),
        "rnn_backward": (15, ["da", "caches"]),
        "lstm_cell_backward": (15, ["da_next", "dc_next", "cache"]),
        "lstm_backward": (20, ["da", "caches"]),
    }
    for backward, forward in FORWARD_OF.items():
        (arg, source), = ITEMS[backward]["produced"].items()
        assert source["by"] == forward and ITEMS[backward]["credit"] == {"reference_cache": 0.8, "own_cache": 0.2}
        assert arg in ITEMS[backward]["params"]


@pytest.mark.parametrize("item_id", [i for i in ITEMS if i not in FORWARD_OF])
def test_forward_equals_the_answer_key(item_id, model, inputs):
    """Outputs and caches, entry by entry, on every shape of the item (twice, different draws)."""
    rng = np.random.default_rng(2021)
    for k, shape in enumerate(ITEMS[item_id]["shapes"] * 2):
        args = getattr(inputs, item_id)(dict(shape), rng)
        assert_same(getattr(model, item_id)(*args), getattr(key, item_id)(*args), f"{item_id} shape {k}")


@pytest.mark.parametrize("item_id", list(FORWARD_OF))
def test_backward_equals_the_answer_key(item_id, model, inputs):
    """The generator gives the upstream gradient(s), then the forward's inputs in the cache's place:
    the model backward on its own forward's cache and on the key's equals the key's backward."""
    rng = np.random.default_rng(2021)
    forward = FORWARD_OF[item_id]
    n_upstream = len(ITEMS[item_id]["params"]) - 1
    for k, shape in enumerate(ITEMS[item_id]["shapes"] * 2):
        args = getattr(inputs, item_id)(dict(shape), rng)
        upstream, forward_inputs = args[:n_upstream], args[n_upstream:]
        assert len(forward_inputs) == len(ITEMS[forward]["params"])
        key_cache = getattr(key, forward)(*forward_inputs)[-1]
        own_cache = getattr(model, forward)(*forward_inputs)[-1]
        want = getattr(key, item_id)(*upstream, key_cache)
        assert_same(getattr(model, item_id)(*upstream, own_cache), want, f"{item_id} own cache, shape {k}")
        assert_same(getattr(model, item_id)(*upstream, key_cache), want, f"{item_id} key's cache, shape {k}")


def test_saturated_shapes_saturate(inputs):
    """The "saturated" case of the LSTM puts most gates within 1e-3 of 0 or 1."""
    shape = next(s for s in ITEMS["lstm_cell_forward"]["shapes"] if "scale" in s)
    _, _, _, cache = key.lstm_cell_forward(*inputs.lstm_cell_forward(dict(shape), np.random.default_rng(0)))
    gates = np.concatenate([cache[k].ravel() for k in (4, 5, 7)])
    assert np.mean(np.minimum(gates, 1 - gates) < 1e-3) > 0.5


def test_rnn_utils_has_sigmoid_and_softmax_only():
    utils = load("rnn_step_by_step_rnn_utils", FOLDER / "rnn_utils.py")
    public = sorted(n for n in vars(utils) if not n.startswith("_") and callable(getattr(utils, n)) and n != "np")
    assert public == ["sigmoid", "softmax"]
    z = np.random.default_rng(1).standard_normal((4, 6, 3)) * 50
    np.testing.assert_allclose(utils.sigmoid(z), key_sigmoid(z), rtol=1e-15, atol=1e-15)
    np.testing.assert_allclose(utils.softmax(z), key_softmax(z), rtol=1e-12, atol=1e-300)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        assert utils.sigmoid(np.array([-1000.0, 1000.0])).tolist() == [0.0, 1.0]
        np.testing.assert_allclose(utils.softmax(np.array([[1000.0], [0.0]])), [[1.0], [0.0]])


def test_model_imports_numpy_and_rnn_utils_only():
    tree = ast.parse((FOLDER / "solution.py").read_text(encoding="utf-8"))
    imports = [ast.unparse(n) for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]
    assert imports == ["import numpy as np", "from rnn_utils import sigmoid, softmax"]
