"""Descriptions of named mistakes (diagnoses), looked up in grader.diagnosis.

A diagnosis id the library does not know is shown by its id, so a report never fails because of a
description.
"""
from __future__ import annotations

from functools import lru_cache

from grader.diagnosis.mistakes import describe_mistake


@lru_cache(maxsize=4096)
def describe(mistake_id: str, lang: str) -> dict:
    """``{"id", "title", "explanation", "hint"}`` for a diagnosis id, in ``lang``."""
    fallback = {"id": mistake_id, "title": mistake_id, "explanation": "", "hint": ""}
    try:
        d = describe_mistake(mistake_id, lang)
    except LookupError:
        return fallback
    if not isinstance(d, dict):
        return fallback
    return {
        "id": mistake_id,
        "title": str(d.get("title") or mistake_id),
        "explanation": str(d.get("explanation") or ""),
        "hint": str(d.get("hint") or ""),
    }
