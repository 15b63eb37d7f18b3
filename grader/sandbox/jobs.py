"""What the grader asks of the sandbox (Job, Call, Limits) and what it gets back (JobResult)."""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from grader.core.digest import value_digest
from grader.messages import texts

# The sandbox reports codes and fields (``msg``: {"key", "fields"}); their texts are in the grader's
# catalogue, rendered in the reader's language where they are shown (grader.messages.outcome_text).


def english(coded: Optional[dict]) -> str:
    """The English text of a coded sandbox message (for logs and for ``message``)."""
    return texts("en").render(coded) if coded else ""


# The keys a child may report: its own codes, places and why a cache does not follow its layout. The
# child runs the submission's code, which can write frames too; a key outside these would make every
# report of that result fail to render.
CHILD_KEY_PREFIXES = ("sandbox.", "place.", "cache.")


@functools.lru_cache(maxsize=None)
def _child_keys() -> frozenset:
    return frozenset(k for k in texts("en").keys() if k.startswith(CHILD_KEY_PREFIXES))


def valid_child_message(coded, depth: int = 0) -> bool:
    """A coded message from the child: a key of the child's and fields of plain values or coded
    messages, nested at most 4 deep."""
    return (depth < 4 and isinstance(coded, dict) and isinstance(coded.get("key"), str)
            and coded["key"] in _child_keys() and isinstance(coded.get("fields"), dict)
            and all(isinstance(k, str) and (isinstance(v, (str, int, float)) or valid_child_message(v, depth + 1))
                    for k, v in coded["fields"].items()))

UNIT_STATUSES = ("ok", "error", "timeout", "crashed")
CALL_STATUSES = ("ok", "exception", "timeout", "crashed", "not_defined", "not_callable", "bad_output",
                 "producer_failed")


@dataclass(frozen=True)
class Limits:
    """Resource limits of one sandboxed process, and of the pool's bookkeeping.

    ``memory_mb`` is added to the worker's own address-space size (NumPy already mapped) to give
    RLIMIT_AS. ``stdout_kb`` is what is kept of printed text (per call and for the load);
    ``kill_output_kb`` is how much raw output on file descriptors 1/2 ends the process.
    ``max_restarts`` bounds how often one job may start a fresh process after a crash or timeout.
    ``uid_base``: worker slot k runs as uid ``uid_base + k`` when the grader runs as root (None: a
    base derived from the grader's pid, so that two pools on one machine do not share uids).
    """

    memory_mb: int = 512
    cpu_slack_s: float = 2.0
    max_files: int = 64
    file_size_mb: int = 1
    scratch_mb: int = 16
    max_threads: int = 8
    stdout_kb: int = 64
    call_stdout_kb: int = 8
    kill_output_kb: int = 1024
    max_result_mb: int = 64
    max_restarts: int = 3
    uid_base: Optional[int] = None


@dataclass
class Call:
    """One call of one student function. ``args`` are plain values (ndarray, dict of them, numbers).

    ``arg_names`` (optional, in signature order) name modified inputs in reports: "parameters['Wf']".

    Cache-style calls (docs/sandbox.md, "Chained calls"): ``produced`` lists arguments the child
    makes itself, ``{"pos": k, "function": F, "output": i, "names": [F's output names], "layout":
    <layout>}``: ``args[k]`` holds F's inputs, the child calls F on them and passes F's output i
    on (the value stays in the child; its extract by the layout comes back in
    ``CallOutcome.produced``). ``caches`` lists outputs of this call that are caches, ``{"index": i,
    "names": [...], "layout": <layout>}``: the child returns their extract in their place.
    """

    call_id: str
    function: str
    args: list
    timeout: float
    arg_names: Optional[tuple] = None
    produced: Optional[list] = None
    caches: Optional[list] = None


@dataclass
class Job:
    """Units to load, then calls to make, in one process (a new one only after a crash or timeout).

    ``followup``, when given, is asked once for more calls as soon as every call has an outcome
    (``followup(outcomes)`` with ``outcomes`` = {call_id: CallOutcome}); the calls it returns run in
    the same process, after the others. ``followup_seconds`` bounds their total time limits (it is
    part of the process's CPU budget).
    """

    units: list  # list[grader.loading.units.CodeUnit]
    calls: list  # list[Call]
    load_timeout: float
    followup: Optional[Callable[[dict], list]] = None
    followup_seconds: float = 0.0
    # The assignment's support modules ({module name: source}) and inert modules (names whose import
    # gives a do-nothing stand-in; ``inert_names`` are what ``from <inert> import *`` provides).
    support_modules: dict = field(default_factory=dict)
    inert_modules: tuple = ()
    inert_names: tuple = ()


def unit_place(unit) -> "dict | str":
    """Where a unit is, as a message (a CodeUnit's ``place``), or its label for a unit without one."""
    return getattr(unit, "place", None) or unit.label


def unit_cell(unit) -> Optional[int]:
    """The notebook cell (1-based) a unit is, None for a .py file's statement."""
    index = getattr(unit, "cell_index", None)
    return index + 1 if isinstance(index, int) else None


@dataclass
class UnitOutcome:
    """``msg``: what happened as a catalogue key and fields (the sandbox's own reports); ``message``:
    its English text, or Python's own exception text when the submission's code raised."""

    label: str
    status: str  # ok | error | timeout | crashed
    message: str = ""
    line: Optional[int] = None  # line in the original file/cell (1-based), when known
    msg: Optional[dict] = None

    def __post_init__(self):
        if self.msg and not self.message:
            self.message = english(self.msg)


@dataclass
class CallOutcome:
    status: str  # see CALL_STATUSES
    value: Any = None
    message: str = ""
    seconds: Optional[float] = None
    inputs_modified: list = field(default_factory=list)
    stdout: str = ""
    produced: Optional[list] = None  # extracts of the caches the child made for this call
    msg: Optional[dict] = None  # a coded message {"key", "fields"}; ``message`` is then its English text

    def __post_init__(self):
        if self.msg and not self.message:
            self.message = english(self.msg)

    @functools.cached_property
    def digest(self) -> Optional[bytes]:
        """A digest of ``value`` (None if it cannot be digested exactly): the key under which the
        grader remembers verdicts about a value it has seen before."""
        return value_digest(self.value)


@dataclass
class JobResult:
    units: list  # list[UnitOutcome], one per job unit, in order
    calls: dict  # call_id -> CallOutcome
    stdout: str
    isolation: dict  # {"layers": {name: "on" | "off: why"}, "summary": "full" | "partial: ..."}
