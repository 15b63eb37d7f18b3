"""The grader's own messages: item and case texts, the sandbox's codes, the consistency checks and
``rnngrade check``, in the TOML catalogue ``grader/i18n/<lang>.toml`` (the project's one format, read
by :mod:`msgcat`).

Results keep a message as ``{"key", "fields"}`` (``msgcat.message``) where they can, and text is made
in the reader's language where it is shown: ``render(stored, lang)``. A result written by an older
grader holds English prose instead; ``render`` shows it as it was (the compatibility path).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import msgcat

CATALOGUE_DIR = Path(__file__).parent / "i18n"


def texts(lang: str | None) -> msgcat.Catalogue:
    """The grader's catalogue in ``lang`` (English for a language it does not have)."""
    return msgcat.Catalogue(CATALOGUE_DIR, lang, "grader")


def msg(key: str, lang: str | None, **fields: Any) -> str:
    """The text of ``key`` in ``lang``; fields that are messages are rendered in ``lang`` too."""
    return texts(lang)(key, **fields)


def render(stored: Any, lang: str | None) -> str:
    """A stored message (``{"key", "fields"}``, or prose from an older result) as text in ``lang``."""
    return texts(lang).render(stored)


def outcome_text(outcome: Any, lang: str | None) -> str:
    """What a sandbox outcome says, in ``lang``: its coded message when it has one, else its text
    (Python's own exception texts are kept as the student's code raised them)."""
    coded = getattr(outcome, "msg", None)
    return render(coded, lang) if coded else (getattr(outcome, "message", "") or "")
