"""rnngrade assign: the two folders, what each holds, what the student folder must never hold."""
import ast
import inspect
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import solutions
from assignments.case_files import read_cases
from assignments.release import assign, load_release
from assignments.variants import hidden_seed

SOLUTION = Path(__file__).resolve().parents[2] / "assignments" / "nndl_ch6" / "solution.py"
STUDENT_FILES = ["conftest.py", "nndl-ch6.ipynb", "public_cases.json", "public_cases.npz", "pytest.ini",
                 "rnngrade_compare.py", "rnngrade_expr.py", "rnngrade_local.py", "rnngrade_magics.py",
                 "rnngrade_texts.py", "test_notebook.py"]


def test_release_layout(release):
    """Which files does each side of the release hold?"""
    student = sorted(p.name for p in release.student_dir.iterdir())
    assert student == STUDENT_FILES
    instructor = sorted(p.name for p in release.instructor_dir.iterdir())
    assert instructor == ["hidden_cases.json", "hidden_cases.npz", "nndl-ch6-solution.ipynb", "release.json",
                          "secret.key", "spec", "variants.csv"]
    info = json.loads((release.instructor_dir / "release.json").read_text(encoding="utf-8"))
    assert info == {"assignment": "nndl-ch6", "version": release.version, "lang": "en",
                    "roster": ["alice", "bob"], "secret_file": "secret.key"}
    secret_file = release.instructor_dir / "secret.key"
    assert len(secret_file.read_bytes()) == 32 and stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    variants = (release.instructor_dir / "variants.csv").read_text(encoding="utf-8").splitlines()
    assert variants == ["student,hidden_seed",
                        f"alice,{hidden_seed(release.secret, 'alice', release.spec)}",
                        f"bob,{hidden_seed(release.secret, 'bob', release.spec)}"]


def test_release_summary_lines(release):
    assert release.lines() == [
        f"Student release:    {release.student_dir}  (give this folder to students)",
        f"Instructor release: {release.instructor_dir}  (keep private: answer key and hidden cases)",
        f"Course secret:      {release.instructor_dir / 'secret.key'}  (keep it: the grader re-derives every "
        "student's hidden cases from it)",
        f"nndl-ch6 version {release.version}, language en, 2 students on the roster",
    ]


def test_vendored_files_are_the_graders_own(release):
    import grader.checking.compare as compare
    import grader.loading.magics as magics

    assert (release.student_dir / "rnngrade_compare.py").read_bytes() == Path(compare.__file__).read_bytes()
    assert (release.student_dir / "rnngrade_magics.py").read_bytes() == Path(magics.__file__).read_bytes()


def test_public_and_hidden_cases(release):
    """36 hidden cases, 24 public ones, the same for every student; the index says what the kit needs."""
    index, public = read_cases(release.student_dir / "public_cases.json")
    assert index["hidden_case_count"] == 36 and index["notebook"] == "nndl-ch6.ipynb"
    assert sum(len(v) for v in public.values()) == 24
    assert all(c.visibility == "public" for cases in public.values() for c in cases)
    symbolic = [e for e in index["items"] if e["kind"] == "symbolic"]
    assert [e["id"] for e in symbolic] == ["answer_residual_dh", "answer_lstm_dc_prev", "answer_lstm_dforget",
                                           "answer_gru_dh_prev"]
    assert symbolic[3]["abbreviations"] == ["n", "r", "z"]
    h_index, hidden = read_cases(release.instructor_dir / "hidden_cases.json")
    assert h_index["hidden_seed"] == release.spec.seed + 1
    assert sum(len(v) for v in hidden.values()) == 36
    case = public["lstm_cell_forward"][0]
    assert case.arg_names == ("xt", "h_prev", "c_prev", "parameters")
    np.testing.assert_array_equal(case.expected[0], solutions.lstm_cell_forward(*case.args)[0])


def _reference_lines():
    """Body lines of every reference function (the answer key and the model solution), long enough to
    be distinctive."""
    sources = []
    for name in solutions.__all__:
        sources.append(inspect.getsource(getattr(solutions, name)))
    text = SOLUTION.read_text(encoding="utf-8")
    for node in ast.parse(text).body:
        if isinstance(node, ast.FunctionDef) and node.name not in ("sigmoid", "softmax"):
            sources.append(ast.get_source_segment(text, node))
    lines = set()
    for source in sources:
        for line in source.splitlines()[1:]:
            line = line.strip()
            if len(line) >= 25 and not line.startswith(('"""', "#")) and line not in ('"""',):
                lines.add(line)
    return lines


def test_student_release_leaks_nothing(release):
    """Is there no reference body line, no hidden expected array (bytes or printed digits) in RELEASE/student?"""
    blobs = {p.name: p.read_bytes() for p in release.student_dir.iterdir() if p.is_file()}
    with np.load(release.student_dir / "public_cases.npz", allow_pickle=False) as data:
        for key in data.files:  # compare against the arrays too, not only the zip's bytes
            blobs[f"npz:{key}"] = data[key].tobytes()
    lines = _reference_lines()
    assert len(lines) > 100
    for line in lines:
        needle = line.encode("utf-8")
        leaked = [name for name, blob in blobs.items() if needle in blob]
        assert not leaked, f"reference line {line!r} found in {leaked}"
    everything = b"\0".join(blobs.values())

    _, hidden = read_cases(release.instructor_dir / "hidden_cases.json")
    per_student = {}
    from grader.core.cases import build_cases
    from assignments.item_cases import code_item_parts

    for student in ("alice", "bob"):
        seed = hidden_seed(release.secret, student, release.spec)
        for item in release.spec.items_of("code"):
            ref, gen = code_item_parts(release.spec, item)
            per_student[(student, item.id)] = [c for c in build_cases(item, ref, gen, release.spec.seed, seed)
                                               if c.visibility == "hidden"]
    all_hidden = [c for cases in hidden.values() for c in cases] + [c for v in per_student.values() for c in v]
    checked = 0
    for case in all_hidden:
        for array in _arrays(case.expected):
            if np.unique(array).size >= 2:  # all-zero arrays (dWf when c0 = 0 and T = 1) say nothing
                assert array.tobytes() not in everything, case
            for value in array.ravel()[:50]:
                if abs(value) > 1e-3 and value != round(value):
                    assert np.float64(value).tobytes() not in everything, (case, value)
                    for digits in (repr(float(value)), f"{value:.8f}", f"{value:.6e}"):
                        assert digits.encode() not in everything, (case, digits)
                    checked += 1
    assert checked > 500


def _arrays(value):
    if isinstance(value, dict):
        return [a for v in value.values() for a in _arrays(v)]
    if isinstance(value, (tuple, list)):
        return [a for v in value for a in _arrays(v)]
    return [np.atleast_1d(np.asarray(value, dtype=np.float64))]


def _run_kit(student_dir: Path, tmp_path: Path, notebook: Path):
    kit = tmp_path / "kit"
    shutil.copytree(student_dir, kit)
    target = kit / "nndl-ch6.ipynb"
    if notebook != student_dir / "nndl-ch6.ipynb":
        shutil.copyfile(notebook, target)
    env = {k: v for k, v in os.environ.items() if k != "RNNGRADE_NOTEBOOK"}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    proc = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:randomly"], cwd=kit, env=env,
                          capture_output=True, text=True, timeout=300)
    return proc


def test_kit_passes_the_solution_notebook(release, tmp_path):
    """Does the student's own pytest pass every public check with the model solution filled in?"""
    proc = _run_kit(release.student_dir, tmp_path, release.instructor_dir / "nndl-ch6-solution.ipynb")
    assert proc.returncode == 0, proc.stdout[-3000:]
    for item in release.spec.items:
        if item.kind == "code":
            assert f"PASS {item.id} (2/2 public cases)" in proc.stdout
        elif item.kind == "symbolic":
            assert f"PASS {item.id}\n" in proc.stdout
    assert proc.stdout.count("PASS ") == 16
    assert ("Public checks only: 36 hidden cases and the symbolic equivalence are graded after you submit; "
            "passing these checks is not full marks.") in proc.stdout


def test_kit_fails_the_blank_notebook_with_the_stub_messages(release, tmp_path):
    """Does the blank notebook fail every code item, showing the stub's own message?"""
    proc = _run_kit(release.student_dir, tmp_path, release.student_dir / "nndl-ch6.ipynb")
    assert proc.returncode == 1
    assert "16 failed, 1 passed" in proc.stdout
    for item in release.spec.items_of("code"):
        assert f"FAIL {item.id} (0/2 public cases)" in proc.stdout
        assert f"your function raised NotImplementedError: Implement {item.id} (" in proc.stdout
    assert "`answer_lstm_dforget` is empty: write your expression inside the quotes" in proc.stdout


def test_load_release_round_trip(release):
    loaded = load_release(release.instructor_dir)
    assert (loaded.spec.name, loaded.version, loaded.lang, loaded.roster) == ("nndl-ch6", release.version, "en",
                                                                              ["alice", "bob"])
    assert loaded.secret == release.secret and loaded.spec.version == release.version


def test_load_release_refuses_an_edited_spec_copy(release, tmp_path):
    copy = tmp_path / "instructor"
    shutil.copytree(release.instructor_dir, copy)
    (copy / "spec" / "spec.toml").write_text((copy / "spec" / "spec.toml").read_text(encoding="utf-8") + "\n",
                                            encoding="utf-8")
    with pytest.raises(ValueError, match="the spec copy was edited after release"):
        load_release(copy)
    with pytest.raises(FileNotFoundError, match=r"no release.json \(did you mean its instructor/ folder\?\)"):
        load_release(release.instructor_dir.parent)


def test_assign_refuses_a_used_folder_and_reuses_a_secret(release, tmp_path):
    """Is an existing release never overwritten, and does --secret-file give the same variants?"""
    with pytest.raises(FileExistsError, match="is not empty; choose a new --out folder"):
        assign("nndl-ch6", release.instructor_dir.parent)
    again = assign("nndl-ch6", tmp_path / "again", lang="zh", secret_file=release.secret_file)
    assert again.secret == release.secret and again.lang == "zh"
    info = json.loads((again.instructor_dir / "release.json").read_text(encoding="utf-8"))
    assert info["secret_file"] == str(release.secret_file) and info["roster"] is None
    assert not (again.instructor_dir / "secret.key").exists()
    nb = json.loads((again.student_dir / "nndl-ch6.ipynb").read_text(encoding="utf-8"))
    assert nb["metadata"]["rnngrade"]["lang"] == "zh"


def test_assign_validates_before_writing(spec_copy, tmp_path):
    path = spec_copy / "spec.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('generator = "gru_forward"', 'generator = "nope"'),
                    encoding="utf-8")
    from assignments.spec import InvalidSpecError

    with pytest.raises(InvalidSpecError, match=r"items\[6\] \(gru_forward\).generator: unknown generator 'nope'"):
        assign(spec_copy, tmp_path / "out")
    assert not (tmp_path / "out").exists()
