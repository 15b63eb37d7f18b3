"""One attempt as an LMS download describes it: who handed it in, which attempt, when, and its files."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Optional


@dataclass
class Attempt:
    """One student's attempt, as read from the LMS's names (nothing of the files' contents).

    ``key`` identifies the student within the download (Canvas user id, Moodle participant id,
    Blackboard username, Gradescope email or sid); ``ids`` holds every identity the LMS gave
    (``lms_id``, ``login``, ``email``, ``sid``, ``name``, ``sortable_name``, ``participant``,
    ``submission_id``), which roster matching and the exports use.
    """

    lms: str
    key: str
    files: list  # Paths of this attempt's files
    number: int = 1  # 1-based; higher is later
    submitted_at: Optional[datetime] = None  # naive when the LMS gives no zone
    marked_late: bool = False
    ids: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"attempt {self.number}" + (f" ({self.submitted_at.isoformat(sep=' ')})" if self.submitted_at else "")


@dataclass
class Download:
    """A parsed download: its attempts, and what in it was not a submission (with why)."""

    lms: str
    root: Path
    attempts: list = field(default_factory=list)
    ignored: list = field(default_factory=list)  # (relative name, reason)


@dataclass(frozen=True)
class FileRef:
    """A file of the download: its name relative to the download's root (posix), where it is, and the
    time the archive gave it (naive, from a zip entry) or the file system did (aware)."""

    rel: str
    path: Path
    time: Optional[datetime] = None

    @property
    def parts(self) -> tuple:
        return tuple(self.rel.split("/"))


def group_number(values) -> dict:
    """1-based attempt numbers for sortable attempt keys (earliest first)."""
    return {v: i + 1 for i, v in enumerate(sorted(set(values)))}
