"""The grader's own item and case messages, in the assignment's language (en, zh)."""
from __future__ import annotations

_CATALOGUE = {
    "cases_passed": {"en": "{n}/{total} cases passed", "zh": "{n}/{total} 个用例通过"},
    "not_implemented": {"en": "{item} is not implemented yet", "zh": "{item} 尚未实现"},
    "values_differ": {"en": "{name}: values differ{err}", "zh": "{name}：数值不符{err}"},
    "max_abs_err": {"en": " (max abs error {err:.1e})", "zh": "（最大绝对误差 {err:.1e}）"},
    "not_run": {"en": "{item} was not run", "zh": "{item} 未运行"},
    "modified_inputs": {"en": "{item} modified its inputs: {names}", "zh": "{item} 修改了它的输入：{names}"},
    "symbolic_empty": {"en": "{item} is empty: write your expression between the quotes.",
                       "zh": "{item} 为空：请在引号中写出你的表达式。"},
    "free_missing": {"en": "no answer found for {item} (a markdown cell tagged {item})",
                     "zh": "未找到 {item} 的答案（需要一个带有 {item} 标签的 Markdown 单元格）"},
    "free_pending": {"en": "graded by hand", "zh": "人工评分"},
    "no_submission": {"en": "no submission", "zh": "未提交"},
    "unreadable": {"en": "the submission could not be read", "zh": "无法读取该提交"},
}


def msg(key: str, lang: str, **fields) -> str:
    entry = _CATALOGUE[key]
    return entry.get(lang, entry["en"]).format(**fields)
