"""Images of free answers: cell attachments and ``data:`` URIs, kept only when they are safe to show.

A kept image is ``{"name", "mime", "data_b64"}`` with mime one of PNG, JPEG, GIF, WebP. SVG is not
kept (it is a document that can carry scripts and links). The bytes must decode as base64 and start
with the signature of an allowed type; the mime is taken from the signature, so a JPEG labelled PNG
is shown as the JPEG it is.
"""
from __future__ import annotations

import base64
import binascii
import re
from typing import Optional

from msgcat import message

ALLOWED_MIMES = ("image/png", "image/jpeg", "image/gif", "image/webp")
MAX_IMAGE_BYTES = 5 * 1024 * 1024  # a phone photo fits; a report with many of these would not

_EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp"}
# `data:image/png;base64,....` inside markdown or an <img> tag.
DATA_URI = re.compile(r"data:(image/[\w.+-]+);base64,([A-Za-z0-9+/\s]+=*)")


def sniff_mime(data: bytes) -> Optional[str]:
    """The allowed image type whose signature starts ``data``, or None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def check_image(name: str, mime: str, data_b64) -> tuple[Optional[dict], Optional[dict]]:
    """Return ``(image, None)`` for a kept image or ``(None, why)`` with the reason it was dropped
    (a message, ``msgcat.message``)."""
    if isinstance(data_b64, list):  # nbformat allows a mime bundle value split into lines
        data_b64 = "".join(data_b64)
    if mime not in ALLOWED_MIMES:
        return None, message("note.image_type", name=name, mime=mime)
    if not isinstance(data_b64, str):
        return None, message("note.image_no_data", name=name)
    compact = re.sub(r"\s+", "", data_b64)
    try:
        raw = base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        return None, message("note.image_bad_base64", name=name)
    if len(raw) > MAX_IMAGE_BYTES:
        return None, message("note.image_too_large", name=name, mb=f"{len(raw) / 1e6:.1f}",
                             limit=MAX_IMAGE_BYTES // (1024 * 1024))
    sniffed = sniff_mime(raw)
    if sniffed is None:
        return None, message("note.image_not_image", name=name, mime=mime)
    return {"name": name, "mime": sniffed, "data_b64": compact}, None


def extension(mime: str) -> str:
    return _EXTENSIONS.get(mime, "img")
