"""Reading what a form sent: points, the page to go back to; and how points are shown."""
from __future__ import annotations

import math

from flask import request


def back() -> str:
    """Where a form sends the TA back: a path of this app only (never another site).

    Browsers drop tabs and line breaks from an address and read ``\\`` as ``/``, so ``/<TAB>/evil``
    is ``//evil``, another site: a path with any control character, space or backslash is refused.
    """
    path = request.form.get("back", "/")
    if not path.startswith("/") or path.startswith("//") or any(ch <= " " or ch in "\\\x7f" for ch in path):
        return "/"
    return path


def parse_points(raw: str, low: float, high: float) -> tuple[float | None, str | None]:
    """``(points, None)``, ``(None, None)`` for an empty field, or ``(None, catalogue key of the problem)``."""
    s = (raw or "").strip()
    if not s:
        return None, None
    try:
        value = float(s)
    except ValueError:
        return None, "points.not_number"
    if not math.isfinite(value) or not low <= value <= high:
        return None, "points.range"
    return value, None


def fmt(x) -> str:
    if x is None:
        return ""
    return f"{float(x):.6f}".rstrip("0").rstrip(".")

