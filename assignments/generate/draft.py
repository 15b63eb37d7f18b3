"""The working document of notebook generation: texts, the Jinja2 environment, and cells grouped by
exercise until the final step assembles them into an nbformat 4 notebook."""
from __future__ import annotations

import ast
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import jinja2
import nbformat
from nbformat import v4

from assignments.errors import BadLanguage
from assignments.spec.model import ItemSpec, Spec

CHECK_TAG = "rnngrade-check"
SOLUTION_FILE = "solution.py"
EQUATIONS_FILE = "templates/equations.toml"


def make_environment(template_dir: Path) -> jinja2.Environment:
    """Strict, escaped-for-HTML environment; ``py`` puts a Python literal into generated code,
    ``fmt`` fills ``{name}`` placeholders of catalogue strings."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_dir)),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(["html"]),
        keep_trailing_newline=False,
        trim_blocks=False,
    )
    env.filters["py"] = _py_literal
    env.filters["fmt"] = lambda text, **fields: text.format(**fields)
    return env


def _py_literal(value) -> str:
    """``repr`` of a str/number/bool/None/list/dict literal; refuse anything else (no object reprs in code)."""
    if isinstance(value, (str, int, float, bool, type(None))):
        return repr(value)
    if isinstance(value, (list, tuple, dict)):
        literal = repr(value)
        ast.literal_eval(literal)  # raises if the repr is not a literal
        return literal
    raise TypeError(f"cannot put a {type(value).__name__} into generated code")


def load_catalogue(spec: Spec, lang: str) -> dict:
    """``i18n/<lang>.toml`` beside the spec; a clear error if the language has no catalogue."""
    if lang not in spec.languages:
        raise BadLanguage(f"language {lang!r} is not offered by {spec.name} (languages: {', '.join(spec.languages)})")
    path = spec.base_dir / "i18n" / f"{lang}.toml"
    if not path.is_file():
        raise FileNotFoundError(f"{path.name}: no message catalogue for {lang!r} in {path.parent}")
    with open(path, "rb") as fh:
        return tomllib.load(fh)


def load_equations(spec: Spec) -> dict:
    with open(spec.base_dir / EQUATIONS_FILE, "rb") as fh:
        return tomllib.load(fh)


def exercise_key(exercise: str) -> tuple:
    """Book exercises first, then the extra ("P") ones, each by number: 6-3 < 6-5 < 6-1P < 6-2P."""
    numbers = [int(n) for n in re.findall(r"\d+", exercise)]
    return (exercise.upper().endswith("P"), numbers, exercise)


def cell_id(*parts: str) -> str:
    """A stable nbformat cell id from the item id (letters, digits, ``-``, ``_``; at most 64 chars)."""
    text = "-".join(parts)
    text = re.sub(r"[^A-Za-z0-9_-]", "-", text)
    return text[:64]


def markdown_cell(source: str, *ids: str, tags: tuple = ()) -> nbformat.NotebookNode:
    cell = v4.new_markdown_cell(source.strip("\n"))
    cell["id"] = cell_id(*ids)
    if tags:
        cell["metadata"]["tags"] = list(tags)
    return cell


def code_cell(source: str, *ids: str, tags: tuple = ()) -> nbformat.NotebookNode:
    cell = v4.new_code_cell(source.strip("\n"))
    cell["id"] = cell_id(*ids)
    if tags:
        cell["metadata"]["tags"] = list(tags)
    return cell


@dataclass
class SolutionSource:
    """What ``solution.py`` beside the spec holds, read statically: function sources and strings."""

    functions: dict  # name -> source text of the def
    strings: dict  # name -> module-level string literal (answer_*, free_*)

    @classmethod
    def read(cls, path: Path) -> "SolutionSource":
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text, filename=str(path))
        functions, strings = {}, {}
        for node in tree.body:
            if isinstance(node, ast.FunctionDef):
                functions[node.name] = ast.get_source_segment(text, node)
            elif (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                  and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
                strings[node.targets[0].id] = node.value.value
        return cls(functions, strings)


@dataclass
class Draft:
    """A notebook being built. ``head``/``tail`` hold cells outside the exercises; ``sections`` the
    cells of each exercise, in the book's order once assembled. ``done`` records the steps run."""

    spec: Spec
    lang: str
    texts: dict
    equations: dict
    env: jinja2.Environment
    head: list = field(default_factory=list)
    sections: dict = field(default_factory=dict)
    tail: list = field(default_factory=list)
    metadata: dict = field(default_factory=dict)
    done: list = field(default_factory=list)
    solution: Optional[SolutionSource] = None
    notebook: Optional[nbformat.NotebookNode] = None

    @classmethod
    def start(cls, spec: Spec, lang: Optional[str] = None) -> "Draft":
        lang = lang or spec.default_lang
        return cls(spec=spec, lang=lang, texts=load_catalogue(spec, lang), equations=load_equations(spec),
                   env=make_environment(spec.base_dir / "templates"))

    def render(self, template: str, **context) -> str:
        return self.env.get_template(template).render(t=self.texts, spec=self.spec, lang=self.lang, **context)

    def title(self, item: ItemSpec) -> str:
        return item.title.get(self.lang) or item.title.get(self.spec.default_lang) or item.id

    def item_text(self, item: ItemSpec, key: str) -> str:
        return self.texts["items"][item.id][key]

    def section(self, exercise: str) -> list:
        if exercise not in self.sections:
            raise KeyError(f"no section for exercise {exercise!r}: RenderStatements makes one per exercise")
        return self.sections[exercise]

    def find_cell(self, wanted_id: str) -> nbformat.NotebookNode:
        for cell in self.cells():
            if cell["id"] == wanted_id:
                return cell
        raise KeyError(f"no cell with id {wanted_id!r}")

    def cells(self) -> list:
        ordered = [self.sections[k] for k in sorted(self.sections, key=exercise_key)]
        return self.head + [c for cells in ordered for c in cells] + self.tail


def points_text(points: float) -> str:
    return f"{points:g}"


def to_json(notebook: nbformat.NotebookNode) -> str:
    """Deterministic JSON text of a notebook (sorted keys, one space indent, final newline)."""
    return json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
