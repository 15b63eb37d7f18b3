"""The words students read about their symbolic answers, in the TOML catalogue
``grader/symbolic/i18n/<lang>.toml`` (the project's one catalogue format, :mod:`msgcat`).

Keys by kind of text: parse problems (``problem.<code>``), what was expected at the place of a parse
problem (``expected.<key>``), constructs that are not allowed (``construct.<key>``), hints for a
character (``hint.<character>``), the "did you mean" suggestion and the verdicts (``verdict.<key>``).
A parse problem reads "<where>: <problem> <expected>" (``line.at_column``).

Results store the verdict as a message ``symbolic.verdict.<key>`` (:func:`verdict`) whose fields are
messages of this catalogue; the grader's catalogue lends the ``symbolic.`` prefix to this one, so
``grader.messages.render`` shows it in the reader's language.
"""
from __future__ import annotations

from pathlib import Path

import msgcat

_DIR = Path(__file__).parent / "i18n"
LANGS = ("en", "zh")
# Names, the same in every language: the catalogue's {functions} field.
FUNCTIONS_TEXT = "exp, log, sqrt, tanh, sigmoid, sinh, cosh"


def texts(lang: str) -> msgcat.Catalogue:
    """The catalogue in ``lang`` (English for an unknown language)."""
    return msgcat.Catalogue(_DIR, lang, "symbolic")


def character_hint(ch: str) -> dict | None:
    """The hint for a character that cannot be used ("−": type - instead), as a message, or None."""
    key = f"hint.{ch}"
    return msgcat.message(key) if texts("en").has(key) else None


def format_point(point: dict) -> str:
    """{"f": 0.5, "g": -0.25} → "f = 0.5, g = -0.25" (the order of the item's symbols)."""
    return ", ".join(f"{k} = {format_value(v)}" for k, v in point.items())


def format_value(v) -> str:
    if v is None:
        return "undefined"
    return f"{v:.10g}"


# The prefix under which the grader's catalogue lends these keys (grader.messages.PARTS): a
# verdict stored in a result is ``symbolic.verdict.<key>``, rendered where it is shown.
PREFIX = "symbolic."


def verdict(key: str, **fields) -> dict:
    """A verdict sentence to store in a result (``grader.messages.render`` says it in any language);
    its fields' messages are keys of this catalogue."""
    return msgcat.message(f"{PREFIX}verdict.{key}", **fields)


def verdict_message(key: str, lang: str, **fields) -> str:
    """The verdict sentence as text in ``lang``."""
    return texts(lang)(f"verdict.{key}", **fields)
