"""The project's one message-catalogue format, at the bottom layer (it imports nothing of the project).

A catalogue is a folder of flat TOML tables, one per language: ``<folder>/<lang>.toml`` holding
``key = "text with {fields}"``. Every language has the same keys with the same ``{fields}`` (the
parity test in ``tests/grader/test_catalogues.py`` checks every catalogue of the project). An unknown
language falls back to English.

A *message* is what results carry instead of prose: ``{"key": str, "fields": {name: value}}``. A field
may itself be a message (``{"key", "fields"}``), rendered in the same language, so a sentence made of
parts ("not checked: your backward returned a list of 2 values") is translated part by part; a field
that is a list of parts is joined by the catalogue's ``list.separator``.
``render`` turns a message into text only where it is shown, in the reader's language.

The answer key (``solutions/``), the grader and the student kit's generator all read catalogues here.
"""
from __future__ import annotations

import re
import string
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

FALLBACK = "en"


@lru_cache(maxsize=None)
def languages(folder: Path) -> tuple[str, ...]:
    """The languages a catalogue folder has (listed once per process: they ship with the package)."""
    return tuple(sorted(p.stem for p in Path(folder).glob("*.toml")))


@lru_cache(maxsize=None)
def load(folder: Path, lang: str) -> dict[str, str]:
    """The table of ``lang`` in ``folder`` (English when the folder has no such language)."""
    folder = Path(folder)
    lang = lang if lang in languages(folder) else FALLBACK
    with open(folder / f"{lang}.toml", "rb") as f:
        return tomllib.load(f)


def fields_of(text: str) -> set[str]:
    """The ``{field}`` names a catalogue text uses (format specs dropped: ``{err:.1e}`` → ``err``)."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(text) if name}


def message(key: str, /, **fields: Any) -> dict:
    """A message to store in a result: its key and its fields, never its text."""
    return {"key": key, "fields": fields}


def is_message(value: Any) -> bool:
    # a plain dict first: results hold hundreds of messages per student, and the ABC check of
    # Mapping costs ten times a type check
    if type(value) is not dict and not isinstance(value, Mapping):
        return False
    return isinstance(value.get("key"), str) and "fields" in value


def listing(items: list) -> dict:
    """A field that enumerates names ("output c, step 1 c_prev"): joined by the catalogue's
    ``list.names_separator`` (", " in English, "、" in Chinese) instead of ``list.separator``, which
    joins clauses."""
    return {"names": list(items)}


def capitalized(part: Any) -> dict:
    """A field whose text starts with a capital letter (a clause that opens a sentence in one place
    and follows a comma in another); languages without capitals are unchanged."""
    return {"capitalized": part}


class Catalogue:
    """``t("key", name=value)``: the entry of ``key`` in one language; a missing key is a bug.

    ``name`` says which catalogue in errors ("grader", "reports", ...). Field values that are
    messages are rendered in the same language first.

    ``parts`` lends keys to other catalogues by prefix: with ``parts={"symbolic": folder}`` the key
    ``symbolic.verdict.equivalent`` is ``verdict.equivalent`` of that folder, whose own fields are
    that catalogue's keys (a part stores its messages without knowing the prefix).
    """

    def __init__(self, folder: Path, lang: str | None, name: str = "",
                 parts: Mapping[str, Path] | None = None):
        self.folder = Path(folder)
        self.requested = lang
        self.lang = lang if lang in languages(self.folder) else FALLBACK
        self.name = name or self.folder.parent.name
        self.parts = dict(parts or {})
        self._cat = load(self.folder, self.lang)
        self._part_catalogues: dict = {}

    def _part(self, key: str) -> "tuple[Catalogue, str] | None":
        prefix, _, rest = key.partition(".")
        if rest and prefix in self.parts and key not in self._cat:
            catalogue = self._part_catalogues.get(prefix)
            if catalogue is None:
                catalogue = self._part_catalogues[prefix] = Catalogue(self.parts[prefix], self.requested, prefix)
            return catalogue, rest
        return None

    def __call__(self, key: str, /, **fields: Any) -> str:
        part = self._part(key)
        if part is not None:
            catalogue, rest = part
            return catalogue(rest, **fields)
        try:
            text = self._cat[key]
        except KeyError:
            raise KeyError(f"{self.name} catalogue {self.lang}.toml has no entry {key!r}") from None
        if not fields:
            return text
        return text.format(**{k: self._field(v) for k, v in fields.items()})

    def _field(self, value: Any) -> Any:
        # A message is said in this language; a list of parts is joined by the catalogue's
        # "list.separator" ("; " in English, "；" in Chinese).
        if type(value) in (str, int, float):  # most fields: said as they are
            return value
        if is_message(value):
            return self.render(value)
        if isinstance(value, Mapping) and "capitalized" in value and len(value) == 1:
            text = str(self._field(value["capitalized"]))
            return text[:1].upper() + text[1:]
        if isinstance(value, Mapping) and isinstance(value.get("names"), list) and len(value) == 1:
            return self._cat.get("list.names_separator", ", ").join(str(self._field(v)) for v in value["names"])
        if isinstance(value, list):
            return self._cat.get("list.separator", "; ").join(str(self._field(v)) for v in value)
        return value

    def has(self, key: str) -> bool:
        part = self._part(key)
        return part[0].has(part[1]) if part is not None else key in self._cat

    def keys(self) -> list[str]:
        return list(self._cat)

    def render(self, msg: Any) -> str:
        """A stored message as text: a ``{"key", "fields"}`` message, or prose kept from older results."""
        if is_message(msg):
            return self(msg["key"], **(msg.get("fields") or {}))
        return "" if msg is None else str(msg)


_ENGLISH_RUN = re.compile(r"[A-Za-z]+(?:['’][a-z]+)?(?:[ ,;:]+[A-Za-z]+(?:['’][a-z]+)?){2,}")


def english_runs(text: str) -> list[str]:
    """Runs of three or more ASCII words in ``text`` outside `code spans` (an untranslated sentence)."""
    return _ENGLISH_RUN.findall(re.sub(r"`[^`]*`", "", text))
