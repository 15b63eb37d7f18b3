"""What the hosted graders tell students and staff, in the release's language (en, zh).

Same shape as ``grader.messages``: one catalogue, every key in both languages, ``text(key, lang)``.
"""
from __future__ import annotations

_CATALOGUE = {
    "header": {"en": "{assignment} (version {version}): graded {file}.",
               "zh": "{assignment}（版本 {version}）：已评分 {file}。"},
    "public_test": {"en": "{title} — public cases", "zh": "{title} — 公开用例"},
    "hidden_test": {"en": "{title} — hidden cases", "zh": "{title} — 隐藏用例"},
    "hidden_later": {"en": "Hidden cases count towards your score; their results are shown when grades are published.",
                     "zh": "隐藏用例计入你的得分；其结果在成绩发布后显示。"},
    "hidden_count": {"en": "{passed} of {total} hidden case(s) passed; their inputs and values stay hidden.",
                     "zh": "{total} 个隐藏用例中通过 {passed} 个；其输入与数值不予显示。"},
    "no_file": {"en": "No notebook (.ipynb) or Python file (.py) was found in your submission. "
                      "Upload your completed {notebook}.",
                "zh": "你的提交中没有找到 notebook（.ipynb）或 Python 文件（.py）。请上传完成的 {notebook}。"},
    "several_files": {"en": "Your submission holds several files that could be graded ({names}). "
                            "Upload only {notebook}, or exactly one .ipynb or .py file.",
                      "zh": "你的提交中有多个可评分的文件（{names}）。请只上传 {notebook}，或只上传一个 .ipynb 或 .py 文件。"},
    "not_on_roster": {"en": "{who} is not on the course roster: your hidden cases were derived from {student}. "
                            "Ask course staff to add you to the roster.",
                      "zh": "{who} 不在课程名单上：你的隐藏用例由 {student} 生成。请联系助教将你加入名单。"},
    "no_identity": {"en": "The submission names no student: graded with the hidden cases of {student}.",
                    "zh": "提交中没有学生身份信息：按 {student} 的隐藏用例评分。"},
    "group": {"en": "Group submission: graded with the hidden cases of {student}.",
              "zh": "小组提交：按 {student} 的隐藏用例评分。"},
    "variant": {"en": "Your hidden cases are those of this question variant.",
                "zh": "你的隐藏用例属于本题的这一变体。"},
    "internal_error": {"en": "rnngrade could not grade this submission ({error}). This is not your mistake: "
                             "please tell course staff; your score is not final.",
                       "zh": "rnngrade 无法为此提交评分（{error}）。这不是你的错误：请告知助教；此得分不是最终成绩。"},
    "pl_question": {"en": "Upload your completed notebook {notebook}. It is graded by rnngrade: public and "
                          "hidden cases, as in the local checks.",
                    "zh": "请上传完成的 notebook {notebook}。它由 rnngrade 评分：包括公开用例与隐藏用例，与本地检查相同。"},
}


def text(key: str, lang: str, **fields) -> str:
    entry = _CATALOGUE[key]
    return entry.get(lang, entry["en"]).format(**fields)


def keys() -> list:
    return list(_CATALOGUE)


def languages(key: str) -> set:
    return set(_CATALOGUE[key])
