"""The assignment spec's data: what an assignment asks for and how each item is graded.

The dataclasses below are the interface the rest of rnngrade uses (through ``assignments.spec``);
``assignments.spec.loader`` fills them from a TOML spec (see docs/spec-format.md).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

from assignments.resolve import resolve_reference
from assignments.spec.errors import SpecError
from grader.core.errors import UserError

__all__ = ["ItemSpec", "Spec", "SpecError", "InvalidSpecError"]


@dataclass(frozen=True)
class ItemSpec:
    id: str
    kind: str  # "code" | "symbolic" | "free"
    points: float
    exercise: str = ""
    title: dict = field(default_factory=dict)  # lang -> str
    # code items
    params: tuple = ()
    output_spec: Optional[dict] = None  # normalised, see docs/spec-format.md
    reference: str = ""  # "module:function"
    generator: str = ""  # built-in generator name or "module:function"
    shapes: tuple = ()  # tuple of dicts
    public: int = 0
    hidden: int = 0
    rtol: float = 1e-6
    atol: float = 1e-8
    timeout: float = 0.25  # seconds: a lower bound of the call limit (grader/pipeline/plan.py: CaseBook.case_timeouts)
    consistency: Optional[dict] = None  # {"forward": str, "credit": float}
    # cache-style items (docs/spec-format.md "Cache-style items")
    produced: dict = field(default_factory=dict)  # arg name -> {"by": item id, "output": output name}
    credit: Optional[dict] = None  # {"reference_cache": float, "own_cache": float}
    # symbolic items
    symbols: tuple = ()
    abbreviations: dict = field(default_factory=dict)  # name -> expression text (trusted, from the spec)
    domain: dict = field(default_factory=dict)  # symbol -> (lo, hi)
    # free items
    rubric: dict = field(default_factory=dict)  # lang -> str (instructor-only)


@dataclass(frozen=True)
class Spec:
    name: str
    title: dict
    default_lang: str
    languages: tuple
    seed: int
    version: str  # content hash of the assignment folder, 12 hex digits
    path: Path  # the spec.toml
    items: tuple  # tuple[ItemSpec, ...]
    defaults: dict = field(default_factory=dict)
    layouts: dict = field(default_factory=dict)  # name -> {"kind": "tuple", "entries": [...]}
    support_modules: tuple = ()  # .py files beside spec.toml that submissions may import
    inert_modules: tuple = ()  # module names imported as do-nothing stand-ins

    @property
    def base_dir(self) -> Path:
        return self.path.parent

    def item(self, item_id: str) -> ItemSpec:
        for it in self.items:
            if it.id == item_id:
                return it
        raise KeyError(item_id)

    def items_of(self, kind: str) -> list:
        return [it for it in self.items if it.kind == kind]

    def resolve(self, ref: str) -> Callable[..., Any]:
        """Import ``module:function``, looking beside the spec first, then installed modules.

        Raises ``assignments.resolve.UnresolvedReference`` (a LookupError) with a message that says
        where it looked.
        """
        return resolve_reference(ref, self.base_dir)


class InvalidSpecError(UserError, ValueError):
    """A spec that cannot be loaded; ``errors`` lists every problem with its location."""

    def __init__(self, path, errors: list):
        self.path = path
        self.errors = list(errors)
        lines = "\n".join(f"  {e}" for e in self.errors)
        super().__init__(f"{path}: {len(self.errors)} error(s) in the assignment spec:\n{lines}")
