"""Can compare.py be copied into the students' kit: numpy and the standard library only, Python 3.9?"""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import grader.checking.compare as compare
from assignments import kit_texts

SOURCE = Path(compare.__file__).read_text(encoding="utf-8")


def _imported_roots(tree: ast.AST) -> set[str]:
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "compare.py must not use relative imports"
            roots.add(node.module.split(".")[0])
    return roots


def test_imports_only_numpy_and_the_standard_library():
    """Besides numpy: the catalogue reader (msgcat, in the grader) or the kit's generated texts."""
    roots = _imported_roots(ast.parse(SOURCE))
    outside = {r for r in roots if r != "numpy" and r not in sys.stdlib_module_names}
    assert outside == {"msgcat", "rnngrade_texts"}
    assert "numpy" in roots and "grader" not in roots


def test_parses_with_python_3_9_grammar():
    tree = ast.parse(SOURCE, feature_version=(3, 9))
    assert not any(type(n).__name__ == "Match" for n in ast.walk(tree))


def test_annotations_are_never_evaluated_at_run_time():
    # `X | Y` in an annotation is fine on 3.9 only when annotations stay strings.
    tree = ast.parse(SOURCE)
    futures = [n for n in tree.body if isinstance(n, ast.ImportFrom) and n.module == "__future__"]
    assert any(a.name == "annotations" for f in futures for a in f.names)


def test_runs_alone_from_a_copied_file(tmp_path):
    (tmp_path / "rnngrade_compare.py").write_text(SOURCE, encoding="utf-8")
    kit_texts.write(tmp_path)  # as the release step does
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import numpy as np, rnngrade_compare as c; "
        "print(c.summarize(c.check_returned(np.ones(2, np.float32), np.ones(2), "
        "{'kind': 'array', 'name': 'h'}, 1e-6, 1e-8))); print('grader' in sys.modules or 'msgcat' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True,
                         cwd=tmp_path)
    assert out.stdout.splitlines() == [
        "h: dtype is float32, expected float64; compute in float64 (do not convert to float32)", "False"]


def test_the_kits_copy_of_the_texts_is_current():
    """Is assignments/student_kit/rnngrade_texts.py what the catalogues generate today?
    (Run ``python -m assignments.kit_texts`` after editing a catalogue.)"""
    assert kit_texts.KIT_COPY.read_text(encoding="utf-8") == kit_texts.generate()


def test_the_kits_copy_says_what_the_grader_says():
    namespace: dict = {}
    exec(kit_texts.generate(), namespace)  # our own generated literal, not student input
    assert namespace["COMPARE"] == compare.MESSAGES
