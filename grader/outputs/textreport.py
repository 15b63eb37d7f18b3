"""Plain-text feedback for the terminal (``rnngrade check``)."""
from __future__ import annotations

from grader.messages import localized, msg
from grader.model import SubmissionResult
from grader.reports.mistakes import describe

_MARK = {"passed": "PASS", "partial": "PART", "failed": "FAIL", "error": "ERR ", "timeout": "TIME",
         "unanswered": "MISS", "pending_manual": "HAND"}

def check_lines(result: SubmissionResult) -> tuple:
    """Lines to print, and whether every checked item passed."""
    lang = result.lang
    result = localized(result, lang)  # the results keep messages as keys and fields
    lines = [msg("check_head", lang, path=result.path, assignment=result.assignment, version=result.version)]
    if result.status == "load_error":
        return lines + [f"ERR  {result.message}"], False
    for note in result.notes:
        lines.append(msg("check_note", lang, note=note))
    for err in result.load_errors:
        lines.append(msg("check_load_error", lang, where=err["where"], error=err["message"]))
    ok = True
    for it in result.items:
        mark = _MARK.get(it.status, it.status)
        if it.kind == "code":
            n = sum(c.passed for c in it.cases)
            lines.append(msg("check_cases", lang, mark=mark, item=it.item, n=n, total=len(it.cases)))
            if it.load_failure:  # every case says "not defined": the item's message says why
                lines.append(f"       {it.message}")
                ok = False
                continue
            failing = [c for c in it.cases if not c.passed]
            # a stub fails every case with the same message: once is enough
            shown, said = (failing[:1] if it.status == "unanswered" else failing), set()
            for c in shown:
                if c.message in said:
                    continue
                said.add(c.message)
                lines.append(f"       {c.case_id}" + (f" ({c.label})" if c.label else "") + f": {c.message}")
            for d in it.diagnoses:
                desc = describe(d, lang)
                lines.append(msg("check_mistake", lang, title=desc["title"]) + (f" [{d}]" if desc["title"] != d else ""))
                if desc["hint"]:
                    lines.append(msg("check_hint", lang, hint=desc["hint"]))
            ok &= it.status == "passed"
        elif it.kind == "symbolic":
            lines.append(f"{mark} {it.item}: {it.message}")
            ok &= it.status == "passed"
        else:
            state = msg("check_free_answered" if it.status == "pending_manual" else "check_free_missing", lang)
            lines.append(f"{mark} {it.item}: {state}")
    lines.append(msg("check_closing", lang))
    return lines, ok
