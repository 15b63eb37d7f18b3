"""Message catalogues of the reports: one template, one TOML catalogue per language.

A catalogue is a flat table ``key = "text with {placeholders}"`` (``i18n/<lang>.toml``), in the
project's one catalogue format (:mod:`msgcat`). Every catalogue has the same keys and the same
placeholders (a test checks it). An unknown language falls back to English, so a spec that declares a
language without a catalogue still gets readable reports.
"""
from __future__ import annotations

from pathlib import Path

import msgcat

_DIR = Path(__file__).parent / "i18n"
FALLBACK = msgcat.FALLBACK


def available() -> list[str]:
    return list(msgcat.languages(_DIR))


def resolve_lang(lang: str | None) -> str:
    """The catalogue used for ``lang``: itself when it exists, else English."""
    return lang if lang in msgcat.languages(_DIR) else FALLBACK


def catalogue(lang: str) -> dict[str, str]:
    return msgcat.load(_DIR, resolve_lang(lang))


class Translator(msgcat.Catalogue):
    """``t("key", name=value)`` formats the catalogue entry of ``key``; a missing key is a bug."""

    def __init__(self, lang: str | None):
        super().__init__(_DIR, lang, "report")
