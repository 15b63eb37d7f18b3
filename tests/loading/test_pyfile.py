"""Does a .py load statement by statement, and do the good functions of a broken file still load?"""
import pytest

from grader.loading import CodeUnit, load_submission
from grader.messages import english_notes as english

BROKEN = '''\
import numpy as np
%matplotlib inline

@staticmethod
def good(x):
    return x

def broken(x:
    return x

answer_lstm_dc_prev = "dc*f"
answer_lstm_dc_prev = ("(dc + dh*o*(1 - tanh(c)**2))"
                       "*f")
y = foo(
1, 2)

class Later:
    def method(self):
        if self:
            return 1
        else:
            return 2
'''


def test_broken_file_keeps_good_definitions(tmp_path):
    path = tmp_path / "alice.py"
    path.write_text(BROKEN, encoding="utf-8")
    loaded = load_submission(path)
    assert loaded.kind == "python" and loaded.error is None
    assert loaded.units == [
        CodeUnit("line 1", "import numpy as np", None, 1),
        CodeUnit("line 4", "@staticmethod\ndef good(x):\n    return x", None, 4),
        CodeUnit("line 8", "def broken(x:\n    return x", None, 8),
        CodeUnit("line 11", 'answer_lstm_dc_prev = "dc*f"', None, 11),
        CodeUnit("line 12", 'answer_lstm_dc_prev = ("(dc + dh*o*(1 - tanh(c)**2))"\n                       "*f")', None, 12),
        CodeUnit("line 14", "y = foo(\n1, 2)", None, 14),
        CodeUnit("line 17", BROKEN.split("\n\n")[-1].rstrip("\n"), None, 17),
    ]
    assert loaded.answers == {"answer_lstm_dc_prev": "(dc + dh*o*(1 - tanh(c)**2))*f"}
    assert english(loaded.notes) == [
        "line 2: skipped IPython magic `%matplotlib inline`",
        "the file does not parse as a whole (SyntaxError at line 8: '(' was never closed); it was cut "
        "into top-level blocks so that the others still run",
    ]


def test_broken_unit_reports_true_line(tmp_path):
    """first_line + the SyntaxError's line - 1 is the line in the student's file."""
    path = tmp_path / "a.py"
    path.write_text(BROKEN, encoding="utf-8")
    unit = next(u for u in load_submission(path).units if u.label == "line 8")
    with pytest.raises(SyntaxError) as err:
        compile(unit.source, unit.label, "exec")
    assert unit.first_line + err.value.lineno - 1 == 8


PY_CASES = [
    # (id, source, units as (label, source), answers, free texts, notes)
    ("statements", "import numpy as np\n\ndef f(x):\n    return x\n\nprint(f(1))\n",
     [("line 1", "import numpy as np"), ("line 3", "def f(x):\n    return x"), ("line 6", "print(f(1))")],
     {}, {}, []),
    ("semicolons-share-a-unit", "a = 1; b = 2\nc = 3", [("line 1", "a = 1; b = 2"), ("line 2", "c = 3")],
     {}, {}, []),
    ("local-check-skipped", "import rnngrade_local\nx = 1\nrnngrade_local.check_all()\n",
     [("line 2", "x = 1")], {}, {}, []),
    ("exported-notebook-magics", "get_ipython().run_line_magic('matplotlib', 'inline')\n"
     "files = get_ipython().getoutput('ls')\nx = 1",
     [("line 3", "x = 1")], {}, {},
     ["line 1: skipped IPython call `get_ipython().run_line_magic('matplotlib', 'inline')`",
      "line 2: skipped IPython call `files = get_ipython().getoutput('ls')`"]),
    ("answers-and-free", 'answer_a = "x"\nanswer_b = f"{x}"\nfree_6_3 = """Because\nof tanh"""\n',
     [("line 1", 'answer_a = "x"'), ("line 2", 'answer_b = f"{x}"'), ("line 3", 'free_6_3 = """Because\nof tanh"""')],
     {"answer_a": "x"}, {"free_6_3": "Because\nof tanh"},
     ["line 2: answer_b is not a string literal; write the expression inside quotes"]),
    ("tuple-assignment", 'answer_a, answer_b = "x", "y"', [("line 1", 'answer_a, answer_b = "x", "y"')],
     {"answer_a": "x", "answer_b": "y"}, {}, []),
    ("concatenated-with-plus", 'answer_a = "x" + "*y"', [("line 1", 'answer_a = "x" + "*y"')],
     {"answer_a": "x*y"}, {}, []),
    ("augmented-is-noted", 'answer_a = "x"\nanswer_a += "y"', [("line 1", 'answer_a = "x"'), ("line 2", 'answer_a += "y"')],
     {"answer_a": "x"}, {}, ["line 2: answer_a is not a string literal; write the expression inside quotes"]),
    ("bom-and-crlf", '\ufeffx = 1\r\nanswer_a = "q"\r\n', [("line 1", "x = 1"), ("line 2", 'answer_a = "q"')],
     {"answer_a": "q"}, {}, []),
    ("comments-only", "# nothing yet\n", [], {}, {}, []),
    ("cell-magic-line-in-py", "%%time\nx = 1", [("line 2", "x = 1")], {}, {},
     ["line 1: skipped IPython magic `%%time`"]),
]


@pytest.mark.parametrize("source, units, answers, free, notes", [c[1:] for c in PY_CASES],
                         ids=[c[0] for c in PY_CASES])
def test_python_files(tmp_path, source, units, answers, free, notes):
    path = tmp_path / "s.py"
    path.write_bytes(source.encode("utf-8"))
    loaded = load_submission(path)
    assert loaded.kind == "python"
    assert [(u.label, u.source) for u in loaded.units] == units
    assert all(u.first_line == int(u.label.split()[1]) and u.cell_index is None for u in loaded.units)
    assert loaded.answers == answers
    assert {k: v.text for k, v in loaded.free.items()} == free
    assert english(loaded.notes) == notes


def test_declared_latin1_encoding(tmp_path):
    path = tmp_path / "s.py"
    path.write_bytes('# -*- coding: latin-1 -*-\nname = "José"\n'.encode("latin-1"))
    loaded = load_submission(path)
    assert [u.source for u in loaded.units] == ['name = "José"']
