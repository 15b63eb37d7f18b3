"""Read a notebook file's JSON into a list of cells, upgrading old formats and validating leniently.

nbformat upgrades versions 1-3 to 4 and validates against the schema. A schema violation that
leaves the cells readable (a missing cell id, an unknown metadata field) is a note, not a failure:
the student's code is what matters. Only a notebook whose cells cannot be read is an error.
"""
from __future__ import annotations

import copy
import json
import warnings
from dataclasses import dataclass, field
from typing import Any

import nbformat

from grader.loading import errors
from grader.loading.errors import LoadError
from msgcat import message

MAX_CELLS = 5_000  # the template has a few dozen; a million cells took 70 s and 3 GB to read


@dataclass
class Cell:
    index: int  # 0-based over all cells
    cell_type: str  # "code" | "markdown" | "raw" | anything else found
    source: str
    tags: list = field(default_factory=list)
    attachments: dict = field(default_factory=dict)


@dataclass
class NotebookContent:
    cells: list  # list[Cell]
    metadata: dict
    notes: list = field(default_factory=list)


def read_notebook(text: str, name: str) -> NotebookContent:
    """Parse notebook JSON; raise LoadError (with a message for a person) if the cells cannot be read."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LoadError(errors.not_json(name, text, exc)) from None
    except RecursionError:
        raise LoadError(errors.not_a_notebook(name, message("load.json.too_deep"))) from None
    if not isinstance(data, dict):
        raise LoadError(errors.not_a_notebook(name, message("load.json.holds", type=_json_type(data))))
    if not any(key in data for key in ("cells", "worksheets", "nbformat")):
        raise LoadError(errors.not_a_notebook(name, message("load.json.no_cells")))
    version = data.get("nbformat", 4 if "cells" in data else 3)
    if not isinstance(version, int) or isinstance(version, bool) or version not in nbformat.versions:
        raise LoadError(errors.unsupported_version(name, version))

    _check_cells_readable(data, version, name)
    count = len(_raw_cell_dicts(data, version, name))
    if count > MAX_CELLS:
        raise LoadError(errors.too_many_cells(name, count, MAX_CELLS))
    data = _without_outputs(data, version)
    notes: list = []  # messages (msgcat.message)
    try:
        nb = _upgrade(data, version)
    except Exception as exc:  # nbformat's converters assume a well-formed notebook
        notes.append(message("note.nb_not_upgraded", error=f"{type(exc).__name__}: {_short(exc)}"))
        return NotebookContent(_raw_cells(data, version), _dict(data.get("metadata")), notes)
    if version != 4:
        notes.append(message("note.nb_upgraded", version=version))
    problem = _validation_problem(nb)
    if problem:
        notes.append(message("note.nb_invalid", problem=problem))
    cells = [_cell(k, c) for k, c in enumerate(nb.get("cells", []))]
    return NotebookContent(cells, _dict(nb.get("metadata")), notes)


def _without_outputs(data: dict, version: int) -> dict:
    """The notebook with its code cells' outputs emptied and cell tags cut to the first 100
    (shallow copies; the input is kept).

    Outputs are never graded, and nbformat deep-copies and validates whatever they hold: 500,000
    outputs took 14 s and 900 MB, a cell with a million tags 15 s.
    """
    def clear(cells: list) -> list:
        out = []
        for c in cells:
            if isinstance(c.get("outputs"), list):
                c = {**c, "outputs": []}
            meta = c.get("metadata")
            if isinstance(meta, dict) and isinstance(meta.get("tags"), list) and len(meta["tags"]) > 100:
                c = {**c, "metadata": {**meta, "tags": meta["tags"][:100]}}
            out.append(c)
        return out

    if version >= 4:
        return {**data, "cells": clear(data.get("cells", []))}
    return {**data, "worksheets": [{**w, "cells": clear(w.get("cells", []))}
                                   for w in data.get("worksheets", [])]}


def _upgrade(data: dict, version: int):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        nb = nbformat.versions[version].to_notebook_json(_json_copy(data),
                                                         minor=data.get("nbformat_minor", 0))
        return nbformat.convert(nb, 4)


def _json_copy(value):
    """``copy.deepcopy`` of parsed JSON (dicts, lists and atoms, no object held twice), made without
    deepcopy's bookkeeping: notebooks hold thousands of source lines."""
    t = type(value)
    if t is dict:
        return {k: _json_copy(v) for k, v in value.items()}
    if t is list:
        return [v if type(v) is str else _json_copy(v) for v in value]
    if t in (str, int, float, bool) or value is None:
        return value
    return copy.deepcopy(value)


def _validation_problem(nb) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            nbformat.validate(copy.deepcopy(nb))
        except Exception as exc:  # jsonschema or fastjsonschema error, or a broken structure
            return _short(getattr(exc, "message", None) or str(exc))
    return ""


def _check_cells_readable(data: dict, version: int, name: str) -> None:
    """Every cell must be an object with its text: `source` (v4; v3 markdown) or `input` (v3 code)."""
    for number, cell in enumerate(_raw_cell_dicts(data, version, name), start=1):
        if not isinstance(cell, dict):
            raise LoadError(errors.damaged_cell(name, number, message("load.cell.not_object", type=_json_type(cell))))
        key = "input" if version < 4 and cell.get("cell_type") == "code" else "source"
        if version < 4 and key == "source" and "source" not in cell and "input" in cell:
            key = "input"
        if key not in cell:
            raise LoadError(errors.damaged_cell(name, number, message("load.cell.no_key", key=key)))
        if not _is_text(cell[key]):
            raise LoadError(errors.damaged_cell(name, number, message("load.cell.key_not_text", key=key)))


def _raw_cell_dicts(data: dict, version: int, name: str) -> list:
    if version >= 4:
        cells = data.get("cells", [])
        if not isinstance(cells, list):
            raise LoadError(errors.not_a_notebook(name, message("load.json.cells_not_list")))
        return cells
    sheets = data.get("worksheets", [])
    if not isinstance(sheets, list) or not all(isinstance(s, dict) for s in sheets):
        raise LoadError(errors.not_a_notebook(name, message("load.json.worksheets")))
    if not all(isinstance(s.get("cells", []), list) for s in sheets):
        raise LoadError(errors.not_a_notebook(name, message("load.json.worksheet_cells")))
    return [c for sheet in sheets for c in sheet.get("cells", [])]


def _raw_cells(data: dict, version: int) -> list:
    """Cells straight from the JSON, for a notebook nbformat cannot upgrade (already checked readable)."""
    cells = []
    for k, raw in enumerate(_raw_cell_dicts(data, version, "")):
        key = "input" if version < 4 and "input" in raw else "source"
        cell_type = raw.get("cell_type", "code")
        if cell_type == "heading":  # v3 headings are markdown in v4
            cell_type = "markdown"
        cells.append(_cell(k, {**raw, "cell_type": cell_type, "source": raw[key]}))
    return cells


def _cell(index: int, raw) -> Cell:
    metadata = _dict(raw.get("metadata"))
    tags = metadata.get("tags")
    tags = [t for t in tags if isinstance(t, str)] if isinstance(tags, list) else []
    source = raw.get("source", "")
    if isinstance(source, list):
        source = "".join(source)
    source = source.replace("\r\n", "\n").replace("\r", "\n")
    return Cell(index, str(raw.get("cell_type", "")), source, tags, _dict(raw.get("attachments")))


def _is_text(value: Any) -> bool:
    return isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))


def _dict(value) -> dict:
    return dict(value) if isinstance(value, dict) else {}


def _json_type(value) -> dict:
    kind = {list: "list", str: "string", int: "number", float: "number", bool: "boolean",
            type(None): "null"}.get(type(value), "value")
    return message(f"load.json_type.{kind}")


def _short(exc, limit: int = 200) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
