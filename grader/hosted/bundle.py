"""Build what an instructor uploads to a host: the Gradescope zip, the PrairieLearn image and course files.

Both carry the same three things: an rnngrade wheel built from this rnngrade (the host then installs
exactly the grader that was tested here), ``requirements.txt`` pinning every runtime dependency to
the version installed here (the host reaches only the package index), and the instructor release
reduced to what grading needs: ``spec/``, ``release.json`` and ``secret.key`` (no solution notebook,
no hidden case files: the grader re-derives each student's cases from the secret).
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import uuid
import zipfile
from pathlib import Path
from typing import Optional

from assignments.release import RELEASE_FILE, load_release, release_info
from grader.core.errors import UserError
from grader.hosted.texts import text
from grader.reports.views import spec_title

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("grader", "solutions", "assignments", "msgcat")
PL_PREFIX = "/opt/rnngrade"


class BundleError(UserError):
    """A release or an environment the bundle cannot be built from."""


# ----------------------------------------------------------------------------------------- release
def checked_release(release: Path):
    """The instructor release, with a clear error for each way it cannot serve a host."""
    release = Path(release)
    info_path = release / RELEASE_FILE
    if info_path.is_file():
        secret = Path(release_info(info_path)["secret_file"])
        secret = secret if secret.is_absolute() else release / secret
        if not secret.is_file():
            raise BundleError(f"{release} has no course secret ({secret} is missing): the autograder derives every "
                              f"student's hidden cases from it; restore the secret file or make a new release "
                              f"with `rnngrade assign`")
    return load_release(release)


def copy_release(rel, dest: Path) -> None:
    """``spec/``, ``release.json`` (its secret now ``secret.key`` beside it) and ``secret.key``."""
    dest.mkdir(parents=True)
    shutil.copytree(rel.instructor_dir / "spec", dest / "spec",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    info = json.loads((rel.instructor_dir / "release.json").read_text(encoding="utf-8"))
    info["secret_file"] = "secret.key"
    (dest / "release.json").write_text(json.dumps(info, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (dest / "secret.key").write_bytes(rel.secret)


# ------------------------------------------------------------------------------------ wheel, pins
def build_wheel(dest: Path) -> Path:
    """An rnngrade wheel of this source tree, built offline (``pip wheel --no-build-isolation``) from
    a clean copy, so the checkout gets no build/ or egg-info folders."""
    if not (PROJECT_ROOT / "pyproject.toml").is_file():
        raise BundleError("this rnngrade is installed without its source (no pyproject.toml beside it); run "
                          "`rnngrade autograder` from an rnngrade source checkout")
    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="rnngrade-wheel-") as tmp:
        src = Path(tmp) / "src"
        src.mkdir()
        for name in ("pyproject.toml", "README.md"):
            if (PROJECT_ROOT / name).is_file():
                shutil.copy(PROJECT_ROOT / name, src / name)
        for pkg in PACKAGES:
            shutil.copytree(PROJECT_ROOT / pkg, src / pkg, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                               "--disable-pip-version-check", "-q", "-w", str(dest), str(src)],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            last = (proc.stderr.strip().splitlines() or ["unknown error"])[-1]
            raise BundleError(f"could not build the rnngrade wheel ({last}); setuptools>=68 must be installed")
    wheels = sorted(dest.glob("rnngrade-*.whl"))
    if not wheels:
        raise BundleError("pip built no rnngrade wheel")
    return wheels[-1]


def _project_requirements() -> list:
    import tomllib

    data = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return list(data["project"]["dependencies"])


def pinned_requirements(requirements: Optional[list] = None) -> list:
    """Every runtime dependency, transitively, as ``name==version`` of what is installed here.

    Markers are evaluated for this interpreter (the bundle pins the Python minor version too);
    a requirement that is not installed here stays as written."""
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        from packaging.requirements import Requirement
    except ImportError:  # pragma: no cover  (pip vendors it)
        from pip._vendor.packaging.requirements import Requirement

    queue = list(requirements if requirements is not None else _project_requirements())
    pins: dict = {}
    loose: dict = {}
    while queue:
        req = Requirement(queue.pop(0))
        if req.marker is not None and not req.marker.evaluate({"extra": ""}):
            continue
        key = req.name.lower().replace("_", "-")
        if key in pins or key in loose:
            continue
        try:
            dist = distribution(req.name)
        except PackageNotFoundError:
            loose[key] = str(req)
            continue
        pins[key] = f"{dist.metadata['Name']}=={dist.version}"
        queue.extend(dist.requires or [])
    return sorted(pins.values(), key=str.lower) + sorted(loose.values(), key=str.lower)


def python_minor() -> str:
    return f"{sys.version_info.major}.{sys.version_info.minor}"


def _requirements_text() -> str:
    head = (f"# rnngrade's runtime dependencies, pinned to the versions it was tested with "
            f"(Python {python_minor()}).\n")
    return head + "\n".join(pinned_requirements()) + "\n"


# -------------------------------------------------------------------------------------- Gradescope
SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image (see docs/hosted.md).
# It needs the package indexes only: apt for Python and libseccomp, PyPI for the pinned dependencies.
# RNNGRADE_HOST_ROOT and RNNGRADE_VENV_ARGS exist for tests.
set -euo pipefail
AG="${{RNNGRADE_HOST_ROOT:-/}}"
AG="${{AG%/}}/autograder"
cd "$AG/source"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
PY=""
for candidate in python{minor} python3; do
  if command -v "$candidate" >/dev/null 2>&1 && \\
     "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] < (3, 11))'; then
    PY="$candidate"; break
  fi
done
if [ -z "$PY" ]; then
  apt-get install -y -q python{minor} python{minor}-venv
  PY=python{minor}
fi
apt-get install -y -q "$PY-venv" || apt-get install -y -q python3-venv || true
apt-get install -y -q libseccomp2
VENV="$AG/rnngrade-venv"
"$PY" -m venv ${{RNNGRADE_VENV_ARGS:-}} "$VENV"
"$VENV/bin/python" -m pip install -q --no-cache-dir --disable-pip-version-check -r requirements.txt
"$VENV/bin/python" -m pip install -q --no-cache-dir --disable-pip-version-check --no-deps ./{wheel}
# The release, its secret and rnngrade (the answer key) are for root only: submissions run as another uid.
chmod 700 "$AG" "$AG/source" "$VENV"
"$VENV/bin/python" -c "import grader.hosted.gradescope, numpy, sympy; print('rnngrade autograder ready')"
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this once per submission, as root: grade /autograder/submission into
# /autograder/results/results.json. RNNGRADE_HOST_ROOT and RNNGRADE_PYTHON exist for tests.
ROOT="${RNNGRADE_HOST_ROOT:-/}"
PYTHON="${RNNGRADE_PYTHON:-${ROOT%/}/autograder/rnngrade-venv/bin/python}"
exec "$PYTHON" -m grader.hosted.gradescope
"""


def _manifest(rel, wheel: Path, host: str) -> str:
    return json.dumps({"host": host, "assignment": rel.spec.name, "version": rel.version, "lang": rel.lang,
                       "wheel": wheel.name, "python": python_minor(),
                       "roster": len(rel.roster) if rel.roster is not None else None}, indent=1) + "\n"


def build_gradescope(release: Path, out: Path, roster: Optional[Path] = None) -> dict:
    """Write Gradescope's autograder zip to ``out``; return a summary (files, wheel, pins)."""
    rel = checked_release(release)
    out = Path(out)
    if out.suffix.lower() != ".zip":
        raise BundleError(f"--out {out}: Gradescope takes a .zip file; name it e.g. autograder.zip")
    with tempfile.TemporaryDirectory(prefix="rnngrade-gradescope-") as tmp:
        stage = Path(tmp) / "zip"
        stage.mkdir()
        wheel = build_wheel(stage)
        copy_release(rel, stage / "release")
        if roster is not None:
            shutil.copy(roster, stage / "roster.csv")
        (stage / "requirements.txt").write_text(_requirements_text(), encoding="utf-8")
        (stage / "setup.sh").write_text(SETUP_SH.format(minor=python_minor(), wheel=wheel.name),
                                        encoding="utf-8")
        (stage / "run_autograder").write_text(RUN_AUTOGRADER, encoding="utf-8")
        (stage / "rnngrade-bundle.json").write_text(_manifest(rel, wheel, "gradescope"), encoding="utf-8")
        out.parent.mkdir(parents=True, exist_ok=True)
        files = _zip(stage, out, executable=("setup.sh", "run_autograder"))
    return {"out": out, "files": files, "wheel": wheel.name, "release": rel}


def _zip(stage: Path, out: Path, executable: tuple) -> list:
    """Files at the root of the archive (Gradescope looks for setup.sh there), scripts executable."""
    files = sorted(p for p in stage.rglob("*") if p.is_file())
    tmp = out.with_name(f".{out.name}.tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        for p in files:
            name = p.relative_to(stage).as_posix()
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            mode = 0o755 if name in executable else (0o600 if name.endswith("secret.key") else 0o644)
            info.external_attr = (0o100000 | mode) << 16
            z.writestr(info, p.read_bytes())
    tmp.replace(out)
    return [p.relative_to(stage).as_posix() for p in files]


# ------------------------------------------------------------------------------------ PrairieLearn
DOCKERFILE = """# rnngrade's PrairieLearn external grader (see docs/hosted.md). Build: docker build -t IMAGE .
FROM python:{minor}-slim
RUN apt-get update && apt-get install -y --no-install-recommends libseccomp2 && rm -rf /var/lib/apt/lists/*
COPY requirements.txt {wheel} {prefix}/
RUN python -m venv {prefix}/venv \\
 && {prefix}/venv/bin/pip install --no-cache-dir --disable-pip-version-check -r {prefix}/requirements.txt \\
 && {prefix}/venv/bin/pip install --no-cache-dir --disable-pip-version-check --no-deps {prefix}/{wheel} \\
 && chmod 700 {prefix}
COPY rnngrade-prairielearn /usr/local/bin/rnngrade-prairielearn
RUN chmod 755 /usr/local/bin/rnngrade-prairielearn
# PrairieLearn runs the entry point as root; rnngrade's sandbox runs each submission as another uid.
ENTRYPOINT ["/usr/local/bin/rnngrade-prairielearn"]
"""

PL_ENTRY = """#!/bin/sh
# PrairieLearn's entry point: grade /grade/student into /grade/results/results.json.
# RNNGRADE_HOST_ROOT and RNNGRADE_PYTHON exist for tests.
exec "${{RNNGRADE_PYTHON:-{prefix}/venv/bin/python}}" -m grader.hosted.prairielearn "$@"
"""

QUESTION_HTML = """<pl-question-panel>
  <p>{intro}</p>
</pl-question-panel>

<pl-file-upload file-names="{notebook}"></pl-file-upload>

<pl-submission-panel>
  <pl-external-grader-results></pl-external-grader-results>
  <pl-file-preview></pl-file-preview>
</pl-submission-panel>
"""


def question_info(rel, image: str, timeout: int) -> dict:
    name = rel.spec.name
    return {
        "uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"rnngrade:{name}:{rel.version}")),
        "title": spec_title(rel.spec, rel.lang) or name,
        "topic": "rnngrade",
        "tags": ["rnngrade", name],
        "type": "v3",
        "singleVariant": True,
        "gradingMethod": "External",
        "externalGradingOptions": {
            "enabled": True,
            "image": image,
            "entrypoint": ["/usr/local/bin/rnngrade-prairielearn", f"serverFilesCourse/rnngrade/{name}"],
            "serverFilesCourse": [f"rnngrade/{name}/"],
            "timeout": timeout,
        },
    }


def build_prairielearn(release: Path, out: Path, image: Optional[str] = None, timeout: int = 120) -> dict:
    """Write ``image/`` (Dockerfile, wheel, pins, entry point), ``serverFilesCourse/rnngrade/<name>/``
    (the release) and ``questions/<name>/`` (info.json, question.html) under ``out``."""
    rel = checked_release(release)
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise BundleError(f"{out} is not empty; choose a new --out folder")
    if not 1 <= int(timeout) <= 600:
        raise BundleError(f"--timeout {timeout}: PrairieLearn allows 1 to 600 seconds")
    name = rel.spec.name
    image = image or f"rnngrade-{name}-grader:{rel.version[:12]}"
    with tempfile.TemporaryDirectory(prefix="rnngrade-prairielearn-", dir=out.parent if out.parent.exists() else None) as tmp:
        stage = Path(tmp) / "out"
        img = stage / "image"
        wheel = build_wheel(img)
        (img / "requirements.txt").write_text(_requirements_text(), encoding="utf-8")
        (img / "Dockerfile").write_text(DOCKERFILE.format(minor=python_minor(), wheel=wheel.name, prefix=PL_PREFIX),
                                        encoding="utf-8")
        entry = img / "rnngrade-prairielearn"
        entry.write_text(PL_ENTRY.format(prefix=PL_PREFIX), encoding="utf-8")
        entry.chmod(0o755)
        copy_release(rel, stage / "serverFilesCourse" / "rnngrade" / name)
        (stage / "serverFilesCourse" / "rnngrade" / name / "secret.key").chmod(0o600)
        q = stage / "questions" / name
        q.mkdir(parents=True)
        (q / "info.json").write_text(json.dumps(question_info(rel, image, int(timeout)), indent=2,
                                                ensure_ascii=False) + "\n", encoding="utf-8")
        notebook = f"{name}.ipynb"
        (q / "question.html").write_text(QUESTION_HTML.format(intro=text("pl_question", rel.lang, notebook=notebook),
                                                              notebook=notebook), encoding="utf-8")
        (stage / "rnngrade-bundle.json").write_text(_manifest(rel, wheel, "prairielearn"), encoding="utf-8")
        out.parent.mkdir(parents=True, exist_ok=True)
        if out.exists():
            out.rmdir()
        shutil.move(str(stage), str(out))
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    return {"out": out, "files": files, "wheel": wheel.name, "image": image, "release": rel}
