"""What the hosted graders tell students and staff, in the release's language (en, zh).

The texts are the TOML catalogue ``grader/hosted/i18n/<lang>.toml`` (the project's one catalogue
format, :mod:`msgcat`): every key in every language, with the same fields.
"""
from __future__ import annotations

from pathlib import Path

import msgcat

_DIR = Path(__file__).parent / "i18n"


def text(key: str, lang: str, **fields) -> str:
    return msgcat.Catalogue(_DIR, lang, "hosted")(key, **fields)


def keys() -> list:
    return list(msgcat.load(_DIR, msgcat.FALLBACK))


def languages(key: str) -> set:
    return {lang for lang in msgcat.languages(_DIR) if key in msgcat.load(_DIR, lang)}
