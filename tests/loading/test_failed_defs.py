"""Which names a unit would bind, and which of them a failed unit left undefined (no sandbox here)."""
import pytest

from grader.loading.failed_defs import (FailedDefinition, bound_names, explains, failed_definitions,
                                        scan_definitions)
from grader.loading.units import CodeUnit
from grader.sandbox.jobs import UnitOutcome


def _unit(label: str, source: str, first_line: int = 1) -> CodeUnit:
    return CodeUnit(label=label, source=source, first_line=first_line)


@pytest.mark.parametrize("source, names", [
    # top-level definitions, imports and assignments; not the locals of a function or class
    ("import numpy as np\nimport os.path\nfrom math import exp as e, tanh\n", {"np", "os", "e", "tanh"}),
    ("def f(x):\n    def inner():\n        pass\n    y = 1\n    return x\n", {"f"}),
    ("class C:\n    def method(self):\n        pass\n    attr = 1\n", {"C"}),
    ("async def g():\n    pass\n", {"g"}),
    ("a, (b, c) = 1, (2, 3)\nd: int = 4\n", {"a", "b", "c", "d"}),
    # bodies that run at the top level bind globals
    ("try:\n    import torch\nexcept ImportError:\n    torch = None\nelse:\n    t = 1\nfinally:\n"
     "    z = 0\n", {"torch", "t", "z"}),
    ("if True:\n    def f():\n        pass\nelse:\n    def g():\n        pass\n", {"f", "g"}),
    ("for i in range(3):\n    def h():\n        pass\nwith open('x') as fh:\n    w = 1\n", {"h", "w"}),
    ("try:\n    pass\nexcept Exception:\n    def fallback():\n        pass\n", {"fallback"}),
    ("match 1:\n    case 1:\n        def m():\n            pass\n", {"m"}),
    ("from numpy import *\nprint(1)\ncount += 1\n", set()),
])
def test_bound_names_of_code_that_parses(source, names):
    assert bound_names(_unit("cell 1", source)) == names


@pytest.mark.parametrize("source, names", [
    # a missing colon: the whole cell does not parse
    ("def lstm_cell_forward(xt, h_prev, c_prev, parameters)\n    return xt\n", {"lstm_cell_forward"}),
    # a `def` inside a docstring does not count; the real one after it does
    ('"""Example:\n\ndef not_me(x):\n    pass\n"""\ndef f(x:\n    return x\n', {"f"}),
    # an unclosed bracket does not hide the definitions after it
    ("def f(x):\n    y = np.dot(x,\n\ndef g(x):\n    return x\n", {"f", "g"}),
    ("  def indented(x)\n@decorator\nclass K(:\nasync  def a():\n", {"indented", "K", "a"}),
    ("x = 'def quoted(' + \n# def commented(x):\n", set()),
    ("def 名前(x)\n    return x\n", {"名前"}),
])
def test_definitions_of_code_that_does_not_parse(source, names):
    assert scan_definitions(source) == names
    assert bound_names(_unit("cell 1", source)) == names


def _outcomes(*specs):
    return [UnitOutcome(label, status, message, line) for label, status, message, line in specs]


def test_later_unit_that_loaded_clears_an_earlier_failure_and_a_later_failure_wins():
    units = [_unit("cell 1", "import numpy as np"),
             _unit("cell 2", "def f(x)\n    return x\ndef g(x):\n    return x\n"),
             _unit("cell 3", "def f(x):\n    return x\n"),
             _unit("cell 4", "x = undefined\ndef g(x):\n    return 2 * x\n"),
             _unit("cell 5", "import torch\ndef h(x):\n    return x\n")]
    outcomes = _outcomes(("cell 1", "ok", "", None),
                         ("cell 2", "error", "SyntaxError: expected ':'", 1),
                         ("cell 3", "ok", "", None),
                         ("cell 4", "error", "NameError: name 'undefined' is not defined", 1),
                         ("cell 5", "error", "ModuleNotFoundError: No module named 'torch'", 1))
    found = failed_definitions(units, outcomes)
    assert found == {
        "g": FailedDefinition("g", "cell 4", "cell 4, line 1", "exception",
                              "NameError: name 'undefined' is not defined"),
        "x": FailedDefinition("x", "cell 4", "cell 4, line 1", "exception",
                              "NameError: name 'undefined' is not defined"),
        "torch": FailedDefinition("torch", "cell 5", "cell 5, line 1", "import",
                                  "ModuleNotFoundError: No module named 'torch'"),
        "h": FailedDefinition("h", "cell 5", "cell 5, line 1", "import",
                              "ModuleNotFoundError: No module named 'torch'"),
    }


@pytest.mark.parametrize("status, message, line, kind, error, where", [
    ("error", "IndentationError: unexpected indent", 3, "syntax", "IndentationError: unexpected indent",
     "line 12"),
    ("error", "ImportError: cannot import name 'x' from 'math'", 1, "import",
     "ImportError: cannot import name 'x' from 'math'", "line 10"),
    ("timeout", "timed out after 10 s while loading line 10", None, "timeout",
     "timed out after 10 s while loading line 10", "line 10"),
    ("crashed", "process exited with code 3 while loading line 10", None, "crashed",
     "process exited with code 3 while loading line 10", "line 10"),
    ("error", "not run: loading was stopped after too many timeouts", None, "not_run",
     "loading was stopped after too many timeouts", "line 10"),
])
def test_kinds_and_places_in_a_python_file(status, message, line, kind, error, where):
    """In a .py file a unit's label is its first line; the failing line is what the student needs."""
    unit = _unit("line 10", "def f(x):\n    return x", first_line=10)
    line = None if line is None else 9 + line
    found = failed_definitions([unit], _outcomes(("line 10", status, message, line)))
    assert found == {"f": FailedDefinition("f", "line 10", where, kind, error)}


def test_nothing_failed_nothing_to_explain():
    units = [_unit("cell 1", "def f(x):\n    return x")]
    assert failed_definitions(units, _outcomes(("cell 1", "ok", "", None))) == {}


@pytest.mark.parametrize("kind, states, explained", [
    ("syntax", ["not_defined", "not_defined"], True),
    ("exception", ["not_defined", "not_defined"], True),
    ("timeout", ["not_defined"], True),
    # the stub of an earlier cell answered: only a unit that certainly never ran explains it
    ("syntax", ["stub", "stub"], True),
    ("crashed", ["stub"], True),
    ("exception", ["stub", "stub"], False),  # the cell may have raised after its own `def` (a stub)
    ("import", ["stub"], False),
    ("timeout", ["stub"], False),
    # the function ran: it is graded as it is
    ("syntax", ["other", "not_defined"], False),
    ("syntax", [], False),
])
def test_explains(kind, states, explained):
    failure = FailedDefinition("f", "cell 2", "cell 2, line 1", kind, "SomeError")
    assert explains(failure, states) is explained
    assert explains(None, states) is False
