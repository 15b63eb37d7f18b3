"""The student kit's copy of the texts it needs, generated from the project's catalogues.

The kit runs on Python >= 3.9 with numpy only (no TOML reader, no grader), so it cannot read the
catalogues themselves: the release step writes ``rnngrade_texts.py`` beside the kit's modules, a
Python literal of

- ``COMPARE``: the staged checks' messages (``grader/checking/i18n``), which the vendored checker
  ``rnngrade_compare.py`` reads in the kit;
- ``KIT``: the kit's own texts (``assignments/student_kit/i18n``), read by ``rnngrade_local.py``.

``assignments/student_kit/rnngrade_texts.py`` is the same text, committed so that the kit's folder runs
as it is; a test checks that it is current (``python -m assignments.kit_texts`` rewrites it).
"""
from __future__ import annotations

import pprint
from pathlib import Path

import msgcat

ROOT = Path(__file__).resolve().parents[1]
SOURCES = {"COMPARE": ROOT / "grader" / "checking" / "i18n", "KIT": ROOT / "assignments" / "student_kit" / "i18n"}
KIT_COPY = ROOT / "assignments" / "student_kit" / "rnngrade_texts.py"
FILE_NAME = "rnngrade_texts.py"

_HEADER = '''"""Texts of the local checks, in every language of the assignment.

GENERATED from the rnngrade catalogues (grader/checking/i18n, assignments/student_kit/i18n) by the
release step (assignments/kit_texts.py): do not edit; edit the catalogues and run
``python -m assignments.kit_texts``.
"""
'''


def generate() -> str:
    """The source of ``rnngrade_texts.py`` (deterministic: languages and keys in catalogue order)."""
    parts = [_HEADER]
    for name, folder in SOURCES.items():
        tables = {lang: msgcat.load(folder, lang) for lang in msgcat.languages(folder)}
        parts.append(f"\n{name} = {pprint.pformat(tables, width=110, sort_dicts=False)}\n")
    return "".join(parts)


def write(folder: Path) -> Path:
    path = Path(folder) / FILE_NAME
    path.write_text(generate(), encoding="utf-8")
    return path


if __name__ == "__main__":
    print(write(KIT_COPY.parent))
