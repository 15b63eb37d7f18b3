"""Which functions a submission meant to define in code that failed to load.

A graded function that is missing when the grader calls it is either not written yet (the student's
work is *unanswered*) or was written in a cell that failed before its ``def`` ran: a cell that does
not parse, that raises (a failed import, a NameError) above the ``def``, that loops until the load
time runs out or that ends the process. The second is an error of the submission, and the student
must be told which cell and which error, not "not implemented yet".

This module reads the units (never running them) to find the names each one would bind at its top
level, and pairs them with the sandbox's outcome of each unit. A cell that does not parse cannot be
read with ``ast``: its ``def name(`` lines are found by a scan that follows strings (so a ``def``
inside a docstring does not count).
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Optional

from grader.loading.magics import LineScanner

# Kinds of failure, in the words the grader's messages are keyed by.
SYNTAX, IMPORT, EXCEPTION, TIMEOUT, CRASHED, NOT_RUN = (
    "syntax", "import", "exception", "timeout", "crashed", "not_run")
# Failures after which none of the unit's definitions can be live: the unit did not compile, or the
# process that ran it died, and the calls were made by a fresh process that skipped it.
CERTAIN = frozenset((SYNTAX, CRASHED, NOT_RUN))

_SYNTAX_ERRORS = ("SyntaxError", "IndentationError", "TabError")
_IMPORT_ERRORS = ("ModuleNotFoundError", "ImportError")
_DEF_LINE = re.compile(r"^[ \t]*(?:async[ \t]+)?(?:def|class)[ \t]+([^\W\d]\w*)")
_NOT_RUN = "not run: "
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


@dataclass(frozen=True)
class FailedDefinition:
    """A unit that would have bound ``name`` and failed.

    ``where`` is "cell 4, line 7" in a notebook, "line 31" in a .py file (the failing line when
    the sandbox knows it, else the unit's label); ``error`` is the sandbox's text of the failure,
    e.g. "SyntaxError: expected ':'".
    """

    name: str
    label: str
    where: str
    kind: str  # one of SYNTAX, IMPORT, EXCEPTION, TIMEOUT, CRASHED, NOT_RUN
    error: str
    error_msg: Optional[dict] = None  # the sandbox's coded message, when it reported one (not Python's)

    @property
    def certain(self) -> bool:
        """True when none of the unit's definitions can have run (see CERTAIN)."""
        return self.kind in CERTAIN

    def to_dict(self) -> dict:
        return {"name": self.name, "where": self.where, "kind": self.kind, "error": self.error}


def failed_definitions(units: list, outcomes: list) -> dict:
    """``{name: FailedDefinition}`` for names whose last binding unit (in run order) failed.

    ``units`` are the submission's CodeUnits and ``outcomes`` the sandbox's UnitOutcomes, one per
    unit, in the same order. A later unit that loaded fine and binds the name again clears it: the
    function it defines is the one graded.
    """
    found: dict = {}
    first = next((i for i, o in enumerate(outcomes) if o is not None and o.status != "ok"), None)
    if first is None:  # everything loaded: nothing to read (most submissions)
        return found
    for unit, outcome in zip(units[first:], outcomes[first:]):
        names = bound_names(unit)
        if not names:
            continue
        if outcome is None or outcome.status == "ok":
            for name in names:
                found.pop(name, None)
            continue
        kind, error = _kind(outcome.status, outcome.message or "")
        where = _where(unit.label, outcome.line)
        for name in names:
            found[name] = FailedDefinition(name, unit.label, where, kind, error, getattr(outcome, "msg", None))
    return found


def explains(failure: Optional[FailedDefinition], statuses: list) -> bool:
    """Whether ``failure`` is why a function's calls came back as they did.

    ``statuses`` holds, per call, "not_defined", "stub" (the template's NotImplementedError) or
    anything else. A missing function is explained by any failed unit that would have defined it;
    a stub only by a later unit whose definitions certainly never ran (the student's own version
    did not parse, say): a cell that raised after its ``def`` left its function defined, and that
    function is what the calls reached.
    """
    if failure is None or not statuses:
        return False
    if all(s == "not_defined" for s in statuses):
        return True
    return failure.certain and all(s in ("not_defined", "stub") for s in statuses)


def bound_names(unit) -> set:
    """Names a unit binds at its top level: functions, classes, assignments, imports.

    Read from the loader's tree when the unit parsed; otherwise from its ``def``/``class`` lines.
    Bodies of functions and classes are not entered (their names are local); the bodies of
    ``if``/``try``/``with``/``for``/``while`` at the top level are, since they bind globals.
    """
    tree = unit.tree
    if tree is None:
        try:
            tree = ast.parse(unit.source)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return scan_definitions(unit.source)
    names: set = set()
    _collect(tree.body, names)
    return names


def _collect(body: list, names: set) -> None:
    for stmt in body:
        if isinstance(stmt, _DEFINITIONS):
            names.add(stmt.name)
            continue  # names inside are local to the function or class
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            names.update(alias.asname or alias.name.split(".")[0] for alias in stmt.names
                         if alias.name != "*")
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            for target in targets:
                names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
        for field in ("body", "orelse", "finalbody"):  # if / for / while / with / try
            inner = getattr(stmt, field, None)
            if isinstance(inner, list):
                _collect(inner, names)
        for block in (getattr(stmt, "handlers", None) or []) + (getattr(stmt, "cases", None) or []):
            _collect(block.body, names)  # except clauses, match cases


def scan_definitions(source: str) -> set:
    """``def``/``class`` names of code that does not parse, on lines that start outside a string.

    Brackets are not followed: in broken code an unclosed ``(`` would otherwise hide every
    definition after it.
    """
    names: set = set()
    scanner = LineScanner()
    for line in source.split("\n"):
        if scanner.quote is None:
            m = _DEF_LINE.match(line)
            if m:
                names.add(m.group(1))
        scanner.feed(line)
        scanner.depth = 0
    return names


def _kind(status: str, message: str) -> tuple[str, str]:
    if status == "timeout":
        return TIMEOUT, message
    if status == "crashed":
        return CRASHED, message
    if message.startswith(_NOT_RUN):
        return NOT_RUN, message[len(_NOT_RUN):]
    head = message.split(":", 1)[0].strip()
    if head in _SYNTAX_ERRORS:
        return SYNTAX, message
    if head in _IMPORT_ERRORS:
        return IMPORT, message
    return EXCEPTION, message


def _where(label: str, line: Optional[int]) -> str:
    """"cell 4, line 7"; in a .py file "line 31", the failing line itself (a unit's label is its
    first line, which is not where it failed)."""
    if not line:
        return label
    if label.startswith("line "):
        return f"line {line}"
    return f"{label}, line {line}"
