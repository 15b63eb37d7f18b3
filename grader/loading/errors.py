"""Why a file could not be loaded, in words a student or course staff member can act on."""
from __future__ import annotations

import json
from typing import Optional

REDOWNLOAD = "Re-download it from Jupyter with File → Download."
ACCEPTED = "rnngrade grades Jupyter notebooks (.ipynb) and Python files (.py)"

# First bytes of files that students submit by mistake, to say what the file really is.
_SIGNATURES = (
    (b"PK\x03\x04", "a ZIP archive"),
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"\x1f\x8b", "a gzip archive"),
)


class LoadError(Exception):
    """Raised inside the loader only; load_submission turns it into an ``invalid`` result."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def what_binary_is(data: bytes) -> Optional[str]:
    for signature, what in _SIGNATURES:
        if data.startswith(signature):
            return what
    return None


def missing(name: str) -> str:
    return f"{name} does not exist."


def is_folder(name: str) -> str:
    return f"{name} is a folder, not a file; {ACCEPTED}."


def empty(name: str, blank: bool = False) -> str:
    what = "holds only blank space" if blank else "is empty (0 bytes)"
    return (f"{name} {what}. Submit the notebook (.ipynb) or Python file (.py) that holds your "
            "work.")


def unknown_format(name: str, suffix: str) -> str:
    kind = f"a {suffix} file" if suffix else "a file without an extension"
    return (f"{name} is {kind}; {ACCEPTED}. Submit your notebook: download it from Jupyter with "
            "File → Download.")


def unreadable(name: str, reason: str) -> str:
    return f"{name} could not be read ({reason}). Check the file's permissions and submit it again."


def too_large(name: str, size: int, limit: int) -> str:
    return (f"{name} is {size / 1e6:.0f} MB, more than the {limit // 10**6} MB a submission may be. "
            "Clear the outputs (Edit → Clear All Outputs) and submit it again.")


def too_much_code(name: str, chars: int, limit: int) -> str:
    return (f"{name} holds {chars:,} characters of code, more than the {limit:,} a submission may "
            "hold (the whole assignment needs a few hundred lines). Remove data or output pasted "
            "into the code and submit it again.")


def too_many_cells(name: str, cells: int, limit: int) -> str:
    return (f"{name} has {cells:,} cells, more than the {limit:,} a notebook may have. Remove the "
            "extra cells and submit it again.")


def too_many_structures(name: str, count: int, limit: int) -> str:
    return (f"{name} holds {count:,} JSON lists and objects, more than the {limit:,} a notebook may "
            "hold. Clear the outputs (Edit → Clear All Outputs) and submit it again.")


def binary_notebook(name: str, data: bytes, exc: UnicodeDecodeError) -> str:
    what = what_binary_is(data)
    if what:
        return f"{name} is {what}, not a Jupyter notebook. Submit the .ipynb file itself."
    return (f"{name} is not a text file (byte 0x{data[exc.start]:02x} at position {exc.start} is not "
            f"UTF-8): the file is not a Jupyter notebook. {REDOWNLOAD}")


def not_json(name: str, text: str, exc: json.JSONDecodeError) -> str:
    if text.lstrip()[:1] != "{":
        why = "the file is not a Jupyter notebook"
    else:
        why = "the notebook file is damaged (perhaps cut short or edited by hand)"
    return f"{name} is not valid JSON (line {exc.lineno}, column {exc.colno}): {why}. {REDOWNLOAD}"


def not_a_notebook(name: str, what: str) -> str:
    return f"{name} is JSON but not a Jupyter notebook ({what}). {REDOWNLOAD}"


def unsupported_version(name: str, version) -> str:
    return (f"{name} is a Jupyter notebook of format version {version!r}, which rnngrade cannot read "
            "(it reads versions 1 to 4). Open it in a current Jupyter, save it and submit it again.")


def damaged_cell(name: str, cell_number: int, what: str) -> str:
    return (f"{name} is damaged: cell {cell_number} {what}. Open the notebook in Jupyter, save it "
            "and submit it again.")


def binary_python(name: str, data: bytes) -> str:
    what = what_binary_is(data) or "a binary file"
    return f"{name} is {what}, not Python source. Submit the .py file that holds your code."


def not_utf8_python(name: str, data: bytes, exc: UnicodeDecodeError) -> str:
    line = data[: exc.start].count(b"\n") + 1
    return (f"{name} is not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line} cannot be "
            "decoded). Save it as UTF-8 in your editor and submit it again.")


def internal(name: str, exc: BaseException) -> str:
    return (f"{name} could not be loaded ({type(exc).__name__}: {exc}). Send this message and the "
            "file to the course staff.")
