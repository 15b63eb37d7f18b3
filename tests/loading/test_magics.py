"""Does strip_magics remove exactly the IPython-only lines, keep every line number, and leave Python alone?"""
import ast
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.loading import magics
from grader.loading.magics import cell_magic, strip_magics

REMOVED = [
    # (id, source, expected new source, expected removed lines)
    ("line-magic", "%matplotlib inline\nimport numpy as np",
     "\nimport numpy as np", [(1, "%matplotlib inline")]),
    ("shell-pip", "!pip install -q torch\nx = 1", "\nx = 1", [(1, "!pip install -q torch")]),
    ("shell-continued", "!pip install a \\\n    b\nx = 1", "\n\nx = 1",
     [(1, "!pip install a \\"), (2, "    b")]),
    ("automagic-cd", "cd '/content/drive/My Drive'\nx = 1", "\nx = 1",
     [(1, "cd '/content/drive/My Drive'")]),
    ("automagic-bare", "ls\npwd\nx = 1", "\n\nx = 1", [(1, "ls"), (2, "pwd")]),
    ("automagic-flags", "ls -la", "", [(1, "ls -la")]),
    ("automagic-pip", "pip install numpy", "", [(1, "pip install numpy")]),
    ("automagic-parent", "cd ..", "", [(1, "cd ..")]),
    ("assign-shell", "files = !ls\nout = %sx pwd", "\n", [(1, "files = !ls"), (2, "out = %sx pwd")]),
    ("help-before", "?np.zeros", "", [(1, "?np.zeros")]),
    ("help-after", "np.zeros?\nnp.zeros??", "\n", [(1, "np.zeros?"), (2, "np.zeros??")]),
    ("indented-magic", "def f():\n    %time x = 1\n    !ls\n    return 1",
     "def f():\n    x = 1\n    pass\n    return 1", [(2, "    %time x = 1"), (3, "    !ls")]),
    ("time-keeps-statement", "%time y = f(2)", "y = f(2)", [(1, "%time y = f(2)")]),
    ("timeit-with-options", "%timeit -n 3 f()", "", [(1, "%timeit -n 3 f()")]),
    ("cell-magic-time", "%%time\nx = 1\ny = 2", "\nx = 1\ny = 2", [(1, "%%time")]),
    ("cell-magic-capture", "\n%%capture out\nx = 1", "\n\nx = 1", [(2, "%%capture out")]),
    ("cell-magic-bash", "%%bash\nls\necho hi", "\n\n", [(1, "%%bash")]),
    ("cell-magic-writefile", "%%writefile a.py\nx = 1", "\n", [(1, "%%writefile a.py")]),
    ("crlf", "%matplotlib inline\r\nx = 1\r\n", "\nx = 1\n", [(1, "%matplotlib inline")]),
]

KEPT = [
    # Python that starts with a magic's name, or looks like a magic only inside strings/brackets.
    ("assignment-to-magic-name", "time = 3\nls = []\nhistory += [1]"),
    ("attribute-of-magic-name", "time.sleep(0)\nenv.reset()"),
    ("call-of-magic-name", "run (x)\nreset()"),
    ("annotated", "time: float = 1.0"),
    ("multi-line-start", "time = (\n    1 + 2)"),
    ("docstring", 'def f():\n    """\n    ls\n    % of the data\n    !important\n    """\n    return 1'),
    ("modulo-continuation", "x = (a\n%b)"),
    ("backslash-continuation", "x = a \\\n%b"),
    ("comparison", "x != y\nx == 1"),
    ("percent-format", 'print("%d" % 3)'),
    ("broken-python", "def f(x:\n    return"),
]


@pytest.mark.parametrize("source, new, removed", [c[1:] for c in REMOVED], ids=[c[0] for c in REMOVED])
def test_removes_ipython_lines(source, new, removed):
    assert strip_magics(source) == (new, removed)


@pytest.mark.parametrize("source", [c[1] for c in KEPT], ids=[c[0] for c in KEPT])
def test_keeps_python(source):
    assert strip_magics(source) == (source, [])


@pytest.mark.parametrize("source, name", [
    ("%%time\nx", "time"), ("\n\n%%bash\nls", "bash"), ("x = 1\n%%time", None), ("", None),
    ("# comment\n%%time", None),
], ids=["first-line", "after-blank-lines", "not-first", "empty", "after-comment"])
def test_cell_magic(source, name):
    assert cell_magic(source) == name


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([
    "x = 1", "%matplotlib inline", "!ls", "cd ..", "def f():", "    return 1", '"""', "ls",
    "y = (", "1)", "np.zeros?", "  %time z = 2", "# c", "", "\\", "files = !ls", "%%time",
]), max_size=12))
def test_line_count_is_kept(lines):
    source = "\n".join(lines)
    new, removed = strip_magics(source)
    assert len(new.split("\n")) == len(source.split("\n"))
    old_lines = source.split("\n")
    assert all(old_lines[n - 1] == line for n, line in removed)
    # Lines not reported as removed are unchanged.
    changed = {n for n, _ in removed}
    assert all(a == b for k, (a, b) in enumerate(zip(old_lines, new.split("\n")), 1) if k not in changed)


def test_stays_standalone_and_python39_compatible():
    """It is copied into the students' kit: stdlib imports only, and Python 3.9 grammar."""
    path = Path(magics.__file__)
    tree = ast.parse(path.read_text(encoding="utf-8"), feature_version=(3, 9))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
    assert imported <= set(sys.stdlib_module_names) | {"__future__"}
    # Without it, annotations such as `Optional[str] | None` would be evaluated on 3.9.
    assert "from __future__ import annotations" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("version", ["3.9", "3.13"])
def test_same_result_on_other_pythons(tmp_path, version):
    """The kit copy runs on the students' Python: the same lines are removed there as here."""
    import json
    import shutil
    import subprocess

    interpreter = shutil.which(f"python{version}")
    probe = interpreter and subprocess.run([interpreter, "-c", "pass"], capture_output=True, timeout=60)
    if not probe or probe.returncode != 0:
        pytest.skip(f"python{version} is not installed")
    shutil.copy(magics.__file__, tmp_path / "magics.py")
    (tmp_path / "run.py").write_text(
        "import json, sys\nfrom magics import strip_magics\n"
        "print(json.dumps([strip_magics(s) for s in json.load(sys.stdin)]))\n", encoding="utf-8")
    sources = [c[1] for c in REMOVED] + [c[1] for c in KEPT]
    done = subprocess.run([interpreter, str(tmp_path / "run.py")], input=json.dumps(sources),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    theirs = [(new, [tuple(r) for r in removed]) for new, removed in json.loads(done.stdout)]
    assert theirs == [strip_magics(s) for s in sources]
