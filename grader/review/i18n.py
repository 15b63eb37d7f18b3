"""The review's UI texts: one flat TOML catalogue per language (``i18n/zh.toml``, ``i18n/en.toml``),
same keys and placeholders in each, in the project's one catalogue format (:mod:`msgcat`)."""
from __future__ import annotations

from pathlib import Path

import msgcat

_DIR = Path(__file__).parent / "i18n"
LANGS = ("zh", "en")


def catalogue(lang: str) -> dict[str, str]:
    return msgcat.load(_DIR, lang if lang in LANGS else "en")


class Texts(msgcat.Catalogue):
    """``t("key", name=value)``: the catalogue entry of ``key`` in the UI language."""

    def __init__(self, lang: str):
        super().__init__(_DIR, lang if lang in LANGS else "en", "review")
