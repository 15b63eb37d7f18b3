"""load_submission: any file in, a LoadedSubmission out; bad input is a result, never an exception."""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Optional

from grader.loading import errors
from grader.loading.errors import LoadError
from grader.loading.notebook import notebook_submission
from grader.loading.notebook_read import read_notebook
from grader.loading.pyfile import decode_python, python_submission
from grader.loading.units import LoadedSubmission

MAX_BYTES = 200 * 10**6  # notebooks with many plots reach tens of MB; beyond this is not homework
# Reading code costs the grader ~2.4 KB of memory per line (the syntax tree): 5 million short lines
# took 12 GB and 95 s. The assignment is ~12,000 characters; 300,000 (~180 MB to parse) is generous.
MAX_CODE_CHARS = 300_000
# Parsing JSON costs ~64 bytes per list or object: a file of empty lists is a memory bomb. Images
# and text outputs are strings, which are cheap; 2 million containers is ~150 MB at worst.
MAX_JSON_CONTAINERS = 2_000_000


def load_submission(path: Optional[Path], display: Optional[str] = None) -> LoadedSubmission:
    """Read a ``.ipynb`` or ``.py`` submission into code units, static answers and free answers.

    ``display`` names the file in messages; by default its folder and name ("submissions/alice.ipynb"),
    so that messages shown to students carry no machine path. Never raises for bad input: an
    unreadable file gives ``kind="invalid"`` with ``error`` saying what is wrong and what to do.
    """
    if path is None:
        return LoadedSubmission(path=None, kind="invalid", error=errors.no_file())
    path = Path(path)
    name = display or display_name(path)
    content_hash = ""
    try:
        if not path.exists():
            raise LoadError(errors.missing(name))
        if path.is_dir():
            raise LoadError(errors.is_folder(name))
        size = path.stat().st_size
        if size > MAX_BYTES:
            content_hash = _hash_file(path)
            raise LoadError(errors.too_large(name, size, MAX_BYTES))
        data = path.read_bytes()
        content_hash = hashlib.sha256(data).hexdigest()
        loaded = _load_bytes(data, path.suffix.lower(), name)
    except LoadError as exc:
        loaded = _invalid(exc.message)
    except OSError as exc:
        loaded = _invalid(errors.unreadable(name, exc.strerror or type(exc).__name__))
    except Exception as exc:  # the last line of defence: one odd file must not stop a batch
        loaded = _invalid(errors.internal(name, exc))
    loaded.path = path
    loaded.content_hash = content_hash
    return loaded


def display_name(path: Path) -> str:
    """The file's folder and name, e.g. ``submissions/alice.ipynb``."""
    return "/".join(Path(path).parts[-2:])


def _load_bytes(data: bytes, suffix: str, name: str) -> LoadedSubmission:
    if suffix not in (".ipynb", ".py"):
        raise LoadError(errors.unknown_format(name, suffix))
    if not data.strip():
        raise LoadError(errors.empty(name, blank=bool(data)))
    if suffix == ".ipynb":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise LoadError(errors.binary_notebook(name, data, exc)) from None
        containers = data.count(b"[") + data.count(b"{")  # an upper bound: brackets in strings count
        if containers > MAX_JSON_CONTAINERS:
            raise LoadError(errors.too_many_structures(name, containers, MAX_JSON_CONTAINERS))
        content = read_notebook(text, name)
        code = sum(len(c.source) for c in content.cells if c.cell_type == "code")
        if code > MAX_CODE_CHARS:
            raise LoadError(errors.too_much_code(name, code, MAX_CODE_CHARS))
        return notebook_submission(content)
    if b"\x00" in data:
        raise LoadError(errors.binary_python(name, data))
    text = decode_python(data)
    if text is None:
        try:
            data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise LoadError(errors.not_utf8_python(name, data, exc)) from None
    if text is None:
        text = data.decode("utf-8-sig")
    if len(text) > MAX_CODE_CHARS:
        raise LoadError(errors.too_much_code(name, len(text), MAX_CODE_CHARS))
    return python_submission(text)


def _invalid(message: dict) -> LoadedSubmission:
    return LoadedSubmission(path=None, kind="invalid", error=message)


def _hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
