"""Message catalogues of the reports: one template, one TOML catalogue per language.

A catalogue is a flat table ``key = "text with {placeholders}"`` (``i18n/<lang>.toml``). Every
catalogue has the same keys and the same placeholders (a test checks it). An unknown language falls
back to English, so a spec that declares a language without a catalogue still gets readable reports.
"""
from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

_DIR = Path(__file__).parent / "i18n"
FALLBACK = "en"


@lru_cache(maxsize=1)
def _catalogue_names() -> tuple[str, ...]:
    # The catalogues ship with the package: listing the folder once per process is enough (every
    # Translator resolves its language, dozens of times per report).
    return tuple(sorted(p.stem for p in _DIR.glob("*.toml")))


def available() -> list[str]:
    return list(_catalogue_names())


def resolve_lang(lang: str | None) -> str:
    """The catalogue used for ``lang``: itself when it exists, else English."""
    return lang if lang in _catalogue_names() else FALLBACK


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict[str, str]:
    with open(_DIR / f"{resolve_lang(lang)}.toml", "rb") as f:
        return tomllib.load(f)


class Translator:
    """``t("key", name=value)`` formats the catalogue entry of ``key``; a missing key is a bug."""

    def __init__(self, lang: str | None):
        self.lang = resolve_lang(lang)
        self._cat = catalogue(self.lang)

    def __call__(self, key: str, **kw) -> str:
        try:
            text = self._cat[key]
        except KeyError:
            raise KeyError(f"report catalogue {self.lang}.toml has no entry {key!r}") from None
        return text.format(**kw) if kw else text

    def has(self, key: str) -> bool:
        return key in self._cat
