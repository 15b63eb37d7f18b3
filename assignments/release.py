"""``rnngrade assign``: build RELEASE/student (what students get) and RELEASE/instructor (what the
grader needs), and read an instructor release back.

    RELEASE/student/     <name>.ipynb, public_cases.json + .npz, rnngrade_local.py, rnngrade_compare.py,
                         rnngrade_magics.py, rnngrade_expr.py, rnngrade_texts.py (generated), test_notebook.py,
                         conftest.py, pytest.ini,
                         and the spec's support modules (helpers the notebook imports)
    RELEASE/instructor/  <name>-solution.ipynb, spec/ (the spec folder as used), hidden_cases.json + .npz
                         (default hidden cases), variants.csv (with a roster), secret.key, release.json

The student folder holds no reference implementation and no hidden expected value.
"""
from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from assignments import kit_texts
from assignments.case_files import write_cases
from assignments.errors import BadLanguage, BadRelease, ReleaseFolderNotEmpty, ReleaseMismatch, ReleaseNotFound
from assignments.generate import notebook_json, solution_notebook, student_notebook
from assignments.item_cases import build_item_cases
from assignments.spec import InvalidSpecError, Spec, load_spec, validate_spec
from assignments.spec.loader import folder_version
from assignments.student_kit.rnngrade_expr import FUNCTIONS
from assignments.variants import create_secret, read_roster, read_secret, write_variants
# The release copies these two grader modules into the student kit (it reads their file paths; the
# contract in pyproject.toml allows exactly these two imports from assignments into the grader).
import grader.checking.compare as compare
import grader.loading.magics as magics
from grader.core.errors import make_folder

KIT_DIR = Path(__file__).resolve().parent / "student_kit"
KIT_FILES = ("rnngrade_local.py", "rnngrade_expr.py", "test_notebook.py", "conftest.py")
RELEASE_FILE = "release.json"
SECRET_FILE = "secret.key"
PYTEST_INI = "[pytest]\naddopts = -p no:cacheprovider\n"


@dataclass
class Release:
    """An instructor release as the grader uses it."""

    spec: Spec
    roster: Optional[list]
    secret: Optional[bytes]
    lang: str
    version: str
    instructor_dir: Optional[Path] = None
    student_dir: Optional[Path] = None
    secret_file: Optional[Path] = None
    files: list = field(default_factory=list)

    def lines(self) -> list:
        """What ``rnngrade assign`` prints: where each part went and what to keep private."""
        out = []
        if self.student_dir is not None:
            out.append(f"Student release:    {self.student_dir}  (give this folder to students)")
        if self.instructor_dir is not None:
            out.append(f"Instructor release: {self.instructor_dir}  (keep private: answer key and hidden cases)")
        if self.secret_file is not None:
            out.append(f"Course secret:      {self.secret_file}  (keep it: the grader re-derives every "
                       f"student's hidden cases from it)")
        roster = f"{len(self.roster)} students on the roster" if self.roster is not None else "no roster"
        out.append(f"{self.spec.name} version {self.version}, language {self.lang}, {roster}")
        return out


def _vendored_sources() -> dict:
    """The grader's own checker and magic stripper, copied unchanged under kit names."""
    return {"rnngrade_compare.py": Path(compare.__file__), "rnngrade_magics.py": Path(magics.__file__)}


def _symbolic_entry(item) -> dict:
    return {"id": item.id, "kind": "symbolic", "symbols": list(item.symbols),
            "abbreviations": sorted(item.abbreviations), "functions": list(FUNCTIONS)}


def _code_entry(item, cases: list) -> dict:
    return {"id": item.id, "kind": "code", "params": list(item.params), "output_spec": item.output_spec,
            "rtol": item.rtol, "atol": item.atol, "cases": cases}


def _prepare_out(out: Path) -> None:
    if out.exists() and any(out.iterdir()):
        raise ReleaseFolderNotEmpty(
            f"{out} is not empty; choose a new --out folder (an existing release keeps its secret: to rebuild "
            f"it with the same hidden cases, pass --secret-file {out / 'instructor' / SECRET_FILE} and a new --out)")
    make_folder(out)


def assign(spec_name_or_path, out, roster=None, lang=None, secret_file=None) -> Release:
    """Validate the spec, then write RELEASE/student and RELEASE/instructor (see the module doc)."""
    spec = load_spec(spec_name_or_path)
    errors = validate_spec(spec.path)
    if errors:
        raise InvalidSpecError(spec.path, errors)
    lang = lang or spec.default_lang
    if lang not in spec.languages:
        raise BadLanguage(f"--lang {lang!r}: {spec.name} is offered in {', '.join(spec.languages)}")
    roster_ids = read_roster(roster) if roster else None
    out = Path(out)
    _prepare_out(out)

    # Everything is generated before anything is written: a failure leaves no half release.
    notebook_name = f"{spec.name}.ipynb"
    student_text = notebook_json(student_notebook(spec, lang))
    solution_text = notebook_json(solution_notebook(spec, lang))
    public = build_item_cases(spec, None)
    full = build_item_cases(spec, spec.seed + 1)

    student_dir, instructor_dir = out / "student", out / "instructor"
    if secret_file:  # before the folders: a short or unwritable secret file leaves --out empty for the next try
        secret_path = Path(secret_file).resolve()
        secret = read_secret(secret_path) if secret_path.exists() else create_secret(secret_path)
    student_dir.mkdir()
    instructor_dir.mkdir()
    if not secret_file:
        secret_path = instructor_dir / SECRET_FILE
        secret = create_secret(secret_path)

    # Student release.
    (student_dir / notebook_name).write_text(student_text, encoding="utf-8")
    header = {"format": 1, "assignment": spec.name, "version": spec.version, "lang": lang,
              "notebook": notebook_name,
              "hidden_case_count": sum(it.hidden for it in spec.items_of("code"))}
    items = [(_code_entry(it, public[it.id]) if it.kind == "code" else _symbolic_entry(it))
             for it in spec.items if it.kind in ("code", "symbolic")]
    write_cases(student_dir / "public_cases.json", student_dir / "public_cases.npz", header, items)
    for name in KIT_FILES:
        shutil.copyfile(KIT_DIR / name, student_dir / name)
    for name, source in _vendored_sources().items():
        shutil.copyfile(source, student_dir / name)
    kit_texts.write(student_dir)  # the texts the kit needs, generated from the catalogues
    (student_dir / "pytest.ini").write_text(PYTEST_INI, encoding="utf-8")
    for name in spec.support_modules:  # helpers the notebook imports (`from rnn_utils import *`)
        shutil.copyfile(spec.base_dir / name, student_dir / name)

    # Instructor release.
    (instructor_dir / f"{spec.name}-solution.ipynb").write_text(solution_text, encoding="utf-8")
    spec_copy = instructor_dir / "spec"
    shutil.copytree(spec.base_dir, spec_copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    if folder_version(spec_copy) != spec.version:
        raise RuntimeError(f"the copied spec folder hashes to {folder_version(spec_copy)}, not {spec.version}")
    hidden_items = [_code_entry(it, [c for c in full[it.id] if c.visibility == "hidden"])
                    for it in spec.items_of("code")]
    write_cases(instructor_dir / "hidden_cases.json", instructor_dir / "hidden_cases.npz",
                {**header, "hidden_seed": spec.seed + 1}, hidden_items)
    if roster_ids is not None:
        write_variants(instructor_dir / "variants.csv", roster_ids, secret, spec)
    secret_ref = SECRET_FILE if secret_path == instructor_dir / SECRET_FILE else str(secret_path)
    release_info = {"assignment": spec.name, "version": spec.version, "lang": lang, "roster": roster_ids,
                    "secret_file": secret_ref}
    (instructor_dir / RELEASE_FILE).write_text(json.dumps(release_info, indent=1, ensure_ascii=False) + "\n",
                                               encoding="utf-8")
    files = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    return Release(spec=spec, roster=roster_ids, secret=secret, lang=lang, version=spec.version,
                   instructor_dir=instructor_dir, student_dir=student_dir, secret_file=secret_path, files=files)


def release_info(info_path: Path) -> dict:
    """release.json as ``assign`` wrote it: an object with the version, language and secret file as strings."""
    try:
        info = json.loads(info_path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadRelease(f"{info_path} is not the JSON `rnngrade assign` writes ({exc}); make the release "
                         f"again or restore the file") from exc
    missing = [k for k in ("version", "lang", "secret_file")
               if not isinstance(info, dict) or not isinstance(info.get(k), str)]
    if missing:
        raise BadRelease(f"{info_path} has no {', '.join(missing)}; make the release again or restore the file")
    return info


def load_release(instructor_dir) -> Release:
    """Read RELEASE/instructor back: spec (checked against the recorded version), roster, secret, lang."""
    instructor_dir = Path(instructor_dir)
    info_path = instructor_dir / RELEASE_FILE
    if not info_path.is_file():
        hint = " (did you mean its instructor/ folder?)" if (instructor_dir / "instructor" / RELEASE_FILE).is_file() else ""
        raise ReleaseNotFound(f"{instructor_dir} is not an instructor release: no {RELEASE_FILE}{hint}")
    info = release_info(info_path)
    spec = load_spec(instructor_dir / "spec")
    if spec.version != info["version"]:
        raise ReleaseMismatch(f"{instructor_dir / 'spec'} hashes to version {spec.version}, but the release was made "
                         f"with {info['version']}: the spec copy was edited after release; restore it or make a new release")
    secret_path = Path(info["secret_file"])
    if not secret_path.is_absolute():
        secret_path = instructor_dir / secret_path
    return Release(spec=spec, roster=info.get("roster"), secret=read_secret(secret_path), lang=info["lang"],
                   version=info["version"], instructor_dir=instructor_dir, secret_file=secret_path)
