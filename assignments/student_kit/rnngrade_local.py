"""Local checks for the rnngrade assignment in this folder (public cases only).

In the notebook, a check cell runs ``check("lstm_cell_forward", globals())``; in a terminal, ``pytest``
in this folder runs every check on the notebook (see test_notebook.py). The messages about returned
values are the grader's own (rnngrade_compare.py is the grader's checker, unchanged).

Python >= 3.9 with numpy; nothing here needs a network, fork() or TOML. Arrays are read with
``allow_pickle=False``.
"""
from __future__ import annotations

import json
import os
import sys
import traceback
from pathlib import Path

import numpy as np

KIT_DIR = Path(__file__).resolve().parent
if str(KIT_DIR) not in sys.path:
    sys.path.insert(0, str(KIT_DIR))

from rnngrade_compare import check_returned, render  # noqa: E402  (vendored beside this file)
from rnngrade_expr import FUNCTIONS, expression_problems  # noqa: E402
from rnngrade_magics import strip_magics  # noqa: E402
from rnngrade_texts import KIT as KIT_TEXTS  # noqa: E402  (generated beside this file)

INDEX_FILE = "public_cases.json"
ARRAYS_FILE = "public_cases.npz"
CHECK_TAG = "rnngrade-check"
NOTEBOOK_ENV = "RNNGRADE_NOTEBOOK"

MESSAGES = KIT_TEXTS  # generated from the project's catalogues by the release step


def load_index(folder=None) -> dict:
    """The public cases' index (public_cases.json) of the kit folder."""
    with open(Path(folder or KIT_DIR) / INDEX_FILE, encoding="utf-8") as fh:
        return json.load(fh)


def load_arrays(folder=None) -> dict:
    """Every array of public_cases.npz, read without pickle."""
    with np.load(Path(folder or KIT_DIR) / ARRAYS_FILE, allow_pickle=False) as data:
        return {key: data[key] for key in data.files}


def decode(tree, arrays):
    """A value from its JSON tree (see the grader's release writer); arrays are fresh copies."""
    kind = tree["t"]
    if kind == "array":
        return np.array(arrays[tree["key"]], dtype=np.float64, copy=True)
    if kind == "dict":
        return {k: decode(v, arrays) for k, v in tree["items"].items()}
    if kind == "tuple":
        return tuple(decode(v, arrays) for v in tree["items"])
    if kind == "list":
        return [decode(v, arrays) for v in tree["items"]]
    if kind in ("float", "int", "bool", "str"):
        return tree["value"]
    if kind == "none":
        return None
    raise ValueError("unknown value kind %r in %s" % (kind, INDEX_FILE))


def _say(lang, key, **fields):
    return MESSAGES.get(lang, MESSAGES["en"])[key].format(**fields)


class ItemReport(object):
    """The outcome of one item's local checks: passed, the counts, and the lines to print."""

    def __init__(self, item, passed, lines, n_passed=0, n_cases=0):
        self.item, self.passed, self.lines = item, passed, lines
        self.n_passed, self.n_cases = n_passed, n_cases

    def headline(self, lang):
        status = _say(lang, "pass" if self.passed else "fail")
        counts = " (%s)" % _say(lang, "cases", passed=self.n_passed, total=self.n_cases) if self.n_cases else ""
        return "%s %s%s" % (status, self.item, counts)

    def text(self, lang):
        return "\n".join([self.headline(lang)] + ["    " + line for line in self.lines])


def _error_text(exc):
    last = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
    where = " (%s, line %d)" % (last[0].filename, last[0].lineno) if last else ""
    return "%s: %s%s" % (type(exc).__name__, exc, where)


def run_code_item(entry, namespace, arrays, lang):
    name = entry["id"]
    func = namespace.get(name)
    n = len(entry["cases"])
    if func is None:
        return ItemReport(name, False, [_say(lang, "not_defined", name=name)], 0, n)
    if not callable(func):
        return ItemReport(name, False, [_say(lang, "not_callable", name=name, type=type(func).__name__)], 0, n)
    lines, passed = [], 0
    for case in entry["cases"]:
        args = decode(case["args"], arrays)
        expected = decode(case["expected"], arrays)
        try:
            value = func(*args)
        except Exception as exc:  # the student's error is a result, not a crash of the checker
            lines.append(_say(lang, "raised", case=case["case_id"], label=case["label"], error=_error_text(exc)))
            continue
        checks = check_returned(value, expected, entry["output_spec"], case["rtol"], case["atol"])
        bad = [c for c in checks if not c["passed"]]
        if not bad:
            passed += 1
            continue
        lines.append(_say(lang, "case_failed", case=case["case_id"], label=case["label"]))
        lines.extend("  " + render(c["message"], lang) for c in bad)
    return ItemReport(name, passed == n, lines, passed, n)


def run_symbolic_item(entry, namespace, lang):
    name = entry["id"]
    value = namespace.get(name)
    if value is None:
        return ItemReport(name, False, [_say(lang, "not_defined", name=name)])
    if not isinstance(value, str):
        return ItemReport(name, False, [_say(lang, "not_string", name=name, type=type(value).__name__)])
    if not value.strip():
        return ItemReport(name, False, [_say(lang, "unanswered", name=name)])
    allowed = list(entry["symbols"]) + list(entry["abbreviations"])
    problems = expression_problems(value, allowed, entry.get("functions", FUNCTIONS))
    if problems:
        return ItemReport(name, False, problems)
    return ItemReport(name, True, [_say(lang, "syntax_ok")])


def run_item(name, namespace, index=None, arrays=None):
    """Check one item (code or symbolic) of ``namespace`` against the public cases."""
    index = index if index is not None else load_index()
    lang = index.get("lang", "en")
    entries = {e["id"]: e for e in index["items"]}
    if name not in entries:
        raise KeyError(_say(lang, "unknown_item", name=name, items=", ".join(entries)))
    entry = entries[name]
    if entry["kind"] == "symbolic":
        return run_symbolic_item(entry, namespace, lang)
    return run_code_item(entry, namespace, arrays if arrays is not None else load_arrays(), lang)


def check(name, namespace):
    """Notebook entry point: run the public checks of ``name`` on ``globals()`` and print the result."""
    index = load_index()
    report = run_item(name, namespace, index)
    print(report.text(index.get("lang", "en")))
    return report.passed


def closing_line(index):
    return _say(index.get("lang", "en"), "closing", hidden=index["hidden_case_count"])


# ------------------------------------------------------------------------------ reading a notebook

def find_notebook(folder=None, index=None):
    """The notebook to check: $RNNGRADE_NOTEBOOK, else the release's notebook name, else the only one."""
    folder = Path(folder or KIT_DIR)
    index = index if index is not None else load_index(folder)
    lang = index.get("lang", "en")
    env = os.environ.get(NOTEBOOK_ENV)
    if env:
        return Path(env)
    named = folder / index["notebook"]
    if named.is_file():
        return named
    found = sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith("."))
    if len(found) == 1:
        return found[0]
    if not found:
        raise FileNotFoundError(_say(lang, "no_notebook", folder=folder, name=index["notebook"], env=NOTEBOOK_ENV))
    raise FileNotFoundError(_say(lang, "many_notebooks", folder=folder, names=", ".join(p.name for p in found),
                                 name=index["notebook"], env=NOTEBOOK_ENV))


def notebook_code(path):
    """``[(label, source)]`` of the notebook's code cells: check cells skipped, IPython magics removed."""
    with open(path, encoding="utf-8") as fh:
        nb = json.load(fh)
    units = []
    for number, cell in enumerate(nb.get("cells", []), start=1):
        if cell.get("cell_type") != "code":
            continue
        if CHECK_TAG in (cell.get("metadata", {}).get("tags") or []):
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        units.append(("cell %d" % number, strip_magics(source)[0]))
    return units, nb.get("metadata", {}).get("rnngrade", {})


def run_notebook(path):
    """Run the notebook's code cells in order in one namespace (in this process); a failing cell is
    reported and the next one still runs. Returns ``(namespace, errors, metadata)``."""
    units, metadata = notebook_code(path)
    namespace = {"__name__": "__rnngrade_notebook__"}
    errors = []
    for label, source in units:
        try:
            exec(compile(source, "<%s>" % label, "exec"), namespace)
        except Exception as exc:
            errors.append((label, _error_text(exc)))
    return namespace, errors, metadata


# What one pytest session found, for the summary printed by conftest.py.
SESSION = {"reports": [], "warnings": [], "notebook": None}
