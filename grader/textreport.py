"""Plain-text feedback for the terminal (``rnngrade check``)."""
from __future__ import annotations

from grader.model import SubmissionResult
from grader.reports.mistakes import describe

_MARK = {"passed": "PASS", "partial": "PART", "failed": "FAIL", "error": "ERR ", "timeout": "TIME",
         "unanswered": "MISS", "pending_manual": "HAND"}

_TEXT = {
    "head": {"en": "rnngrade check: {path} ({assignment}, version {version})",
             "zh": "rnngrade check：{path}（{assignment}，版本 {version}）"},
    "note": {"en": "note: {note}", "zh": "说明：{note}"},
    "cases": {"en": "{mark} {item}: {n}/{total} public case(s) passed",
              "zh": "{mark} {item}：{n}/{total} 个公开用例通过"},
    "mistake": {"en": "       likely mistake: {title}", "zh": "       可能的错误：{title}"},
    "hint": {"en": "         hint: {hint}", "zh": "         提示：{hint}"},
    "free_answered": {"en": "answered, graded by hand", "zh": "已作答，人工评分"},
    "free_missing": {"en": "no answer yet", "zh": "尚未作答"},
    "closing": {"en": "Public checks only: hidden cases are graded after you submit; "
                      "passing these checks is not full marks.",
                "zh": "这里只运行公开检查：隐藏用例在提交后评分；通过这些检查并不等于满分。"},
}


def _t(key: str, lang: str, **fields) -> str:
    entry = _TEXT[key]
    return entry.get(lang, entry["en"]).format(**fields)


def check_lines(result: SubmissionResult) -> tuple:
    """Lines to print, and whether every checked item passed."""
    lang = result.lang
    lines = [_t("head", lang, path=result.path, assignment=result.assignment, version=result.version)]
    if result.status == "load_error":
        return lines + [f"ERR  {result.message}"], False
    for note in result.notes:
        lines.append(_t("note", lang, note=note))
    for err in result.load_errors:
        lines.append(f"ERR  {err['where']}: {err['message']}")
    ok = True
    for it in result.items:
        mark = _MARK.get(it.status, it.status)
        if it.kind == "code":
            n = sum(c.passed for c in it.cases)
            lines.append(_t("cases", lang, mark=mark, item=it.item, n=n, total=len(it.cases)))
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
                lines.append(_t("mistake", lang, title=desc["title"]) + (f" [{d}]" if desc["title"] != d else ""))
                if desc["hint"]:
                    lines.append(_t("hint", lang, hint=desc["hint"]))
            ok &= it.status == "passed"
        elif it.kind == "symbolic":
            lines.append(f"{mark} {it.item}: {it.message}")
            ok &= it.status == "passed"
        else:
            state = _t("free_answered" if it.status == "pending_manual" else "free_missing", lang)
            lines.append(f"{mark} {it.item}: {state}")
    lines.append(_t("closing", lang))
    return lines, ok
