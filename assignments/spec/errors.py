"""A spec problem with its location, and the key checks every part of the spec's structural checks uses.

Below ``spec_schema`` and ``spec_caches`` (both build on it), so neither needs the other to say what
an error is.
"""
from __future__ import annotations

import difflib
import keyword
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SpecError:
    """One problem of a spec: where (``items[3] (lstm_backward).points``) and what."""

    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


def is_name(v: Any) -> bool:
    return isinstance(v, str) and v.isidentifier() and not keyword.iskeyword(v)


def unknown_keys(table: dict, allowed, location: str) -> list[SpecError]:
    """An error per key of ``table`` not in ``allowed``, with the closest allowed key suggested."""
    errors = []
    for key in table:
        if key in allowed:
            continue
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else f"; allowed keys: {', '.join(allowed)}"
        errors.append(SpecError(f"{location}.{key}", f"unknown key{hint}"))
    return errors
