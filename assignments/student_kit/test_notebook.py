"""Run with ``pytest`` in this folder: checks your notebook against the public cases.

The notebook is found by name (or set RNNGRADE_NOTEBOOK=path/to/notebook.ipynb). Its code cells run
in this process (check cells and IPython magics are skipped); then every item gets one test.
"""
import pytest

import rnngrade_local as kit

INDEX = kit.load_index()
ITEMS = [entry["id"] for entry in INDEX["items"]]
LANG = INDEX.get("lang", "en")


@pytest.fixture(scope="session")
def notebook():
    path = kit.find_notebook(index=INDEX)
    namespace, errors, metadata = kit.run_notebook(path)
    return {"path": path, "namespace": namespace, "errors": errors, "metadata": metadata}


@pytest.fixture(scope="session")
def arrays():
    return kit.load_arrays()


def test_notebook_runs(notebook):
    """Does every code cell of the notebook run without an error?"""
    kit.SESSION["notebook"] = str(notebook["path"])
    version = notebook["metadata"].get("version")
    if version and version != INDEX["version"]:
        kit.SESSION["warnings"].append(kit._say(LANG, "version", nb=version, kit=INDEX["version"]))
    if notebook["errors"]:
        lines = [kit._say(LANG, "cell_error", cell=label, error=error) for label, error in notebook["errors"]]
        pytest.fail("\n".join(lines), pytrace=False)


@pytest.mark.parametrize("item", ITEMS)
def test_item(item, notebook, arrays):
    """Does this item pass its public checks?"""
    report = kit.run_item(item, notebook["namespace"], INDEX, arrays)
    kit.SESSION["reports"].append(report)
    if not report.passed:
        pytest.fail(report.text(LANG), pytrace=False)
