"""rnngrade assign rnn-step-by-step: the two folders, the support module shipped, nothing leaked, and
the student's own pytest kit on the solution and on the blank notebook."""
import ast
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from assignments.case_files import read_cases
from assignments.release import load_release

FOLDER = Path(__file__).resolve().parents[3] / "assignments" / "rnn_step_by_step"
KEY_MODULES = [Path(__file__).resolve().parents[3] / "solutions" / name
               for name in ("rnn_cache_cells.py", "rnn_cache_sequences.py")]
ITEMS = ["rnn_cell_forward", "rnn_forward", "lstm_cell_forward", "lstm_forward",
         "rnn_cell_backward", "rnn_backward", "lstm_cell_backward", "lstm_backward"]


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    """``rnngrade assign rnn-step-by-step --out R --roster … --lang en`` through the CLI."""
    from grader.cli import main

    root = tmp_path_factory.mktemp("sbs-release")
    roster = root / "roster.csv"
    roster.write_text("student,name\nalice,Alice\nbob,Bob\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["assign", "rnn-step-by-step", "--out", str(root / "R"),
                                       "--roster", str(roster), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].startswith("rnn-step-by-step version ")
    loaded = load_release(root / "R" / "instructor")
    return SimpleNamespace(student_dir=root / "R" / "student", instructor_dir=root / "R" / "instructor",
                           version=loaded.version)


def test_release_layout(release):
    student = sorted(p.name for p in release.student_dir.iterdir())
    assert "rnn-step-by-step.ipynb" in student and "rnn_utils.py" in student
    assert not {"solution.py", "case_inputs.py", "spec.toml", "hidden_cases.json"} & set(student)
    assert (release.student_dir / "rnn_utils.py").read_bytes() == (FOLDER / "rnn_utils.py").read_bytes()
    instructor = sorted(p.name for p in release.instructor_dir.iterdir())
    assert {"hidden_cases.json", "hidden_cases.npz", "rnn-step-by-step-solution.ipynb", "release.json",
            "secret.key", "spec", "variants.csv"} <= set(instructor)
    info = json.loads((release.instructor_dir / "release.json").read_text(encoding="utf-8"))
    assert (info["assignment"], info["lang"], info["roster"]) == ("rnn-step-by-step", "en", ["alice", "bob"])
    nb = json.loads((release.student_dir / "rnn-step-by-step.ipynb").read_text(encoding="utf-8"))
    assert nb["metadata"]["rnngrade"] == {"assignment": "rnn-step-by-step", "version": release.version, "lang": "en"}


def test_two_public_cases_per_item(release):
    _, public = read_cases(release.student_dir / "public_cases.json")
    assert sorted(public) == sorted(ITEMS)
    assert all(len(public[item]) == 2 for item in ITEMS)


def _body_lines(path):
    """Lines of the function bodies of a file (the answer's substance), long enough to mean something."""
    text = path.read_text(encoding="utf-8")
    lines = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.FunctionDef):
            for stmt in node.body[1:] if ast.get_docstring(node) else node.body:
                for line in ast.get_source_segment(text, stmt).splitlines():
                    line = line.strip()
                    if len(line) > 24 and not line.startswith(("#", '"', "return", "cache =", "caches =")):
                        lines.add(line)
    return lines


def test_student_release_leaks_no_answer(release):
    """No line of solution.py's or the answer key's function bodies is in any student file (but for
    the lines the stubs give, such as unpacking a cache)."""
    blobs = {p.name: p.read_bytes() for p in release.student_dir.iterdir() if p.is_file()}
    given = {line.strip() for stub in (FOLDER / "templates" / "stubs").glob("*.j2")
             for line in stub.read_text(encoding="utf-8").splitlines()}
    lines = set().union(*(_body_lines(p) for p in [FOLDER / "solution.py", *KEY_MODULES])) - given
    assert len(lines) > 60
    for line in sorted(lines):
        leaked = [name for name, blob in blobs.items() if line.encode("utf-8") in blob]
        assert not leaked, f"answer line {line!r} found in {leaked}"


def _run_kit(student_dir: Path, tmp_path: Path, notebook: Path):
    kit = tmp_path / "kit"
    shutil.copytree(student_dir, kit)
    shutil.copyfile(notebook, kit / "rnn-step-by-step.ipynb")
    env = {k: v for k, v in os.environ.items() if k != "RNNGRADE_NOTEBOOK"}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:randomly"], cwd=kit, env=env,
                          capture_output=True, text=True, timeout=300)


def test_kit_passes_the_solution_notebook(release, tmp_path):
    proc = _run_kit(release.student_dir, tmp_path, release.instructor_dir / "rnn-step-by-step-solution.ipynb")
    assert proc.returncode == 0, proc.stdout[-3000:]
    for item in ITEMS:
        assert f"PASS {item} (2/2 public cases)" in proc.stdout, proc.stdout[-3000:]


def test_kit_fails_the_blank_notebook(release, tmp_path):
    proc = _run_kit(release.student_dir, tmp_path, release.student_dir / "rnn-step-by-step.ipynb")
    assert proc.returncode == 1
    for item in ITEMS:
        assert f"FAIL {item} (0/2 public cases)" in proc.stdout, proc.stdout[-3000:]
