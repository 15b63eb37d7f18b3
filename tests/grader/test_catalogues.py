"""Every message catalogue of the project, in its one format (msgcat: ``<folder>/<lang>.toml``).

Is every key in every language, with the same ``{fields}``? Does every key, rendered in Chinese with
sample fields, read as Chinese (no run of three English words outside `code` and the fields)?
Assignment content (``assignments/<name>/i18n``, nested tables) is checked by the spec validator.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import msgcat

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = {
    "grader": ROOT / "grader" / "i18n",
    "reports": ROOT / "grader" / "reports" / "i18n",
    "review": ROOT / "grader" / "review" / "i18n",
    "hosted": ROOT / "grader" / "hosted" / "i18n",
    "symbolic": ROOT / "grader" / "symbolic" / "i18n",
    "checking": ROOT / "grader" / "checking" / "i18n",
    "student_kit": ROOT / "assignments" / "student_kit" / "i18n",
    "derivation": ROOT / "solutions" / "derivation" / "i18n",
    "mistakes": ROOT / "grader" / "diagnosis" / "i18n",
}

# Texts that are the same in every language by design: names of things, code, units.
SAME_IN_ZH = {
    ("grader", "value.none"), ("grader", "value.other"), ("grader", "cache_at_entry"),
    ("checking", "desc_none"),
}


def test_every_catalogue_folder_is_listed():
    """Is a new catalogue (a folder of <lang>.toml beside the code) covered by these tests?"""
    found = {p.parent for top in ("grader", "solutions", "assignments/student_kit", "msgcat")
             for p in (ROOT / top).glob("**/i18n/en.toml")}
    assert found == set(CATALOGUES.values())


@pytest.mark.parametrize("name", sorted(CATALOGUES))
def test_every_key_in_every_language_with_the_same_fields(name):
    folder = CATALOGUES[name]
    langs = msgcat.languages(folder)
    assert set(langs) == {"en", "zh"}
    en = msgcat.load(folder, "en")
    for lang in langs:
        table = msgcat.load(folder, lang)
        assert set(table) == set(en), (lang, set(table) ^ set(en))
        for key, text in table.items():
            assert msgcat.fields_of(text) == msgcat.fields_of(en[key]), (name, lang, key)


class _Sample(str):
    """A field's sample value: "X1" (neither English nor Chinese words), whatever its format spec."""

    def __format__(self, spec: str) -> str:
        return str(self)


def _sample(field: str) -> _Sample:
    return _Sample(f"X{sum(map(ord, field)) % 97}")


def _zh_texts():
    for name, folder in sorted(CATALOGUES.items()):
        for key, text in msgcat.load(folder, "zh").items():
            if (name, key) not in SAME_IN_ZH:
                yield name, key, text


@pytest.mark.parametrize("name,key,text", list(_zh_texts()), ids=lambda v: v if isinstance(v, str) and len(v) < 60 else "")
def test_every_key_renders_as_chinese(name, key, text):
    if name == "derivation":  # literal braces (h_{t-1}): the page fills only the fields it names
        rendered = re.sub(r"\{(\w+)\}", lambda m: _sample(m.group(1)), text)
    else:
        rendered = text.format(**{f: _sample(f) for f in msgcat.fields_of(text)})
    runs = msgcat.english_runs(rendered)
    assert not runs, f"{name}:{key} is not translated: {runs}"


# ASCII "; " or ": " right after a Chinese character or a field: a clause joined the English way
# ("{head}; {where}: {first}" read "0/2 个用例通过; public-0: …" in a zh report).
_ASCII_JOIN = re.compile(r"(?:[\u4e00-\u9fff）。]|\{[a-z_][a-z_0-9]*\})[;:] ")


@pytest.mark.parametrize("name,key,text", list(_zh_texts()), ids=lambda v: v if isinstance(v, str) and len(v) < 60 else "")
def test_every_zh_key_joins_its_clauses_with_chinese_punctuation(name, key, text):
    plain = re.sub(r"`[^`]*`|\$[^$]*\$", "", text)  # code and formulas keep their own punctuation
    assert not _ASCII_JOIN.search(plain), f"{name}:{key} joins with ASCII punctuation: {text!r}"


@pytest.mark.parametrize("text, runs", [
    ("未检查与前向计算的一致性：not checked: your backward returned a list of 2 values",
     ["not checked: your backward returned a list of"]),
    ("运行 `np.zeros(shape)` 时 dtype 为 float64", []),
    ("形状为 (5, 4) 的 numpy 数组", []),
])
def test_the_english_detector_finds_the_issues_example(text, runs):
    assert msgcat.english_runs(text) == runs
