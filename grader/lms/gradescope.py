"""Gradescope: the assignment's "Export Submissions" zip.

The export holds ``submission_metadata.yml`` and one folder per submission, named by the key the YAML
gives it (``submission_<id>``). Each key maps to ``:submitters:`` (a list of ``:name:``, ``:sid:``,
``:email:``; several for a group submission), ``:created_at:`` (the time of the active submission, with
its offset) and ``:history:`` (the earlier submissions, listed without files). The keys are Ruby symbols
written as strings with a leading colon. The YAML is read with ``yaml.safe_load`` only. See docs/lms.md
for the sources.
"""
from __future__ import annotations

from datetime import datetime

from grader.core.errors import UserError
from grader.lms.attempts import Attempt, Download
from msgcat import message

NAME = "gradescope"
METADATA = "submission_metadata.yml"
_MAX_METADATA_BYTES = 16 << 20


def matches(ref) -> bool:
    return ref.parts[-1] == METADATA and len(ref.parts) <= 2


def _text(value) -> str:
    """A metadata value as text, when it is text or a number: YAML aliases make a few bytes a structure
    whose text is gigabytes, so a list or a mapping where an id belongs counts as none."""
    return str(value).strip() if isinstance(value, (str, int, float)) and not isinstance(value, bool) else ""


def _time(value):
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(str(value).strip().replace(" -", "-").replace(" +", "+"))
    except ValueError:
        return None


def read_metadata(path) -> dict:
    """The parsed metadata; UserError for a file that is not the YAML mapping Gradescope writes."""
    import yaml

    if path.stat().st_size > _MAX_METADATA_BYTES:
        raise UserError(f"{path.name} is larger than {_MAX_METADATA_BYTES} bytes; it is not Gradescope's metadata.")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise UserError(f"{path.name} cannot be read as YAML ({type(exc).__name__}); export the "
                        "submissions from Gradescope again.") from exc
    if not isinstance(data, dict):
        raise UserError(f"{path.name} is not a mapping of submissions; export the submissions from Gradescope again.")
    return data


def attempts_of(key: str, record: dict, files: list) -> list:
    """The attempts of one metadata record (one per submitter), ``files`` being its folder's files."""
    out = []
    record = record if isinstance(record, dict) else {}
    submitters = record.get(":submitters") or []
    history = record.get(":history") or []
    number = len(history) + 1 if isinstance(history, list) else 1
    for person in submitters if isinstance(submitters, list) else []:
        if not isinstance(person, dict):
            continue
        ids = {k: _text(person.get(f":{k}")) for k in ("name", "sid", "email")}
        ident = ids["sid"] or ids["email"] or ids["name"]
        if not ident:
            continue
        a = Attempt(NAME, ident, list(files), number=number, submitted_at=_time(record.get(":created_at")),
                    ids={k: v for k, v in ids.items() if v} | {"submission_id": key})
        if number > 1:
            a.notes.append(message("note.lms_gradescope_earlier", n=number - 1))
        if len(submitters) > 1:
            a.notes.append(message("note.lms_group", n=len(submitters)))
        out.append(a)
    return out


def parse(root, refs: list) -> Download:
    out = Download(NAME, root)
    meta_ref = next((r for r in refs if matches(r)), None)
    if meta_ref is None:
        raise UserError(f"no {METADATA} in the download; it is not a Gradescope export.")
    prefix = meta_ref.parts[:-1]
    data = read_metadata(meta_ref.path)
    folders: dict = {}
    for ref in refs:
        if ref is meta_ref:
            continue
        parts = ref.parts
        if parts[:len(prefix)] != prefix or len(parts) < len(prefix) + 2:
            out.ignored.append((ref.rel, f"not inside a submission folder listed in {METADATA}"))
            continue
        folders.setdefault(parts[len(prefix)], []).append(ref.path)
    for key in sorted(folders):
        if key not in data:
            out.ignored.append((key + "/", f"a folder that {METADATA} does not list"))
    for key, record in sorted(data.items(), key=lambda kv: str(kv[0])):
        attempts = attempts_of(str(key), record, folders.get(str(key), []))
        if not attempts:
            out.ignored.append((str(key), f"{METADATA} lists no submitter for it"))
        out.attempts.extend(attempts)
    return out
