"""Finding `uses_notebook_globals` from the numbers: call again with other parameters.

A function that reads its weights from notebook globals instead of ``parameters`` returns the same
outputs whatever ``parameters`` holds. :func:`probe_calls` gives the extra call (the case's inputs
with every parameter replaced by −0.5·p + 0.1, which flips saturated gates too), and
:func:`diagnose_probe` reports the mistake when an output of the student's function stayed the same
although the answer key's changed.
"""
from __future__ import annotations

import copy
import importlib
from typing import Any

import numpy as np

from grader.checking.checkcache import CheckCache
from grader.checking.compare import tolerance_check
from grader.core.digest import value_digest
from grader.diagnosis.matching import as_number_array, leaves

PROBE_SUFFIX = "probe-parameters"

# The answer key's output must move at least this much (relative) for "should change" to hold.
_CHANGE_RTOL = 1e-3
_CHANGE_ATOL = 1e-6

_PROBES = CheckCache()  # per case: the probe's inputs, and the answer key's output on them
_PROBE_VERDICTS = CheckCache()  # per case and pair of returned values (students share their bugs)


def _probe_parameters(parameters: dict) -> dict:
    return {k: -0.5 * np.asarray(v, dtype=np.float64) + 0.1 for k, v in parameters.items()}


def probe_calls(item_id: str, case) -> list[tuple[str, tuple]]:
    """``[(suffix, args)]``: the case's inputs with a different ``parameters`` dict; empty for a
    function without one (clip_by_global_norm). Run each with call id ``f"{case.case_id}:{suffix}"``.

    Worked out once per case: the arrays are shared, like the case's own inputs (nobody modifies
    them; the sandbox sends copies)."""
    calls = _PROBES.get(case, (item_id, b"calls"))
    if calls is None:
        calls = _probe_calls(case)
        _PROBES.put(case, (item_id, b"calls"), calls)
    return list(calls)


def _probe_calls(case) -> tuple:
    names = tuple(case.arg_names)
    if "parameters" not in names:
        return ()
    k = names.index("parameters")
    args = list(copy.deepcopy(tuple(case.args)))
    args[k] = _probe_parameters(case.args[k])
    return ((PROBE_SUFFIX, tuple(args)),)


def _probe_expected(item_id: str, case, calls: list):
    """The answer key's output on the probe's inputs, once per case."""
    expected = _PROBES.get(case, (item_id, b"expected"))
    if expected is None:
        expected = _reference(item_id)(*copy.deepcopy(calls[0][1]))
        _PROBES.put(case, (item_id, b"expected"), expected)
    return expected


def _reference(item_id: str):
    """The answer key's function of that name, or None (an item of another assignment's own key)."""
    return getattr(importlib.import_module("solutions"), item_id, None)


def diagnose_probe(item_id: str, case, returned: Any, probe_returned: Any) -> list[str]:
    """``["uses_notebook_globals"]`` when some output of the student's function is the same for the
    case's parameters and the probe's, while the answer key's output changes; else ``[]``.

    Outputs that are constant (a stub returning zeros) or of size 1 prove nothing and are skipped.
    """
    calls = probe_calls(item_id, case)
    if not calls or _reference(item_id) is None:
        return []
    first, probe = value_digest(returned), value_digest(probe_returned)
    key = first + probe if first is not None and probe is not None else None
    verdict = _PROBE_VERDICTS.get(case, (item_id, key)) if key is not None else None
    if verdict is None:
        verdict = _diagnose_probe(case, returned, probe_returned, _probe_expected(item_id, case, calls))
        if key is not None:
            _PROBE_VERDICTS.put(case, (item_id, key), verdict)
    return list(verdict)


def _diagnose_probe(case, returned: Any, probe_returned: Any, probe_expected: Any) -> tuple:
    got = {path: (g, e) for path, g, e in leaves(returned, case.expected)}
    for path, probe_got, probe_exp in leaves(probe_returned, probe_expected):
        first_got, first_exp = got.get(path, (None, None))
        a, b = as_number_array(first_got), as_number_array(probe_got)
        e0, e1 = as_number_array(first_exp), as_number_array(probe_exp)
        if a is None or b is None or e0 is None or e1 is None or a.shape != b.shape or e0.shape != e1.shape:
            continue
        if a.size < 2 or not np.all(np.isfinite(a)) or np.ptp(a) == 0.0:
            continue
        should_change = not tolerance_check(e1, e0, _CHANGE_RTOL, _CHANGE_ATOL).ok
        stayed = tolerance_check(b, a, case.rtol, case.atol).ok
        if should_change and stayed:
            return ("uses_notebook_globals",)
    return ()
