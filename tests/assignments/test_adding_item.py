"""docs/adding-an-item.md, followed to the letter in a copy of the assignment folder."""
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from assignments.release import assign
from assignments.spec import load_spec, validate_spec

DOC = Path(__file__).resolve().parents[2] / "docs" / "adding-an-item.md"
BLOCK = re.compile(r"<!-- (create|append): (\S+) -->\n```\w*\n(.*?)```", re.S)


def apply_doc(folder: Path) -> list:
    """Apply every `create`/`append` block of the page to ``folder``; return the files touched."""
    touched = []
    for action, name, body in BLOCK.findall(DOC.read_text(encoding="utf-8")):
        path = folder / name
        if action == "create":
            assert not path.exists(), name
            path.write_text(body, encoding="utf-8")
        else:
            path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + body, encoding="utf-8")
        touched.append((action, name))
    return touched


def test_worked_example_adds_a_gradable_item(spec_copy, tmp_path):
    """Does the page's example give a valid spec, a stub, a release and a passing local check?"""
    touched = apply_doc(spec_copy)
    assert touched == [("create", "course_refs.py"), ("append", "spec.toml"), ("append", "i18n/zh.toml"),
                       ("append", "i18n/en.toml"), ("append", "templates/equations.toml"),
                       ("append", "solution.py")]
    assert validate_spec(spec_copy) == []
    spec = load_spec(spec_copy)
    item = spec.item("rnn_cell_forward")
    assert item.output_spec["kind"] == "tuple" and spec.resolve(item.reference).__module__.startswith("_rnngrade_spec_")

    release = assign(spec_copy, tmp_path / "release", lang="en")
    nb = json.loads((release.student_dir / "nndl-ch6.ipynb").read_text(encoding="utf-8"))
    stub = next(c for c in nb["cells"] if c["id"] == "rnn_cell_forward")
    assert stub["source"].startswith("def rnn_cell_forward(xt, h_prev, parameters):")
    assert "course_refs" not in json.dumps(nb) and not (release.student_dir / "course_refs.py").exists()

    kit = tmp_path / "kit"
    shutil.copytree(release.student_dir, kit)
    shutil.copyfile(release.instructor_dir / "nndl-ch6-solution.ipynb", kit / "nndl-ch6.ipynb")
    proc = subprocess.run([sys.executable, "-m", "pytest"], cwd=kit, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert "PASS rnn_cell_forward (2/2 public cases)" in proc.stdout
    assert "Public checks only: 39 hidden cases" in proc.stdout


def test_doc_broken_reference_is_caught(spec_copy):
    """A typo in the page's reference name is reported before anything is generated."""
    apply_doc(spec_copy)
    path = spec_copy / "spec.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("course_refs:rnn_cell_forward",
                                                             "course_refs:rnn_cell_fwd"), encoding="utf-8")
    errors = [str(e) for e in validate_spec(spec_copy)]
    assert len(errors) == 1
    assert errors[0].startswith("items[20] (rnn_cell_forward).reference: ")
    assert errors[0].endswith("course_refs.py (beside the spec) has no function 'rnn_cell_fwd' "
                              "(reference 'course_refs:rnn_cell_fwd')")
