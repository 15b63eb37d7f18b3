"""What the diagnosis remembers between students (probe inputs, the key's probe output, verdicts,
the names a function reads) gives the answers it gives the first time, to every student."""
from __future__ import annotations

import copy

import numpy as np

import solutions
from grader.diagnosis.diagnose import diagnose_probe, notebook_globals_read, probe_calls
from grader.diagnosis.variants import BUGGY_FUNCTIONS
from grader.loading.pyfile import python_submission
from tests.diagnosis.cases_support import SHAPES, make_case, run

WEIGHTS_FROM_GLOBALS = '''
import numpy as np
extra = np.zeros((5, 1))
def residual_rnn_forward(x, h0, parameters):
    U, W, b = parameters["U"], parameters["W"], parameters["b"]
    h = np.zeros((h0.shape[0], x.shape[1], x.shape[2]))
    prev = h0
    for t in range(x.shape[2]):
        prev = prev + np.tanh(U @ prev + W @ x[:, :, t] + b) + 0 * extra
        h[:, :, t] = prev
    return h
'''


def test_probe_calls_are_worked_out_once_and_handed_out_as_new_lists():
    case = make_case("gru_forward", SHAPES[0], seed=11)
    first, again = probe_calls("gru_forward", case), probe_calls("gru_forward", case)
    assert first == again and first is not again
    (_, args), = first
    params = case.args[case.arg_names.index("parameters")]
    for key, value in args[case.arg_names.index("parameters")].items():
        np.testing.assert_allclose(value, -0.5 * params[key] + 0.1)


def test_a_verdict_remembered_for_one_student_is_the_one_the_next_gets():
    item = "lstm_cell_forward"
    case = make_case(item, SHAPES[0], seed=12)
    (_, probe_args), = probe_calls(item, case)
    buggy = BUGGY_FUNCTIONS[item]
    returned = buggy(*copy.deepcopy(case.args), bug={"uses_notebook_globals"})
    probe_returned = buggy(*copy.deepcopy(probe_args), bug={"uses_notebook_globals"})
    correct, correct_probe = run(solutions.lstm_cell_forward, case), solutions.lstm_cell_forward(
        *copy.deepcopy(probe_args))
    for _ in range(2):
        found = diagnose_probe(item, case, returned, probe_returned)
        assert found == ["uses_notebook_globals"]
        found.append("changed by the caller")
        assert diagnose_probe(item, case, correct, correct_probe) == []
    # Copies of the same values (another student) are recognised; a changed value is checked again.
    assert diagnose_probe(item, case, copy.deepcopy(returned), copy.deepcopy(probe_returned)) == [
        "uses_notebook_globals"]
    assert diagnose_probe(item, case, returned, correct_probe) == []


def test_students_sharing_a_function_share_its_reading_and_each_gets_their_own_module():
    mine = python_submission(WEIGHTS_FROM_GLOBALS)
    theirs = python_submission(WEIGHTS_FROM_GLOBALS.replace("extra = np.zeros((5, 1))", "extra = 3"))
    assert notebook_globals_read("residual_rnn_forward", mine.units) == ["extra"]
    assert notebook_globals_read("residual_rnn_forward", theirs.units) == []
    assert notebook_globals_read("residual_rnn_forward", mine.units) == ["extra"]
