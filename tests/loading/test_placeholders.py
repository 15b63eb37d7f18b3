"""placeholder_functions walks statement lists only: it must find every bare ``None`` assignment
that a walk of the whole tree finds (the oracle), wherever the statement sits."""
import ast

import pytest

from grader.loading.placeholders import placeholder_functions
from grader.loading.pyfile import python_submission
from grader.loading.units import CodeUnit

BODIES = {
    "top": "    a = None\n",
    "if_else": "    if x:\n        pass\n    else:\n        a = None\n",
    "for_else": "    for i in x:\n        pass\n    else:\n        a, b = None, 1\n        c = None\n",
    "while": "    while x:\n        a = None\n",
    "with": "    with x as y:\n        a = None\n",
    "try_handler": "    try:\n        pass\n    except ValueError:\n        a = None\n",
    "try_finally": "    try:\n        pass\n    finally:\n        a = None\n",
    "try_star": "    try:\n        pass\n    except* ValueError:\n        a = None\n",
    "match": "    match x:\n        case 1:\n            a = None\n",
    "nested_def": "    def inner():\n        a = None\n    return inner\n",
    "nested_class": "    class K:\n        a = None\n",
    "chained": "    a = b = None\n",
    "not_bare": "    a = (None, 1)\n    b: int = None\n    c += None if x else 1\n",
    "compare": "    if a is None:\n        return None\n",
    "lambda": "    f = lambda: None\n",
    "filled": "    a = x + 1\n    return a\n",
}


def _oracle(source: str) -> set:
    found = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef):
            found[node.name] = any(isinstance(s, ast.Assign) and isinstance(s.value, ast.Constant)
                                   and s.value.value is None for s in ast.walk(node))
    return {n for n, has in found.items() if has}


@pytest.mark.parametrize("name", sorted(BODIES))
def test_statement_walk_agrees_with_a_walk_of_every_node(name):
    source = f"def f(x):\n{BODIES[name]}"
    expected = _oracle(source)
    assert placeholder_functions([CodeUnit("cell 1", source)]) == expected
    # and from the loader's own trees (a .py file's units carry them)
    assert placeholder_functions(python_submission(source).units) == expected


def test_which_bodies_are_placeholders():
    found = {name for name, body in BODIES.items()
             if placeholder_functions([CodeUnit("cell 1", f"def f(x):\n{body}")])}
    assert found == {"top", "if_else", "for_else", "while", "with", "try_handler", "try_finally",
                     "try_star", "match", "nested_def", "nested_class", "chained"}


def test_last_definition_wins_across_units():
    units = [CodeUnit("cell 1", "def f():\n    a = None\n"), CodeUnit("cell 2", "def f():\n    return 1\n"),
             CodeUnit("cell 3", "def g(:\n"), CodeUnit("cell 4", "def g():\n    a = None\n")]
    assert placeholder_functions(units) == {"g"}
