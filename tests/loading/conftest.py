"""Helpers to write small submissions for the loading tests."""
import importlib.util
import json
from pathlib import Path

import nbformat
import pytest
from nbformat import v4

WILD = Path(__file__).resolve().parents[1] / "corpus" / "wild"


def _load_builders():
    spec = importlib.util.spec_from_file_location("wild_build", WILD / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def wild():
    """The builders of the stored wild notebooks (tests/corpus/wild/build.py)."""
    return _load_builders()


@pytest.fixture
def write_notebook(tmp_path):
    """write_notebook(cells, name="nb.ipynb", metadata=None) -> path of a v4 notebook.

    ``cells`` are ("code"|"markdown"|"raw", source[, tags[, attachments]]) tuples.
    """
    def write(cells, name="nb.ipynb", metadata=None):
        made = []
        for k, spec in enumerate(cells):
            kind, source = spec[0], spec[1]
            tags = spec[2] if len(spec) > 2 else []
            meta = {"tags": list(tags)} if tags else {}
            if kind == "code":
                cell = v4.new_code_cell(source, metadata=meta)
            elif kind == "markdown":
                cell = v4.new_markdown_cell(source, metadata=meta)
                if len(spec) > 3:
                    cell.attachments = spec[3]
            else:
                cell = v4.new_raw_cell(source, metadata=meta)
            cell.id = f"c{k}"
            made.append(cell)
        nb = v4.new_notebook(cells=made, metadata=metadata or {})
        path = tmp_path / name
        path.write_text(nbformat.writes(nb), encoding="utf-8")
        return path
    return write


@pytest.fixture
def write_json(tmp_path):
    def write(data, name="nb.ipynb"):
        path = tmp_path / name
        path.write_text(json.dumps(data), encoding="utf-8")
        return path
    return write
