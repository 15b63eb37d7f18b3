"""Extract a downloaded zip as hostile input: nothing is written outside the target folder.

Every entry is checked before a byte is written, and refused (with a message a person can act on) when
it would escape the folder (``..`` parts, absolute paths, drive letters), is a symbolic link or another
special file, has a name that is not UTF-8, is itself an archive (nested archives are not opened), or is
junk an operating system added (``__MACOSX/``, ``.DS_Store``, ``Thumbs.db``, ``._*``). Zip bombs are
stopped by caps on the number of entries, on each entry's size, on the total size and on the
compression ratio; sizes are counted while reading, not taken from the entry's header. Files are
created with ``O_EXCL | O_NOFOLLOW`` under a folder this module made, so a link planted by an earlier
entry cannot redirect a write either.
"""
from __future__ import annotations

import lzma
import os
import stat
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath

from grader.core.errors import UserError

JUNK_DIRS = frozenset({"__MACOSX"})
JUNK_FILES = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
ARCHIVE_SUFFIXES = (".zip", ".tar", ".tgz", ".gz", ".bz2", ".xz", ".7z", ".rar")
_CHUNK = 1 << 16


@dataclass(frozen=True)
class Limits:
    """Caps that stop a zip bomb; the defaults hold a class of 1,000 notebooks with room to spare."""

    max_entries: int = 20_000
    max_entry_bytes: int = 64 << 20  # one file
    max_total_bytes: int = 1 << 30  # everything extracted
    max_ratio: float = 200.0  # uncompressed / compressed, for entries above ratio_floor
    ratio_floor: int = 1 << 20


@dataclass
class Extracted:
    """What an extraction wrote and what it refused."""

    root: Path
    files: list = field(default_factory=list)  # (relative posix name, Path, datetime | None)
    refused: list = field(default_factory=list)  # (entry name as shown, reason)
    junk: int = 0  # __MACOSX / .DS_Store entries dropped


def refused_lines(refused: list, junk: int) -> list:
    """The entries refused and the junk skipped, as lines for the TA's terminal (names escaped)."""
    out = [f"  refused {name}: {reason}" for name, reason in refused]
    if junk:
        out.append(f"  skipped {junk} operating-system file(s) (__MACOSX/, .DS_Store, Thumbs.db)")
    return [printable(line) for line in out]


class ArchiveError(UserError):
    """The archive as a whole cannot be used (not a zip, too large, too many entries)."""


_BIDI = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def printable(text: str) -> str:
    """``text`` safe to print on a terminal: control characters (escape sequences could rewrite the
    screen or set the clipboard) and bidirectional overrides (``x\u202eyp.exe`` shows as ``xexe.py``)
    written as ``\\xNN`` / ``\\uNNNN``."""
    return "".join(ch.encode("unicode_escape").decode("ascii") if ch in _BIDI or unicodedata.category(ch) == "Cc"
                   else ch for ch in str(text))


def is_junk(parts) -> bool:
    return any(p in JUNK_DIRS for p in parts[:-1]) or parts[-1] in JUNK_FILES or parts[-1].startswith("._")


def entry_name(info: zipfile.ZipInfo) -> tuple:
    """``(name, problem)``: the entry's name decoded as UTF-8, or a problem when it is not.

    Without the UTF-8 flag (bit 11) Python decodes a name as CP437; its bytes are recovered and read
    as UTF-8, which is what Canvas, Moodle and Blackboard write (they set no flag for ASCII names).
    """
    if info.flag_bits & 0x800:
        return info.filename, None
    raw = info.filename.encode("cp437")
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError:
        shown = raw.decode("utf-8", errors="backslashreplace")
        return shown, ("its name is not UTF-8 text; re-create the zip with a tool that writes UTF-8 "
                       "names (or rename the file) and run again")


def is_folder(name: str, info: zipfile.ZipInfo) -> bool:
    """A folder entry: named with a trailing ``/``, or ``\\`` as Windows PowerShell's Compress-Archive
    and old .NET write them (taken for an empty file, it would block every file inside)."""
    return info.is_dir() or name.endswith("\\")


def check_entry(name: str, info: zipfile.ZipInfo, limits: Limits):
    """The entry's safe relative parts, or ``(None, reason)`` when it must not be written."""
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        return None, "it is a symbolic link; links are not extracted"
    if stat.S_IFMT(mode) and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):  # no type bits: a plain file
        return None, "it is not a regular file"
    text = name.replace("\\", "/")
    if text.startswith("/") or (len(text) > 1 and text[1] == ":"):
        return None, "its path is absolute; it would be written outside the batch's folder"
    parts = [p for p in PurePosixPath(text).parts if p not in ("", ".")]
    if any(p == ".." for p in parts):
        return None, "its path climbs out of the folder (..); it would be written outside the batch's folder"
    if not parts:
        return None, "it has an empty name"
    if any("\x00" in p for p in parts):
        return None, "its name holds a NUL character"
    if is_folder(name, info):
        return parts, None
    if parts[-1].lower().endswith(ARCHIVE_SUFFIXES):
        return None, "it is an archive inside the archive; nested archives are not opened (ask the student for the notebook itself)"
    if info.file_size > limits.max_entry_bytes:
        return None, f"it is {info.file_size} bytes, over the cap of {limits.max_entry_bytes} bytes per file"
    if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(info.compress_size, 1):
        return None, (f"it expands {info.file_size / max(info.compress_size, 1):.0f} times (cap "
                      f"{limits.max_ratio:.0f}); it looks like a zip bomb")
    return parts, None


def _entry_time(info: zipfile.ZipInfo):
    try:
        return datetime(*info.date_time)
    except ValueError:
        return None


def extract_zip(archive: Path, target: Path, limits: Limits = Limits()) -> Extracted:
    """Extract ``archive`` into ``target`` (created, must be empty), entry by entry, as described above.

    Raises ArchiveError when the file is not a zip or breaks a whole-archive cap; a bad entry is refused
    and listed, and the others are extracted.
    """
    archive, target = Path(archive), Path(target)
    try:
        zf = zipfile.ZipFile(archive)
    except UnicodeDecodeError:  # zipfile decodes every name while listing; a false UTF-8 flag stops it
        raise ArchiveError(f"{archive.name} has an entry whose name is marked as UTF-8 but is not; re-create the "
                           "zip with a tool that writes UTF-8 names (or download it from the LMS again).") from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise ArchiveError(f"{archive.name} is not a readable zip file ({exc}); download it again from the LMS.") from exc
    target.mkdir(parents=True, exist_ok=True)
    if any(target.iterdir()):
        raise ArchiveError(f"{target} is not empty; remove it (or grade into a new --out) and run again.")
    root = target.resolve()
    out = Extracted(root=root)
    total = 0
    seen: set = set()
    with zf:
        infos = zf.infolist()
        if len(infos) > limits.max_entries:
            raise ArchiveError(f"{archive.name} holds {len(infos)} entries, over the cap of {limits.max_entries}; "
                               "it is not a class download (or it is a zip bomb).")
        for info in infos:
            name, problem = entry_name(info)
            if problem is None:
                parts_or_none, problem = check_entry(name, info, limits)
            if problem is not None:
                out.refused.append((name, problem))
                continue
            parts = parts_or_none
            if is_junk(parts):
                out.junk += 1
                continue
            if is_folder(name, info):
                continue
            # one name to macOS and Windows: case and Unicode normalisation (é composed or not) ignored
            key = unicodedata.normalize("NFC", "/".join(parts)).casefold()
            if key in seen:
                out.refused.append((name, "another entry has the same name (ignoring case); the first was kept"))
                continue
            seen.add(key)
            path = root.joinpath(*parts)
            if not _inside(root, path):
                out.refused.append((name, "it would be written outside the batch's folder"))
                continue
            written, problem = _write_entry(zf, info, root, parts, limits, limits.max_total_bytes - total)
            if problem is not None:
                out.refused.append((name, problem))
                if written < 0:
                    raise ArchiveError(f"{archive.name} expands to more than {limits.max_total_bytes} bytes; "
                                       "extraction stopped (it is not a class download, or it is a zip bomb).")
                continue
            total += written
            out.files.append(("/".join(parts), path, _entry_time(info)))
    return out


def _inside(root: Path, path: Path) -> bool:
    try:
        path.resolve().relative_to(root)
    except ValueError:
        return False
    return True


def _make_dirs(root: Path, parts: list) -> Path:
    """Create the entry's folders one by one, refusing any that is a link (an earlier entry's trick)."""
    d = root
    for p in parts:
        d = d / p
        if d.is_symlink():
            raise OSError(f"{p} is a link")
        d.mkdir(exist_ok=True)
    return d


def _write_entry(zf, info, root: Path, parts: list, limits: Limits, budget: int) -> tuple:
    """Stream one entry to disk, counting bytes. ``(bytes, None)``, or ``(n, reason)`` with n < 0 when
    the whole-archive budget ran out."""
    try:
        folder = _make_dirs(root, parts[:-1])
    except OSError:
        return 0, "its folder is a link or cannot be created"
    path = folder / parts[-1]
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, 0o600)
    except OSError as exc:
        return 0, f"it cannot be written ({exc.strerror})"
    written = 0
    problem = None
    try:
        with os.fdopen(fd, "wb") as dst, zf.open(info) as src:
            while True:
                chunk = src.read(_CHUNK)
                if not chunk:
                    break
                written += len(chunk)
                if written > limits.max_entry_bytes:
                    problem = f"it expands past the cap of {limits.max_entry_bytes} bytes per file"
                    break
                if written > budget:
                    problem, written = "the archive's total size cap was reached", -1
                    break
                dst.write(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, zlib.error, lzma.LZMAError, ValueError) as exc:
        # each decompressor raises its own kind on corrupt data (zlib.error is not an OSError)
        problem = f"it is damaged ({exc})"
    if problem is not None:
        path.unlink(missing_ok=True)
        return written, problem
    when = _entry_time(info)
    if when is not None:  # the entry's time orders a student's files (latest chosen); read as UTC
        from datetime import timezone

        stamp = when.replace(tzinfo=timezone.utc).timestamp()
        os.utime(path, (stamp, stamp))
    return written, problem
