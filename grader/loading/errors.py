"""Why a file could not be loaded, in words a student or course staff member can act on.

Each function returns a message (``load.*`` of the grader's catalogue, ``{"key", "fields"}``): the
result stores it and the report says it in the reader's language.
"""
from __future__ import annotations

import json
from typing import Optional

from msgcat import message

# First bytes of files that students submit by mistake, to say what the file really is.
_SIGNATURES = (
    (b"PK\x03\x04", "zip"),
    (b"%PDF", "pdf"),
    (b"\x89PNG", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"\xd0\xcf\x11\xe0", "office"),
    (b"\x1f\x8b", "gzip"),
)


class LoadError(Exception):
    """Raised inside the loader only; load_submission turns it into an ``invalid`` result."""

    def __init__(self, msg: dict):
        super().__init__(msg["key"])
        self.message = msg


def what_binary_is(data: bytes) -> Optional[dict]:
    """What a binary file really is ("a ZIP archive"), as a message; None when unknown."""
    for signature, what in _SIGNATURES:
        if data.startswith(signature):
            return message(f"load.what.{what}")
    return None


def no_file() -> dict:
    return message("load.no_file")


def missing(name: str) -> dict:
    return message("load.missing", name=name)


def is_folder(name: str) -> dict:
    return message("load.is_folder", name=name)


def empty(name: str, blank: bool = False) -> dict:
    return message("load.blank" if blank else "load.empty", name=name)


def unknown_format(name: str, suffix: str) -> dict:
    return message("load.unknown_format", name=name, suffix=suffix) if suffix else message(
        "load.no_extension", name=name)


def unreadable(name: str, reason: str) -> dict:
    return message("load.unreadable", name=name, reason=reason)


def too_large(name: str, size: int, limit: int) -> dict:
    return message("load.too_large", name=name, mb=f"{size / 1e6:.0f}", limit=str(limit // 10**6))


def too_much_code(name: str, chars: int, limit: int) -> dict:
    return message("load.too_much_code", name=name, chars=f"{chars:,}", limit=f"{limit:,}")


def too_many_cells(name: str, cells: int, limit: int) -> dict:
    return message("load.too_many_cells", name=name, cells=f"{cells:,}", limit=f"{limit:,}")


def too_many_structures(name: str, count: int, limit: int) -> dict:
    return message("load.too_many_structures", name=name, count=f"{count:,}", limit=f"{limit:,}")


def binary_notebook(name: str, data: bytes, exc: UnicodeDecodeError) -> dict:
    what = what_binary_is(data)
    if what:
        return message("load.binary_notebook_known", name=name, what=what)
    return message("load.binary_notebook", name=name, byte=f"0x{data[exc.start]:02x}", position=exc.start)


def not_json(name: str, text: str, exc: json.JSONDecodeError) -> dict:
    why = message("load.why.not_notebook" if text.lstrip()[:1] != "{" else "load.why.damaged")
    return message("load.not_json", name=name, line=exc.lineno, column=exc.colno, why=why)


def not_a_notebook(name: str, what: dict) -> dict:
    """``what``: a ``load.json.*`` message saying what the JSON holds instead."""
    return message("load.not_a_notebook", name=name, what=what)


def unsupported_version(name: str, version) -> dict:
    return message("load.unsupported_version", name=name, version=repr(version))


def damaged_cell(name: str, cell_number: int, what: dict) -> dict:
    """``what``: a ``load.cell.*`` message saying what is wrong with the cell."""
    return message("load.damaged_cell", name=name, cell=cell_number, what=what)


def binary_python(name: str, data: bytes) -> dict:
    return message("load.binary_python", name=name, what=what_binary_is(data) or message("load.what.binary"))


def not_utf8_python(name: str, data: bytes, exc: UnicodeDecodeError) -> dict:
    line = data[: exc.start].count(b"\n") + 1
    return message("load.not_utf8_python", name=name, byte=f"0x{data[exc.start]:02x}", line=line)


def internal(name: str, exc: BaseException) -> dict:
    return message("load.internal", name=name, error=f"{type(exc).__name__}: {exc}")
