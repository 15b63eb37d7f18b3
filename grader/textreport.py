"""Plain-text feedback for the terminal (``rnngrade check``)."""
from __future__ import annotations

from grader.model import SubmissionResult

_MARK = {"passed": "PASS", "partial": "PART", "failed": "FAIL", "error": "ERR ", "timeout": "TIME",
         "unanswered": "MISS", "pending_manual": "HAND"}


def check_lines(result: SubmissionResult) -> tuple:
    """Lines to print, and whether every checked item passed."""
    lines = [f"rnngrade check: {result.path} ({result.assignment}, version {result.version})"]
    if result.status == "load_error":
        return lines + [f"ERR  {result.message}"], False
    for note in result.notes:
        lines.append(f"note: {note}")
    for err in result.load_errors:
        lines.append(f"ERR  {err['where']}: {err['message']}")
    ok = True
    for it in result.items:
        mark = _MARK.get(it.status, it.status)
        if it.kind == "code":
            n = sum(c.passed for c in it.cases)
            lines.append(f"{mark} {it.item}: {n}/{len(it.cases)} public case(s) passed")
            for c in it.cases:
                if not c.passed:
                    lines.append(f"       {c.case_id}" + (f" ({c.label})" if c.label else "") + f": {c.message}")
            for d in it.diagnoses:
                lines.append(f"       likely mistake: {d}")
            ok &= it.status == "passed"
        elif it.kind == "symbolic":
            lines.append(f"{mark} {it.item}: {it.message}")
            ok &= it.status == "passed"
        else:
            state = "answered, graded by hand" if it.status == "pending_manual" else "no answer yet"
            lines.append(f"{mark} {it.item}: {state}")
    lines.append("Public checks only: hidden cases are graded after you submit; "
                 "passing these checks is not full marks.")
    return lines, ok
