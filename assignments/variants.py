"""Per-student variants: hidden-case seeds from a course secret, the secret file, the roster.

    hidden_seed = HMAC-SHA256(secret, f"{spec.name}/{student_id}") truncated to 63 bits

Public cases are the same for everyone (from the spec's seed); hidden cases differ per student, the
grader re-derives them from the secret, and nothing in the student release lets anyone compute them.
"""
from __future__ import annotations

import csv
import hashlib
import io
import hmac
import os
import secrets
from pathlib import Path

from assignments.errors import BadRoster, BadSecret, ReleaseNotFound
from grader.core.errors import output_error
from grader.core.ids import sanitize_student_id

SECRET_BYTES = 32
MIN_SECRET_BYTES = 16
ROSTER_COLUMNS = ("student", "id")


def hidden_seed(secret: bytes, student_id: str, spec) -> int:
    """The student's hidden-case seed: the first 8 bytes of the HMAC, big-endian, top bit cleared."""
    if not isinstance(secret, (bytes, bytearray)) or len(secret) < MIN_SECRET_BYTES:
        raise ValueError(f"the course secret must be at least {MIN_SECRET_BYTES} bytes")
    digest = hmac.new(bytes(secret), f"{spec.name}/{student_id}".encode("utf-8"), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") & ((1 << 63) - 1)


def create_secret(path: Path) -> bytes:
    """Write a new random secret (``secrets.token_bytes(32)``) readable by the owner only."""
    path = Path(path)
    secret = secrets.token_bytes(SECRET_BYTES)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        if path.exists():  # never overwritten: callers create a secret only where there is none
            raise
        raise output_error(path, FileExistsError()) from None
    except OSError as exc:  # a file in the way, no permission: the user chose the path
        raise output_error(path, exc) from exc
    with os.fdopen(fd, "wb") as fh:
        fh.write(secret)
    return secret


def read_secret(path: Path) -> bytes:
    """The secret's bytes; a clear error if the file is missing or too short."""
    path = Path(path)
    if not path.is_file():
        raise ReleaseNotFound(f"secret file {path} not found; the release's secret is needed to re-derive "
                                f"each student's hidden cases")
    secret = path.read_bytes()
    if len(secret) < MIN_SECRET_BYTES:
        raise BadSecret(f"secret file {path} holds {len(secret)} bytes; at least {MIN_SECRET_BYTES} are needed "
                         f"(create one with: python -c \"import secrets,sys; sys.stdout.buffer.write(secrets.token_bytes(32))\" > {path.name})")
    return secret


def read_roster(path) -> list[str]:
    """Student ids from a CSV with a ``student`` (or ``id``) column, sanitised as the grader does.

    Blank ids are skipped; two rows that sanitise to the same id are an error naming both rows.
    """

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise BadRoster(f"{path.name} is not UTF-8 text; save it as 'CSV UTF-8' and run again.") from None
    except OSError as exc:
        raise BadRoster(f"{path}: cannot be read ({exc.strerror}).") from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = [c.strip() for c in (reader.fieldnames or [])]
    column = next((c for c in ROSTER_COLUMNS if c in columns), None)
    if column is None:
        raise BadRoster(f"{path.name}: no 'student' or 'id' column (columns found: {', '.join(columns) or 'none'})")
    raw_column = reader.fieldnames[columns.index(column)]
    ids: list[str] = []
    first_row: dict = {}
    for row_number, row in enumerate(reader, start=2):
        raw = (row.get(raw_column) or "").strip()
        if not raw:
            continue
        student = sanitize_student_id(raw)
        if student in first_row:
            raise BadRoster(f"{path.name}: rows {first_row[student]} and {row_number} both give student id "
                             f"{student!r}; make the ids distinct")
        first_row[student] = row_number
        ids.append(student)
    return ids


def write_variants(path: Path, roster: list, secret: bytes, spec) -> None:
    """``variants.csv``: ``student, hidden_seed`` per roster entry (instructor-only)."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["student", "hidden_seed"])
        for student in roster:
            writer.writerow([student, hidden_seed(secret, student, spec)])
