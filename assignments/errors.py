"""Errors of assignment handling that a person can act on.

Each is a ``grader.core.errors.UserError`` (the CLI prints it without a traceback and exits 1) and also the
built-in exception a library caller would expect (FileNotFoundError, ValueError, ...).
"""
from grader.core.errors import UserError


class SpecNotFound(UserError, FileNotFoundError):
    """No assignment by that name or path."""


class ReleaseFolderNotEmpty(UserError, FileExistsError):
    """``--out`` already holds files; a release is never overwritten."""


class ReleaseNotFound(UserError, FileNotFoundError):
    """A folder that is not an instructor release, or a missing secret file."""


class BadRelease(UserError, ValueError):
    """A release.json that is not the JSON ``rnngrade assign`` wrote (damaged, edited, another file)."""


class ReleaseMismatch(UserError, ValueError):
    """An instructor release whose spec copy no longer matches its recorded version."""


class BadSecret(UserError, ValueError):
    """A secret file that is too short to key the per-student seeds."""


class BadRoster(UserError, ValueError):
    """A roster CSV without an id column or with ids that collide."""


class BadLanguage(UserError, ValueError):
    """A language the assignment has no catalogue for."""
