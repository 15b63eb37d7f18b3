"""One import direction: the contracts in pyproject.toml ([tool.importlinter]) hold, imports inside
functions included (docs/architecture.md, "Layers")."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

importlinter_cli = pytest.importorskip("importlinter.cli", reason="import-linter is in the test extra")

ROOT = Path(__file__).resolve().parents[2]
PROJECT = ("grader", "assignments", "solutions")


def test_import_contracts_hold(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    code = importlinter_cli.lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True,
                                         no_logo=True)
    out = capsys.readouterr().out
    assert code == 0, out
    assert "0 broken" in out


def test_a_broken_contract_is_reported(tmp_path, capsys, monkeypatch):
    """The check can fail: a copy of the config with the layers reversed breaks the contract."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    start = text.index("layers = [")
    end = text.index("]", start)
    layers = [line for line in text[start:end].splitlines()[1:] if line.strip()]
    reversed_config = text[:start] + "layers = [\n" + "\n".join(reversed(layers)) + "\n" + text[end:]
    config = tmp_path / "pyproject.toml"
    config.write_text(reversed_config, encoding="utf-8")
    monkeypatch.chdir(ROOT)
    code = importlinter_cli.lint_imports(config_filename=str(config), no_cache=True, no_logo=True)
    out = capsys.readouterr().out
    assert code == 1
    assert "grader.cli is not allowed to import grader.pipeline.batch" in out


@pytest.mark.parametrize("module", ["grader/checking/compare.py", "grader/loading/magics.py"])
def test_modules_copied_into_the_student_kit_import_nothing_of_rnngrade(module):
    """The release copies these files beside the student's notebook, where rnngrade is not installed."""
    tree = ast.parse((ROOT / module).read_text(encoding="utf-8"))
    imported = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            imported.append("." * node.level + (node.module or ""))
    assert [m for m in imported if m.startswith(".") or m.split(".")[0] in PROJECT] == []
