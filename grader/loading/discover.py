"""Find each student's submission in a batch folder, and make student ids safe to use as paths.

A batch folder holds one file per student (id = the file's stem) or one folder per student (id = the
folder's name; the notebook or .py is searched for inside it). Every submitted thing gets an entry,
even a file of the wrong type (loading marks it invalid), so every student gets a row.

Choice when a student handed in several files: a notebook is preferred over a .py file; among
several notebooks (or several .py files), the one whose name matches the assignment notebook name,
if given, else the most recently modified, ties broken by name. The entry's notes say which file was
chosen and why.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

from grader.core.errors import UserError
from grader.core.ids import MAX_ID_LENGTH, sanitize_student_id
from msgcat import message

SKIPPED_DIRS = frozenset({".ipynb_checkpoints", "__pycache__", "__MACOSX"})
SUBMISSION_SUFFIXES = (".ipynb", ".py")
_MAX_FILES_PER_STUDENT = 10_000  # a student folder holding a dataset must not stall the batch
_MAX_LISTED = 5
NO_SUBMISSION_FOUND = message("note.no_submission_found")


class NotASubmissionsFolder(UserError, FileNotFoundError):
    """``discover`` was given a path that is not a folder."""


@dataclass
class SubmissionEntry:
    student: str  # sanitised id, unique in the batch
    path: Optional[Path]  # the file to load; None when nothing was submitted
    notes: list = field(default_factory=list)  # messages (msgcat.message), rendered where shown
    raw_name: str = ""  # the file stem or folder name as found (or the roster entry)


def unique_ids(raws: Iterable[str]) -> dict:
    """Map each raw name to a sanitised id, unique ignoring case (folders named ``Alice`` and
    ``alice`` are one folder on macOS and Windows). A name that is already clean keeps its id; the
    others get ``-2``, ``-3``, ... in name order."""
    raws = sorted(set(raws), key=lambda r: (sanitize_student_id(r) != r, r))
    taken: set = set()
    ids = {}
    for raw in raws:
        base = sanitize_student_id(raw)
        candidate, k = base, 2
        while candidate.casefold() in taken:
            suffix = f"-{k}"
            candidate = base[: MAX_ID_LENGTH - len(suffix)] + suffix
            k += 1
        taken.add(candidate.casefold())
        ids[raw] = candidate
    return ids


def discover(folder: Path, roster: Optional[list] = None,
             notebook_name: Optional[str] = None) -> list[SubmissionEntry]:
    """One entry per student found in ``folder`` (and per rostered student), sorted by id.

    ``roster``: student ids expected; those with nothing submitted get ``path=None`` and the note
    ``NO_SUBMISSION_FOUND``. ``notebook_name``: the assignment's notebook file name, preferred when a
    student folder holds several notebooks. Raises NotASubmissionsFolder (a FileNotFoundError) if
    ``folder`` is not a folder.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise NotASubmissionsFolder(f"{folder} is not a folder of submissions; give the folder that "
                                "holds one file or one folder per student.")
    groups: dict = {}
    for child in sorted(folder.iterdir(), key=lambda p: p.name):
        if _ignored(child.name):
            continue
        raw = child.name if child.is_dir() and not child.is_symlink() else _stem(child.name)
        groups.setdefault(raw, []).append(child)

    ids = unique_ids(groups)
    # The roster is authoritative for spelling: `alice.ipynb` belongs to rostered `Alice` (ids are
    # unique ignoring case, so adopting the roster's case cannot collide).
    rostered = {sanitize_student_id(r).casefold(): sanitize_student_id(r) for r in roster or []}
    entries = []
    for raw, children in groups.items():
        student = ids[raw]
        notes = _id_notes(raw, student)
        if rostered.get(student.casefold(), student) != student:
            notes.append(message("note.id_from_roster", rostered=rostered[student.casefold()], student=student))
            student = rostered[student.casefold()]
        path, choice_notes = _choose(folder, children, notebook_name)
        entries.append(SubmissionEntry(student, path, notes + choice_notes, raw))

    found = {e.student.casefold() for e in entries}
    for raw in dict.fromkeys(roster or []):
        student = sanitize_student_id(raw)
        if student.casefold() not in found:
            found.add(student.casefold())
            entries.append(SubmissionEntry(student, None, [NO_SUBMISSION_FOUND], str(raw)))
    return sorted(entries, key=lambda e: e.student)


def _ignored(name: str) -> bool:
    return name.startswith(".") or name in SKIPPED_DIRS


def _stem(name: str) -> str:
    stem = Path(name).stem
    return stem if stem else name


def _id_notes(raw: str, student: str) -> list:
    if student == raw:
        return []
    base = sanitize_student_id(raw)
    if base == student:
        return [message("note.id_made", student=student, raw=raw)]
    return [message("note.id_made_taken", student=student, raw=raw, base=base)]


def choose_submission(folder: Path, children: list, notebook_name: Optional[str] = None) -> tuple:
    """``(path, notes)``: the file to grade among one student's files and folders (``folder`` is the
    batch folder they are in, for the notes' relative names); ``path`` is None when there is none."""
    return _choose(Path(folder), [Path(c) for c in children], notebook_name)


def _choose(folder: Path, children: list, notebook_name: Optional[str]) -> tuple:
    """The file to grade among a student's top-level files and folders, and notes on the choice."""
    notes: list = []
    files: list = []
    for child in children:
        if child.is_symlink():
            notes.append(message("note.symlink", path=_rel(folder, child)))
        elif child.is_dir():
            found, truncated = _files_in(child)
            files.extend(found)
            if truncated:
                notes.append(message("note.too_many_files", path=_rel(folder, child), limit=_MAX_FILES_PER_STUDENT))
            if not found:
                notes.append(message("note.empty_folder", path=_rel(folder, child)))
        else:
            files.append(child)
    if not files:
        return None, notes + [NO_SUBMISSION_FOUND]

    notebooks = [f for f in files if f.suffix.lower() == ".ipynb"]
    scripts = [f for f in files if f.suffix.lower() == ".py"]
    pool = notebooks or scripts
    if not pool:
        chosen = sorted(files, key=lambda f: _rel(folder, f))[0]
        if len(files) > 1:
            notes.append(message("note.chose_no_code", path=_rel(folder, chosen),
                                 others=_listing(folder, files, chosen)))
        return chosen, notes

    chosen, reasons = _pick(folder, pool, notebook_name)
    if notebooks and scripts:
        reasons.append(message("note.reason_notebook_preferred"))
    if reasons:  # the reasons are a list of messages: joined by the catalogue's list separator
        notes.append(message("note.chose", path=_rel(folder, chosen), reasons=reasons,
                             others=_listing(folder, notebooks + scripts, chosen)))
    return chosen, notes


def _pick(folder: Path, pool: list, notebook_name: Optional[str]) -> tuple:
    if len(pool) == 1:
        return pool[0], []
    kind = "notebooks" if pool[0].suffix.lower() == ".ipynb" else "scripts"
    if notebook_name:
        wanted = notebook_name.casefold()
        named = sorted((f for f in pool if f.name.casefold() == wanted),
                       key=lambda f: _rel(folder, f))
        if named:
            return named[0], [message("note.reason_named", name=notebook_name)]
    mtimes = {f: f.stat().st_mtime_ns for f in pool}
    newest = max(mtimes.values())
    latest = sorted((f for f in pool if mtimes[f] == newest), key=lambda f: _rel(folder, f))
    if len(latest) == 1:
        return latest[0], [message(f"note.reason_newest_{kind}", n=len(pool))]
    return latest[0], [message(f"note.reason_tie_{kind}", n=len(latest))]


def _files_in(directory: Path) -> tuple:
    """Regular files under ``directory``, skipping hidden ones, checkpoints, caches and links."""
    found: list = []
    for root, dirs, names in os.walk(directory, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not _ignored(d) and not os.path.islink(os.path.join(root, d)))
        for name in sorted(names):
            path = Path(root) / name
            if _ignored(name) or path.is_symlink() or not path.is_file():
                continue
            found.append(path)
            if len(found) >= _MAX_FILES_PER_STUDENT:
                return found, True
    return found, False


def _rel(folder: Path, path: Path) -> str:
    return path.relative_to(folder).as_posix()


def _listing(folder: Path, files: list, chosen: Path):
    """The other files' names (a string), or a message when some are left out."""
    others = sorted(_rel(folder, f) for f in files if f != chosen)
    shown = ", ".join(others[:_MAX_LISTED])
    if len(others) > _MAX_LISTED:
        return message("note.listing_more", names=shown, more=len(others) - _MAX_LISTED)
    return shown
