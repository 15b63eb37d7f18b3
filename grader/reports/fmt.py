"""Plain-text formatting of numbers, points, shapes and value previews for people.

Previews of expected/got values arrive as nested lists (see ``OutputCheck``). Small arrays are
shown whole; larger ones are summarised (shape, min, max, mean) so that a report stays readable
on a phone and never carries thousands of numbers.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

SMALL_ARRAY = 40  # elements shown whole; above this an array is summarised
TEXT_LIMIT = 4000  # characters of captured output kept in a report


def points(x: float | None) -> str:
    """7.5 → "7.5", 10.0 → "10", 6.666667 → "6.67"."""
    if x is None:
        return ""
    s = f"{float(x):.2f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def percent(x: float) -> str:
    """22.58 → "22.6": one decimal is enough for a share of points."""
    s = f"{float(x):.1f}"
    return s[:-2] if s.endswith(".0") else s


def number(x: Any) -> str:
    """A value at 6 significant digits (the precision a person compares by eye)."""
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        return str(x)
    if isinstance(x, float) and not math.isfinite(x):
        return str(x)
    return f"{x:.6g}"


def error(x: float | None) -> str:
    return "" if x is None else f"{float(x):.2e}"


def index(ix: Any) -> str:
    if ix is None:
        return ""
    if isinstance(ix, (list, tuple)):
        return "(" + ", ".join(str(i) for i in ix) + ")"
    return str(ix)


def shape(s: Any) -> str:
    if isinstance(s, (list, tuple)):
        if len(s) == 1:
            return f"({s[0]},)"
        return "(" + ", ".join(str(i) for i in s) + ")"
    if isinstance(s, dict):  # a dict argument: shape of each entry
        return "{" + ", ".join(f"{k}: {shape(v)}" for k, v in s.items()) + "}"
    return str(s)


def shorten(text: str, limit: int = 300) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def truncate_output(text: str, marker: str, limit: int = TEXT_LIMIT) -> str:
    """The first ``limit`` characters of captured output, plus ``marker`` (formatted with the
    number of characters left out) when something was cut."""
    if not text or len(text) <= limit:
        return text or ""
    return text[:limit] + "\n" + marker.format(n=len(text) - limit)


_GRID_LEAVES = frozenset((float, int, bool, str))
_PREVIEW_CACHE: dict = {}
_PREVIEW_CACHE_SIZE = 4096
_PREVIEW_KEY_LENGTH = 4000


def _grid_key(value: Any) -> str | None:
    """``repr(value)`` when ``value`` is nested lists of numbers or strings (a preview): equal keys
    then mean equal text. ``None`` for anything else (such a preview is not cached)."""
    if type(value) is not list:
        return None
    stack = [value]
    budget = 10_000  # rows; a list that holds itself is not a preview
    while stack:
        budget -= 1
        if budget < 0:
            return None
        row = stack.pop()
        types = set(map(type, row))
        if list in types:
            if not types <= _GRID_LEAVES | {list}:
                return None
            stack.extend(v for v in row if type(v) is list)
        elif not types <= _GRID_LEAVES:
            return None
    key = repr(value)
    return key if len(key) <= _PREVIEW_KEY_LENGTH else None


def preview(value: Any, summary_template: str) -> str:
    """Text for a value preview. ``summary_template`` has placeholders shape, min, max, mean."""
    # A class shares its public cases: the same expected values (and, for one mistake, the same
    # returned values) recur in every report, and NumPy's printing is slow.
    key = _grid_key(value)
    if key is None or type(summary_template) is not str:
        return _preview(value, summary_template)
    key = (key, summary_template, repr(np.get_printoptions()))
    text = _PREVIEW_CACHE.get(key)
    if text is None:
        text = _preview(value, summary_template)
        if len(_PREVIEW_CACHE) >= _PREVIEW_CACHE_SIZE:
            _PREVIEW_CACHE.clear()
        _PREVIEW_CACHE[key] = text
    return text


def _preview(value: Any, summary_template: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, (bool, int, float)):
        return number(value)
    if isinstance(value, str):
        return shorten(value)
    if isinstance(value, dict):
        return "\n".join(f"{k}: {preview(v, summary_template)}" for k, v in value.items())
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return shorten(repr(value))
    if arr.size <= SMALL_ARRAY:
        return np.array2string(arr, precision=6, max_line_width=80, separator=" ")
    finite = arr[np.isfinite(arr)]
    if finite.size == 0:
        lo = hi = mean = float("nan")
    else:
        lo, hi, mean = float(finite.min()), float(finite.max()), float(finite.mean())
    return summary_template.format(shape=shape(arr.shape), min=number(lo), max=number(hi), mean=number(mean))
