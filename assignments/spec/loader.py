"""Read a spec folder into :class:`assignments.spec.Spec`: locate it, parse the TOML, check its
structure, normalise items, and hash the folder into the spec version."""
from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path

from assignments.errors import SpecNotFound
from assignments.spec.model import InvalidSpecError, ItemSpec, Spec
from assignments.spec.caches import normalise_layouts
from assignments.spec.schema import SpecError, normalise_returns, structural_errors

BUILTIN_DIR = Path(__file__).resolve().parents[1]
SPEC_FILE = "spec.toml"


def builtin_names() -> list[str]:
    """Names of the assignments shipped with rnngrade (folders beside this module with a spec)."""
    return sorted(p.parent.name.replace("_", "-") for p in BUILTIN_DIR.glob(f"*/{SPEC_FILE}"))


def locate_spec(name_or_path) -> Path:
    """The ``spec.toml`` for a built-in name, a folder or a file; FileNotFoundError says what exists."""
    text = str(name_or_path)
    candidate = Path(text)
    if candidate.is_dir():
        candidate = candidate / SPEC_FILE
    if candidate.is_file():
        return candidate.resolve()
    builtin = BUILTIN_DIR / text.replace("-", "_") / SPEC_FILE
    if "/" not in text and "\\" not in text and builtin.is_file():
        return builtin
    raise SpecNotFound(
        f"no assignment {text!r}: not a built-in assignment ({', '.join(builtin_names())}) and no "
        f"{SPEC_FILE} at that path"
    )


def read_toml(path: Path) -> dict:
    """Parse ``path``; a TOML syntax error becomes an InvalidSpecError with its line."""
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidSpecError(path, [SpecError(path.name, f"not valid TOML: {exc}")]) from None


def folder_version(folder: Path) -> str:
    """First 12 hex digits of sha256 over the folder's files (sorted relative paths and bytes),
    ``__pycache__`` excluded: any edit to the spec, templates, catalogues or reference files changes it."""
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        rel = path.relative_to(folder).as_posix()
        digest.update(rel.encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:12]


def load_spec(name_or_path) -> Spec:
    """Load and normalise a spec; raise InvalidSpecError listing every structural error."""
    path = locate_spec(name_or_path)
    data = read_toml(path)
    errors = structural_errors(data)
    if errors:
        raise InvalidSpecError(path, errors)
    return build_spec(data, path)


def build_spec(data: dict, path: Path) -> Spec:
    """A Spec from structurally valid TOML data (see spec_schema.structural_errors)."""
    a = data["assignment"]
    defaults = {"rtol": 1e-6, "atol": 1e-8, "call_timeout": 0.25, "load_timeout": 10.0, **data.get("defaults", {})}
    languages = tuple(a["languages"])
    items = tuple(_item(raw, defaults) for raw in data["items"])
    return Spec(
        name=a["name"],
        title=dict(a["title"]),
        default_lang=a.get("default_lang", languages[0]),
        languages=languages,
        seed=int(a["seed"]),
        version=folder_version(path.parent),
        path=path,
        items=items,
        defaults=defaults,
        layouts=normalise_layouts(data.get("layouts")),
        support_modules=tuple(a.get("support_modules", ())),
        inert_modules=tuple(a.get("inert_modules", ())),
    )


def _item(raw: dict, defaults: dict) -> ItemSpec:
    kind = raw["kind"]
    common = dict(id=raw["id"], kind=kind, points=float(raw["points"]), exercise=raw.get("exercise", ""),
                  title=dict(raw.get("title", {})))
    if kind == "code":
        consistency = raw.get("consistency")
        return ItemSpec(
            **common,
            params=tuple(raw["params"]),
            output_spec=normalise_returns(raw["returns"]),
            reference=raw["reference"],
            generator=raw["generator"],
            shapes=tuple(dict(s) for s in raw["shapes"]),
            public=int(raw.get("public", 2)),
            hidden=int(raw.get("hidden", 3)),
            rtol=float(raw.get("rtol", defaults["rtol"])),
            atol=float(raw.get("atol", defaults["atol"])),
            timeout=float(raw.get("timeout", defaults["call_timeout"])),
            consistency=({"forward": consistency["forward"], "credit": float(consistency["credit"])}
                         if consistency else None),
            produced={arg: {"by": src["by"], "output": src["output"]} for arg, src in raw.get("produced", {}).items()},
            credit=({k: float(v) for k, v in raw["credit"].items()} if "credit" in raw else None),
        )
    if kind == "symbolic":
        return ItemSpec(
            **common,
            reference=raw["reference"],
            symbols=tuple(raw["symbols"]),
            abbreviations=dict(raw.get("abbreviations", {})),
            domain={k: (float(v[0]), float(v[1])) for k, v in raw.get("domain", {}).items()},
        )
    return ItemSpec(**common, rubric=dict(raw["rubric"]))
