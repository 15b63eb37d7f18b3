"""What both hosted entry points share: the host's root, the submitted file, the lock-down, grading.

Grading itself is ``grader.pipeline.batch.grade_one`` (the batch's sandbox and checks). What is added here is
what a host's container needs around it:

- the root of the host's layout is ``RNNGRADE_HOST_ROOT`` (default ``/``), so tests simulate it;
- the submitted file is picked from the host's submission folder (one notebook or ``.py``; the
  release's notebook name wins among several; symbolic links are never followed);
- before any submission runs, the host's folder (release, secret, installed rnngrade, metadata) is
  made readable by root only. Hosts run containers without the rights to create namespaces, so the
  sandbox's mount namespace, which hides these paths on a course server, is usually off there;
  then file permissions and the sandbox's uid drop are what keep them from the submission, and the
  isolation summary says which of the two protects them (or that neither does).
"""
from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Optional

from grader.core.errors import UserError
from grader.hosted.texts import text

GRADABLE_SUFFIXES = (".ipynb", ".py")
JUNK_PARTS = ("__MACOSX", ".ipynb_checkpoints", "__pycache__")


class SubmissionFileError(UserError):
    """The submission folder holds no gradable file, or several: said to the student, in their language."""


def host_root() -> Path:
    return Path(os.environ.get("RNNGRADE_HOST_ROOT") or "/")


def sandbox_layers_disabled() -> tuple:
    """``RNNGRADE_SANDBOX_DISABLE=mount_namespace,network_namespace``: layers turned off on purpose
    (tests use it to reproduce a host's container, where namespaces are refused)."""
    raw = os.environ.get("RNNGRADE_SANDBOX_DISABLE", "")
    return tuple(sorted({x.strip() for x in raw.split(",") if x.strip()}))


def pick_submission(folder: Path, notebook: str, lang: str) -> Path:
    """The one file to grade in ``folder``: the only ``.ipynb``/``.py`` there, or the one named like
    the release's notebook. Hidden files, ``__MACOSX``, checkpoints and symbolic links are ignored (a
    link could point at the course secret, and the grader reads the file as root)."""
    candidates = []
    if folder.is_dir() and not folder.is_symlink():
        # os.walk does not follow links to folders (a link to / would walk the whole machine)
        for top, dirs, files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in JUNK_PARTS)
            for name in sorted(files):
                p = Path(top) / name
                if name.startswith(".") or p.is_symlink() or not p.is_file():
                    continue
                if p.suffix.lower() in GRADABLE_SUFFIXES:
                    candidates.append(p)
        candidates.sort()
    if not candidates:
        raise SubmissionFileError(text("no_file", lang, notebook=notebook))
    if len(candidates) == 1:
        return candidates[0]
    named = [p for p in candidates if p.name == notebook]
    if len(named) == 1:
        return named[0]
    names = ", ".join(str(p.relative_to(folder)) for p in candidates[:6]) + (", …" if len(candidates) > 6 else "")
    raise SubmissionFileError(text("several_files", lang, names=names, notebook=notebook))


def lock_down(*paths: Path) -> None:
    """Make each folder (and file) readable by its owner only: the sandbox runs submissions as
    another uid, which then cannot enter them even where the mount namespace is refused."""
    for p in paths:
        try:
            if p.is_symlink() or not p.exists():
                continue
            os.chmod(p, 0o700 if p.is_dir() else 0o600)
        except OSError:
            pass  # protection() reports what is left open


def others_can_read(path: Path) -> bool:
    """Whether a user who is neither the owner nor in the group (the sandbox's uid, which has no
    groups) can reach and read ``path``: every folder above it searchable by others, and it readable."""
    path = Path(path).resolve()
    try:
        for parent in reversed(path.parents):
            if not os.stat(parent).st_mode & stat.S_IXOTH:
                return False
        return bool(os.stat(path).st_mode & stat.S_IROTH)
    except OSError:
        return False


def protection(isolation: dict, secret_paths: list) -> str:
    """How the release, its secret and the answer key are kept from the submission, honestly."""
    layers = isolation.get("layers", {})
    if layers.get("mount_namespace") == "on":
        return "hidden by the mount namespace"
    if layers.get("uid_drop") == "on" and not any(others_can_read(p) for p in secret_paths if p and Path(p).exists()):
        return "not hidden (no mount namespace): protected by file permissions only (root-only folders, submissions run as another uid)"
    return "NOT protected: the submission can read the release, its secret and the answer key"


def note_protection(result, secret_paths: list) -> None:
    """Add the hosted protection to the result's isolation summary (what staff see)."""
    iso = result.isolation or {}
    if not iso:
        return
    how = protection(iso, secret_paths)
    iso["hidden_paths"] = how
    if not how.startswith("hidden by"):
        iso["summary"] = f"{iso.get('summary', '')}; release and answer key {how}"
    result.isolation = iso


def installed_paths() -> list:
    """Where this rnngrade is installed (the answer key's home), to lock and to check."""
    # imported here, like the batch below: the hosted runners call these inside the try that turns
    # any fault (a broken install too) into a results file the student sees
    from grader.pipeline.context import answer_key_paths

    return [p for p in answer_key_paths() if p.exists()]


def grade_file(path: Path, release: Path, student: str, *, hide_paths: tuple = ()):
    """``grade_one`` of the batch, with this host's extra hidden paths and disabled layers."""
    from grader.pipeline.batch import GradeOptions, grade_one  # see installed_paths

    return grade_one(path, str(release), release=release, options=GradeOptions(progress=False),
                     student=student, hide_paths=tuple(str(p) for p in hide_paths),
                     disable=sandbox_layers_disabled())


def release_facts(release: Path) -> dict:
    """Name, notebook name and language of a release, from release.json (without the secret)."""
    import json

    try:
        info = json.loads((release / "release.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        info = {}
    name = str(info.get("assignment") or "assignment")
    return {"assignment": name, "notebook": f"{name}.ipynb", "lang": str(info.get("lang") or "en"),
            "version": str(info.get("version") or "")}


def read_json(path: Path) -> Optional[dict]:
    import json

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
