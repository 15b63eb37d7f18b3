"""Submissions of nndl-ch6 in which the code meant to define some functions fails to load.

Built from the model solution, one function per cell, so that cell numbers are fixed: the tests
quote messages with their cell and line verbatim.
"""
from __future__ import annotations

import ast
from pathlib import Path

import nbformat
from nbformat import v4

ROOT = Path(__file__).resolve().parents[2]
SOLUTION = ROOT / "assignments" / "nndl_ch6" / "solution.py"


def solution_functions() -> dict:
    """``{name: source}`` of every top-level function of the model solution."""
    text = SOLUTION.read_text(encoding="utf-8")
    lines = text.split("\n")
    return {n.name: "\n".join(lines[n.lineno - 1:n.end_lineno])
            for n in ast.parse(text).body if isinstance(n, ast.FunctionDef)}


def stub(name: str) -> str:
    """The template's stub of a function (its signature as in the solution)."""
    head = solution_functions()[name].split("\n", 1)[0]
    return f"{head}\n    # your code here\n    raise NotImplementedError(\"{name} is not implemented yet\")"


def write_notebook(path: Path, cells: list) -> Path:
    made = []
    for k, source in enumerate(cells):
        cell = v4.new_code_cell(source)
        cell.id = f"c{k}"
        made.append(cell)
    path.write_text(nbformat.writes(v4.new_notebook(cells=made)), encoding="utf-8")
    return path


def one_of_each_cells() -> list:
    """One cell per function, each failing (or not) in its own way; see test_failed_load.py."""
    f = solution_functions()
    broken_lstm_cell = f["lstm_cell_forward"].replace(
        '    f = sigmoid(p["Wf"] @ concat + p["bf"])\n', '    f = sigmoid(p["Wf"] @ concat + p["bf"]\n')
    assert broken_lstm_cell != f["lstm_cell_forward"]
    return [
        # cell 1: imports and helpers
        "import numpy as np\n\n\n" + f["sigmoid"] + "\n\n\n" + f["softmax"],
        # cell 2: an import that fails at the top of the cell
        "import torch\n\n\n" + f["residual_rnn_forward"],
        # cell 3: the untouched stub, and the template's test line, which raises the stub's error
        stub("residual_rnn_backward") + "\n\n\nresidual_rnn_backward(None, None, None, None)",
        # cell 4: a first attempt that does not parse (redefined in cell 15)
        f["residual_rnn_step_jacobian"].replace("parameters):", "parameters)", 1),
        # cell 5: a loop that never ends, before the definition
        "while True:\n    pass\n\n\n" + f["clip_by_global_norm"],
        # cell 6: an exception before the definition
        "Wz = parameters[\"Wz\"]\n\n\n" + f["gru_cell_forward"],
        # cell 7: the process ends before the definition
        "import os\nos._exit(3)\n\n\n" + f["gru_cell_backward"],
        # cell 8: the stub, rewritten in cell 14 in a way that does not parse
        stub("gru_forward"),
        # cell 9: the untouched stub
        stub("gru_backward"),
        # cell 10: a syntax error on line 4 of the cell
        broken_lstm_cell,
        # cell 11: the definition runs, then the test line after it raises
        f["lstm_cell_backward"] + "\n\n\nlstm_cell_backward(None, None, None, None, None, None)",
        # cell 12: lstm_forward is absent
        "# lstm_forward: to do",
        # cell 13: correct, but calls lstm_forward, which is absent
        f["lstm_backward"],
        # cell 14: gru_forward again, with an unclosed bracket on line 2
        "def gru_forward(x, h0, parameters):\n    h = np.zeros(x.shape\n    return h",
        # cell 15: residual_rnn_step_jacobian again, loading fine
        f["residual_rnn_step_jacobian"],
    ]


def syntax_error_notebook(path: Path) -> Path:
    """The whole solution, one function per cell, with a syntax error in lstm_cell_forward's cell
    (cell 10, line 4)."""
    cells = one_of_each_cells()
    f = solution_functions()
    good = [cells[0], f["residual_rnn_forward"], f["residual_rnn_backward"],
            f["residual_rnn_step_jacobian"], f["clip_by_global_norm"], f["gru_cell_forward"],
            f["gru_cell_backward"], f["gru_forward"], f["gru_backward"], cells[9],
            f["lstm_cell_backward"], f["lstm_forward"], f["lstm_backward"]]
    return write_notebook(path, good)
