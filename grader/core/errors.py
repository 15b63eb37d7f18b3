"""Errors a person can act on: the CLI prints them without a traceback and exits with 1.

Library code raises a ``UserError`` (or a subclass: ``assignments.errors``, ``GradebookError``,
``RosterError``, ``LatePolicyError``, ``ArchiveError``, ``ManualImportError``, ``OutputNotWritable``, ...)
for anything the user did: a path, a spec, a CSV, a release, an option value. ``grader.cli`` turns every
one of them into a ``click.ClickException`` in one place; any other exception is a bug in rnngrade and
keeps its traceback.
"""
from __future__ import annotations

from pathlib import Path


class UserError(Exception):
    """Something in the user's input (a path, a spec, a CSV, a release) must be fixed."""


class OutputNotWritable(UserError):
    """An output path the user gave (``--out``, ``--export``) that cannot be created or written."""


def output_error(path, exc: OSError) -> OutputNotWritable:
    """The user's words for an OSError met while creating or writing ``path``."""
    path = Path(path)
    reason = exc.strerror or str(exc)
    for above in (path, *path.parents):  # a file in the way says more than "Not a directory"
        if above.exists():
            if not above.is_dir():
                reason = f"{above} is a file, not a folder"
            break
    return OutputNotWritable(f"cannot write {path}: {reason}; choose another path.")


def make_folder(path) -> Path:
    """``mkdir -p`` for a folder the user named; a file in its way or a missing permission is a
    ``OutputNotWritable``, not an OSError traceback."""
    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise output_error(path, exc) from exc
    return path
