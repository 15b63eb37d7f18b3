"""Where something is in a submission, said in the reader's language: "cell 4, line 2" / "第 4 个单元格第 2 行".

A loader note or a load error names a place; results store it as a message (``place.*`` of the
grader's catalogue), so a zh report says it in Chinese. The units themselves keep plain labels
("cell 4", "line 12"): a label travels to the sandbox child as the unit's name and ends up in
Python's own error texts, which are shown as the code raised them. ``place_of`` turns such a label,
which only the loaders make, back into a place where a message needs one.
"""
from __future__ import annotations

import re
from typing import Optional

from msgcat import message

_LABEL = re.compile(r"cell (\d+)(?:, line (\d+))?|line (\d+)")


def place(cell: Optional[int] = None, line: Optional[int] = None) -> dict:
    """A place in a notebook (``cell``, 1-based, and a line in it) or a .py file (``line``)."""
    if cell is not None and line is not None:
        return message("place.cell_line", cell=cell, line=line)
    if cell is not None:
        return message("place.cell", cell=cell)
    return message("place.line", line=line)


def place_of(label: str) -> "dict | str":
    """A loader's label ("cell 4", "line 7", "cell 4, line 7") as a place; other text unchanged."""
    m = _LABEL.fullmatch(label) if isinstance(label, str) else None
    if m is None:
        return label
    cell, line_in_cell, line = m.groups()
    if cell is not None:
        return place(int(cell), int(line_in_cell) if line_in_cell else None)
    return place(line=int(line))
