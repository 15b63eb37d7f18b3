"""The review's UI texts: one flat TOML catalogue per language (``i18n/zh.toml``, ``i18n/en.toml``),
same keys and placeholders in each, as the reports' catalogues (``grader/reports/i18n``)."""
from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

_DIR = Path(__file__).parent / "i18n"
LANGS = ("zh", "en")


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict[str, str]:
    with open(_DIR / f"{lang if lang in LANGS else 'en'}.toml", "rb") as f:
        return tomllib.load(f)


class Texts:
    """``t("key", name=value)``: the catalogue entry of ``key`` in the UI language."""

    def __init__(self, lang: str):
        self.lang = lang if lang in LANGS else "en"
        self._cat = catalogue(self.lang)

    def __call__(self, key: str, **kw) -> str:
        try:
            text = self._cat[key]
        except KeyError:
            raise KeyError(f"review catalogue {self.lang}.toml has no entry {key!r}") from None
        return text.format(**kw) if kw else text
