"""The grader's own messages: item and case texts, the sandbox's codes, the consistency checks and
``rnngrade check``, in the TOML catalogue ``grader/i18n/<lang>.toml`` (the project's one format, read
by :mod:`msgcat`).

Results keep a message as ``{"key", "fields"}`` (``msgcat.message``) where they can, and text is made
in the reader's language where it is shown: ``render(stored, lang)``. A result written by an older
grader holds English prose instead; ``render`` shows it as it was (the compatibility path).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import msgcat
from grader.core.places import place_of
from grader.model import SubmissionResult

CATALOGUE_DIR = Path(__file__).parent / "i18n"
# Keys the grader's catalogue lends by prefix (msgcat.Catalogue ``parts``): the symbolic checker's
# verdicts are stored as ``symbolic.verdict.*`` messages and the staged checks' as ``compare.*``, each
# read from its own catalogue, which that checker also uses alone (folder paths, not imports:
# grader.symbolic sits above this module, and the kit's copy of compare reads no grader module).
PARTS = {"symbolic": Path(__file__).parent / "symbolic" / "i18n",
         # the staged checks' messages (``compare.*``): the checker is shipped to students alone
         "compare": Path(__file__).parent / "checking" / "i18n"}


@lru_cache(maxsize=None)
def texts(lang: str | None) -> msgcat.Catalogue:
    """The grader's catalogue in ``lang`` (English for a language it does not have); one per
    language and process (a catalogue is read only)."""
    return msgcat.Catalogue(CATALOGUE_DIR, lang, "grader", PARTS)


def label_message(label: str) -> Any:
    """A case's label as a message when it is words the catalogue translates ("saturated gates"),
    else the label as written ("n_x=3, m=10")."""
    key = f"case_label.{label}"
    return msgcat.message(key) if texts("en").has(key) else label


def msg(key: str, lang: str | None, **fields: Any) -> str:
    """The text of ``key`` in ``lang``; fields that are messages are rendered in ``lang`` too."""
    return texts(lang)(key, **fields)


def render(stored: Any, lang: str | None) -> str:
    """A stored message (``{"key", "fields"}``, or prose from an older result) as text in ``lang``."""
    return texts(lang).render(stored)


def coded(outcome: Any) -> Any:
    """What a sandbox outcome says, to store in a result: its coded message when the sandbox sent one,
    else its text (Python's own exception texts are kept as the student's code raised them)."""
    return getattr(outcome, "msg", None) or getattr(outcome, "message", "") or ""


def outcome_text(outcome: Any, lang: str | None) -> str:
    """What a sandbox outcome says, in ``lang``."""
    return render(coded(outcome), lang)


def localized(result: SubmissionResult, lang: str | None) -> SubmissionResult:
    """A copy of a SubmissionResult whose messages are text in ``lang`` (the reader's language).

    Results keep messages as ``{"key", "fields"}``; everything that shows a result (reports, the
    check's lines, results.json, the hosted graders' texts, the CLI) takes this copy first. Texts of
    older results (prose notes included), and the checker's own texts, pass through unchanged.
    """
    shown = SubmissionResult.from_dict(result.to_dict())
    t = texts(lang)
    shown.message = t.render(shown.message)
    shown.notes = [t.render(n) for n in shown.notes]
    shown.load_errors = [dict(e, message=t.render(e.get("message", "")), where=t.render(place_of(e.get("where", ""))))
                         for e in shown.load_errors]
    for item in shown.items:
        localize_item(item, t)
    return shown


def localize_item(item: Any, t: "msgcat.Catalogue | str | None") -> Any:
    """An ItemResult's messages as text, in place (``t``: a catalogue, or a language)."""
    if not isinstance(t, msgcat.Catalogue):
        t = texts(t)
    item.message = t.render(item.message)
    if item.symbolic:
        item.symbolic = {k: (t.render(v) if k in ("message", "expected") and msgcat.is_message(v) else v)
                         for k, v in item.symbolic.items()}
    if item.load_failure and msgcat.is_message(item.load_failure.get("error")):
        item.load_failure = dict(item.load_failure, error=t.render(item.load_failure["error"]))
    for case in item.cases:
        case.message = t.render(case.message)
        for output in case.outputs:
            output.message = t.render(output.message)
        for part in ("chain", "cache"):
            value = getattr(case, part)
            if value:
                setattr(case, part, {k: (t.render(v) if msgcat.is_message(v) else v) for k, v in value.items()})
    return item


def without_note(notes: list, key: str, old_text: str) -> list:
    """``notes`` less the ones of ``key`` (and, in an older result, the prose containing ``old_text``)."""
    return [n for n in notes
            if not (msgcat.is_message(n) and n["key"] == key) and not (isinstance(n, str) and old_text in n)]


def english_notes(notes: list) -> list:
    """Loader notes as English text (what an English report shows; the tests read them so)."""
    t = texts("en")
    return [t.render(n) for n in notes]
