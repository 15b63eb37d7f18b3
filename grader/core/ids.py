"""Student ids that are safe as file and folder names (the gradebook, reports and exports key on them)."""
from __future__ import annotations

import unicodedata

MAX_ID_LENGTH = 100
_ASCII_KEPT = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-")


def sanitize_student_id(raw: str) -> str:
    """A student id that is safe as a file or folder name.

    NFKC-normalised; ASCII letters, digits and ``._-`` are kept, as are non-ASCII letters, digits and
    combining marks (names in any script stay readable); everything else becomes ``_``. Leading dots
    are removed (no hidden files, no ``..``), the length is capped at 100, and an id that would be
    empty becomes ``unnamed``. Uniqueness within a batch is :func:`unique_ids`' job.
    """
    text = unicodedata.normalize("NFKC", str(raw))
    kept = "".join(ch if ch in _ASCII_KEPT or (ord(ch) > 127 and unicodedata.category(ch)[0] in "LNM")
                   else "_" for ch in text)
    kept = kept.lstrip(".")[:MAX_ID_LENGTH]
    return kept or "unnamed"
