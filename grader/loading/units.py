"""The pieces a submission is cut into before it runs: code units, free answers, the whole load."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from grader.core.places import place


@dataclass(frozen=True)
class CodeUnit:
    """One piece of student code that runs as a whole: a notebook cell or a top-level statement."""

    label: str  # "cell 4" (1-based over all cells) or "line 12" for a .py statement
    source: str  # Python source, IPython magics already removed
    cell_index: Optional[int] = None
    first_line: int = 1  # line in the original cell/file where `source` starts (1-based)
    # The loader's parse of `source` (an ast.Module; shared, read only), so that the grader's own
    # reading of the code (diagnosis) does not parse it again; never sent to the sandbox.
    tree: Optional[object] = field(default=None, compare=False, repr=False)

    @property
    def place(self) -> dict:
        """Where the unit is, as a message ("cell 4" / "第 4 个单元格", "line 12" / "第 12 行")."""
        return place(cell=self.cell_index + 1) if self.cell_index is not None else place(line=self.first_line)


@dataclass
class FreeAnswer:
    text: str
    attachments: list = field(default_factory=list)  # {"name", "mime", "data_b64"}; images only


@dataclass
class LoadedSubmission:
    path: Optional[Path]
    kind: str  # "notebook" | "python" | "invalid"
    units: list = field(default_factory=list)  # list[CodeUnit]
    answers: dict = field(default_factory=dict)  # name -> str (static read of module-level literals)
    free: dict = field(default_factory=dict)  # item id -> FreeAnswer
    notes: list = field(default_factory=list)
    error: Optional[dict] = None  # why the file could not be loaded: a load.* message
    release_version: Optional[str] = None
    content_hash: str = ""
