"""Is a function that reads notebook globals found, from the code and from a probe call?"""
from __future__ import annotations

import copy
import textwrap

import numpy as np
import pytest

from grader.diagnosis.diagnose import diagnose_probe, diagnose_source, notebook_globals_read, probe_calls
from grader.diagnosis.variants import BUGGY_FUNCTIONS
from grader.loading.units import CodeUnit
from tests.diagnosis.cases_support import SHAPES, make_case, run

HEADER = "import numpy as np\nfrom math import sqrt\n\ndef sigmoid(x):\n    return 1 / (1 + np.exp(-x))\n"


def units(*sources: str) -> list[CodeUnit]:
    return [CodeUnit(f"cell {k + 1}", textwrap.dedent(s), k) for k, s in enumerate(sources)]


# (question, cells, expected globals read by lstm_cell_forward)
SNIPPETS = [
    ("Is a global Wf read instead of parameters['Wf'] flagged?",
     [HEADER, """
     Wf = np.random.randn(5, 8)
     def lstm_cell_forward(xt, h_prev, c_prev, parameters):
         concat = np.vstack((h_prev, xt))
         return sigmoid(Wf @ concat)
     """], ["Wf"]),
    ("Is a contract weight read from a global never assigned in the code (a skipped test cell) flagged?",
     [HEADER, """
     def lstm_cell_forward(xt, h_prev, c_prev, parameters):
         return sigmoid(Wy @ h_prev + by)
     """], ["Wy", "by"]),
    ("Is parameters['Wf'] read into a local left alone?",
     [HEADER, """
     Wf = np.random.randn(5, 8)
     def lstm_cell_forward(xt, h_prev, c_prev, parameters):
         Wf = parameters["Wf"]
         return sigmoid(Wf @ np.vstack((h_prev, xt)))
     """], []),
    ("Are np, math functions, builtins and module-level functions left alone?",
     [HEADER, """
     def helper(a):
         return np.tanh(a)
     def lstm_cell_forward(xt, h_prev, c_prev, parameters):
         n = len(parameters) + int(sqrt(4.0))
         return helper(sigmoid(parameters["Wf"] @ np.vstack((h_prev, xt)))) * n
     """], []),
    ("Is a nested helper with its own W and b parameters left alone?",
     [HEADER, """
     def lstm_cell_forward(xt, h_prev, c_prev, parameters):
         concat = np.vstack((h_prev, xt))
         def gate(W, b):
             return sigmoid(W @ concat + b)
         f = gate(parameters["Wf"], parameters["bf"])
         squash = lambda W: np.tanh(W)
         rows = [W.shape[0] for W in parameters.values()]
         return f, squash(f), rows
     """], []),
    ("Is a module-level array that is not a contract name flagged, and a module-level number not?",
     [HEADER, """
     weights = np.ones((5, 8))
     n_a = 5
     learning_rate = 0.1
     def lstm_cell_forward(xt, h_prev, c_prev, parameters):
         return weights[:n_a] * learning_rate
     """], ["weights"]),
    ("Is a global read by a module-level helper the function calls flagged too?",
     [HEADER, """
     parameters_nb = {"Wf": np.zeros((5, 8))}
     def gates(concat):
         return sigmoid(parameters_nb["Wf"] @ concat)
     def lstm_cell_forward(xt, h_prev, c_prev, parameters):
         return gates(np.vstack((h_prev, xt)))
     """], ["parameters_nb"]),
    ("Does the last definition win?",
     [HEADER, """
     def lstm_cell_forward(xt, h_prev, c_prev, parameters):
         return sigmoid(Wf)
     """, """
     def lstm_cell_forward(xt, h_prev, c_prev, parameters):
         return sigmoid(parameters["Wf"])
     """], []),
    ("Is a cell that does not parse skipped, and a missing function not flagged?",
     ["def broken(:\n", HEADER], []),
    ("Is `global Wf` followed by a read flagged?",
     [HEADER, """
     def lstm_cell_forward(xt, h_prev, c_prev, parameters):
         global Wf
         Wf = Wf * 1.0
         return Wf
     """], ["Wf"]),
]


@pytest.mark.parametrize("question, cells, expected", SNIPPETS, ids=[s[0] for s in SNIPPETS])
def test_globals_read_by_a_function(question, cells, expected):
    found = notebook_globals_read("lstm_cell_forward", units(*cells))
    assert found == expected
    assert diagnose_source("lstm_cell_forward", units(*cells)) == (["uses_notebook_globals"] if expected else [])


@pytest.mark.parametrize("question, cells, expected", SNIPPETS, ids=[s[0] for s in SNIPPETS])
def test_the_loaders_trees_give_the_same_answer_as_parsing_again(question, cells, expected):
    """A loaded .py carries its statements' trees (from one parse of the whole file): the scan
    reads them instead of parsing each unit again, and finds the same globals."""
    from grader.loading.pyfile import python_submission
    from grader.messages import english_notes

    loaded = python_submission("\n".join(textwrap.dedent(c) for c in cells))
    # (a file that does not parse as a whole is cut into blocks whose units carry no tree)
    assert all(u.tree is not None for u in loaded.units) or "does not parse" in " ".join(english_notes(loaded.notes))
    bare = [CodeUnit(u.label, u.source, u.cell_index, u.first_line) for u in loaded.units]
    assert notebook_globals_read("lstm_cell_forward", loaded.units) == notebook_globals_read(
        "lstm_cell_forward", bare) == expected


def test_the_answer_key_style_solution_reads_no_globals():
    from pathlib import Path

    import assignments

    source = (Path(assignments.__file__).parent / "nndl_ch6" / "solution.py").read_text(encoding="utf-8")
    for item in BUGGY_FUNCTIONS:
        assert diagnose_source(item, units(source)) == [], item


# ----------------------------------------------------------------------------------------- probe


@pytest.mark.parametrize("item", ["lstm_cell_forward", "lstm_cell_backward", "lstm_forward", "lstm_backward",
                                  "gru_cell_forward", "gru_cell_backward", "gru_forward", "gru_backward",
                                  "residual_rnn_forward", "residual_rnn_backward", "residual_rnn_step_jacobian"])
def test_probe_flags_a_function_that_ignores_parameters_and_not_the_key(item):
    """With the notebook's shapes (n_x=3, n_h=5, n_y=2), the globals variant runs; its outputs do not
    move when the parameters do, while the key's (and a correct student's) do."""
    case = make_case(item, {"n_x": 3, "n_h": 5, "n_y": 2, "m": 4, "T": 3}, seed=5)
    [(suffix, probe_args)] = probe_calls(item, case)
    assert suffix == "probe-parameters"
    params = case.args[case.arg_names.index("parameters")]
    probe_params = probe_args[case.arg_names.index("parameters")]
    assert set(params) == set(probe_params)
    for key in params:
        np.testing.assert_allclose(probe_params[key], -0.5 * params[key] + 0.1)
    buggy = BUGGY_FUNCTIONS[item]
    returned = buggy(*copy.deepcopy(case.args), bug={"uses_notebook_globals"})
    probe_returned = buggy(*copy.deepcopy(probe_args), bug={"uses_notebook_globals"})
    assert diagnose_probe(item, case, returned, probe_returned) == ["uses_notebook_globals"]
    correct = run(buggy, case)
    correct_probe = buggy(*copy.deepcopy(probe_args))
    assert diagnose_probe(item, case, correct, correct_probe) == []


def test_probe_ignores_constant_outputs_and_functions_without_parameters():
    case = make_case("residual_rnn_forward", SHAPES[0], seed=6)
    zeros = np.zeros_like(case.expected)
    assert diagnose_probe("residual_rnn_forward", case, zeros, zeros) == []
    clip = make_case("clip_by_global_norm", SHAPES[0], seed=6)
    assert probe_calls("clip_by_global_norm", clip) == []
    assert diagnose_probe("clip_by_global_norm", clip, clip.expected, clip.expected) == []


def test_probe_leaves_the_case_inputs_alone():
    case = make_case("gru_forward", SHAPES[0], seed=7)
    before = copy.deepcopy(case.args[2])
    probe_calls("gru_forward", case)
    for key, value in before.items():
        np.testing.assert_array_equal(case.args[2][key], value)
