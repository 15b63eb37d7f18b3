"""Files built to exhaust the grader while it reads them: refused quickly with a message a person
can act on, or read with their harmless parts dropped."""
import json

from grader.loading import discover, load_submission
from grader.loading.load import MAX_CODE_CHARS, MAX_JSON_CONTAINERS
from grader.loading.notebook_read import MAX_CELLS
from grader.messages import render


def _nb(cells, **metadata):
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": metadata, "cells": cells})


def _code(source, outputs=(), **metadata):
    return {"cell_type": "code", "source": source, "metadata": metadata, "outputs": list(outputs),
            "execution_count": None}


def test_a_python_file_with_too_much_code_is_refused(tmp_path):
    path = tmp_path / "big.py"
    path.write_text("x = 1\n" * (MAX_CODE_CHARS // 6 + 1))
    loaded = load_submission(path)
    assert loaded.kind == "invalid" and loaded.units == []
    assert render(loaded.error, "en") == (f"{tmp_path.name}/big.py holds 300,006 characters of code, more than the "
                            "300,000 a submission may hold (the whole assignment needs a few hundred "
                            "lines). Remove data or output pasted into the code and submit it again.")
    assert len(loaded.content_hash) == 64


def test_a_notebook_cell_with_too_much_code_is_refused(tmp_path):
    path = tmp_path / "huge_cell.ipynb"
    path.write_text(_nb([_code("x = 1\n" * 60_000)]))
    loaded = load_submission(path)
    assert render(loaded.error, "en").startswith(f"{tmp_path.name}/huge_cell.ipynb holds 360,000 characters of code")


def test_too_many_cells_are_refused(tmp_path):
    path = tmp_path / "cells.ipynb"
    path.write_text(_nb([{"cell_type": "raw", "source": ""}] * (MAX_CELLS + 1)))
    assert render(load_submission(path).error, "en") == (
        f"{tmp_path.name}/cells.ipynb has 5,001 cells, more than the 5,000 a notebook may have. "
        "Remove the extra cells and submit it again.")


def test_a_json_bomb_is_refused_before_it_is_parsed(tmp_path):
    path = tmp_path / "bomb.ipynb"
    path.write_text('{"nbformat": 4, "nbformat_minor": 5, "cells": [], "metadata": {"x": ['
                    + "[]," * MAX_JSON_CONTAINERS + "[]]}}")
    assert render(load_submission(path).error, "en").startswith(
        f"{tmp_path.name}/bomb.ipynb holds 2,000,005 JSON lists and objects, more than the 2,000,000")


def test_outputs_and_tag_floods_are_not_read(tmp_path):
    # 20,000 outputs that break the schema and 100,000 tags: neither is validated nor kept
    bad_output = {"output_type": "no-such-type"}
    path = tmp_path / "outputs.ipynb"
    path.write_text(_nb([_code("def f():\n    return 1", [bad_output] * 20_000,
                               tags=["rnngrade-check"] + [f"t{i}" for i in range(100_000)])]))
    loaded = load_submission(path)
    assert loaded.kind == "notebook" and loaded.units == []  # still a check cell: skipped
    assert loaded.notes == []


def test_a_source_list_of_non_strings_is_a_damaged_cell(tmp_path):
    path = tmp_path / "nonstr.ipynb"
    path.write_text(_nb([{"cell_type": "code", "source": [1, None, {"a": 1}], "metadata": {},
                          "outputs": []}]))
    assert render(load_submission(path).error, "en") == (
        f"{tmp_path.name}/nonstr.ipynb is damaged: cell 1 has a `source` that is not text. Open the "
        "notebook in Jupyter, save it and submit it again.")


def test_deeply_nested_json_is_not_a_notebook(tmp_path):
    path = tmp_path / "deep.ipynb"
    path.write_text('{"nbformat": 4, "cells": [], "metadata": {"a": ' + "[" * 100_000
                    + "]" * 100_000 + "}}")
    assert "it is nested too deeply" in render(load_submission(path).error, "en")


def test_a_file_name_with_a_newline_gets_a_clean_id(tmp_path):
    (tmp_path / "bad\nname.py").write_text("def f():\n    return 1\n")
    (entry,) = discover(tmp_path)
    assert entry.student == "bad_name"
    assert load_submission(entry.path).units[0].source == "def f():\n    return 1"
