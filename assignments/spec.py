"""The assignment spec: what an assignment asks for and how each item is graded.

The dataclasses below are the interface the rest of rnngrade uses; `load_spec` reads a TOML spec
(see docs/spec-format.md) into them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional


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
    timeout: float = 1.0
    consistency: Optional[dict] = None  # {"forward": str, "credit": float}
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
        """Import ``module:function``, looking beside the spec first, then installed modules."""
        raise RuntimeError("implemented by the spec loader")
