"""Images of free-response answers, embedded as ``data:`` URIs after checking them.

Only PNG, JPEG, GIF and WebP are embedded, and only when the bytes really are that format (the
magic number is checked): an SVG or HTML file announced as an image could carry a script.
"""
from __future__ import annotations

import base64
import binascii

MAX_IMAGE_BYTES = 2_000_000

_MAGIC = {
    "image/png": lambda b: b.startswith(b"\x89PNG\r\n\x1a\n"),
    "image/jpeg": lambda b: b.startswith(b"\xff\xd8\xff"),
    "image/gif": lambda b: b.startswith((b"GIF87a", b"GIF89a")),
    "image/webp": lambda b: len(b) >= 12 and b[:4] == b"RIFF" and b[8:12] == b"WEBP",
}


def image_data_uri(attachment: dict) -> tuple[str | None, str]:
    """``(uri, "")`` for an embeddable image, else ``(None, reason_key)``: a catalogue key
    (``image.bad_type``, ``image.bad_data``, ``image.too_large``)."""
    mime = str(attachment.get("mime", "")).lower().strip()
    if mime == "image/jpg":
        mime = "image/jpeg"
    if mime not in _MAGIC:
        return None, "image.bad_type"
    try:
        raw = base64.b64decode(str(attachment.get("data_b64", "")).replace("\n", ""), validate=True)
    except (binascii.Error, ValueError):
        return None, "image.bad_data"
    if len(raw) > MAX_IMAGE_BYTES:
        return None, "image.too_large"
    if not _MAGIC[mime](raw):
        return None, "image.bad_data"
    return f"data:{mime};base64,{base64.b64encode(raw).decode('ascii')}", ""
