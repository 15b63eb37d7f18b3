"""Simulated host layouts: a release, the built bundles, rnngrade installed from the bundle's wheel.

Each test gets a fresh copy of the host's folder under a temporary root and runs the bundle's own
entry script (``run_autograder``, ``rnngrade-prairielearn``) as a subprocess, with
``RNNGRADE_HOST_ROOT`` pointing at that root and ``RNNGRADE_PYTHON`` at this interpreter; rnngrade
is imported from the wheel the bundle carries (installed with ``pip --target``), not from the checkout.
"""
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from assignments.release import assign
from grader.cli import main

ROOT = Path(__file__).resolve().parents[2]
SOLUTION = ROOT / "assignments" / "nndl_ch6" / "solution.py"
ROSTER = "student,email,sid,name\nalice,alice@uni.edu,1001,Alice A\nbob,Bob@Uni.edu,1002,Bob B\n"


def buggy_source() -> str:
    """The reference with z and 1 − z swapped in the GRU update (gru_cell_forward is wrong)."""
    src = SOLUTION.read_text(encoding="utf-8")
    good = "h_next = z * h_prev + (1.0 - z) * h_tilde"
    assert good in src
    return src.replace(good, "h_next = (1.0 - z) * h_prev + z * h_tilde", 1)


def hostile_source(targets: dict) -> str:
    """Tries each attack at import time, then raises with what happened (shown as a cell error in
    the output), then defines the correct functions: ``targets`` maps a label to a path to read
    (``read:``) or write (``write:``)."""
    lines = ["import os", "_seen = []"]
    for label, (mode, path) in targets.items():
        if mode == "read":
            lines.append(f"try:\n    _seen.append({label!r} + '=read:' + open({str(path)!r}, 'rb').read()[:8].hex())\n"
                         f"except Exception as e:\n    _seen.append({label!r} + '=refused:' + type(e).__name__)")
        else:
            lines.append(f"try:\n    open({str(path)!r}, 'w').write('HACKED')\n    _seen.append({label!r} + '=written')\n"
                         f"except Exception as e:\n    _seen.append({label!r} + '=refused:' + type(e).__name__)")
    lines.append("try:\n    _pids = [os.fork() for _ in range(50)]\n    _seen.append('fork=done')\n"
                 "except Exception as e:\n    _seen.append('fork=refused:' + type(e).__name__)")
    lines.append("try:\n    import socket\n    socket.socket(socket.AF_INET, socket.SOCK_STREAM).connect(('127.0.0.1', 9))\n"
                 "    _seen.append('net=done')\n"
                 "except Exception as e:\n    _seen.append('net=refused:' + type(e).__name__)")
    lines.append("raise RuntimeError('PROBE ' + ' '.join(_seen))")
    return "\n".join(lines) + "\n" + SOLUTION.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def release(tmp_path_factory):
    base = tmp_path_factory.mktemp("hosted-release")
    (base / "roster.csv").write_text(ROSTER, encoding="utf-8")
    assign("nndl-ch6", base / "rel", roster=base / "roster.csv", lang="en")
    return base / "rel" / "instructor"


@pytest.fixture(scope="session")
def gradescope_zip(release, tmp_path_factory):
    out = tmp_path_factory.mktemp("gs-zip") / "autograder.zip"
    r = CliRunner().invoke(main, ["autograder", "gradescope", "--release", str(release), "--out", str(out),
                                  "--roster", str(release.parent.parent / "roster.csv")])
    assert r.exit_code == 0, r.output
    return out


@pytest.fixture(scope="session")
def gradescope_template(gradescope_zip, tmp_path_factory):
    """/autograder as Gradescope leaves it after setup.sh: source/ unpacked, rnngrade installed."""
    root = tmp_path_factory.mktemp("gs-template")
    source = root / "autograder" / "source"
    source.mkdir(parents=True)
    with zipfile.ZipFile(gradescope_zip) as z:
        z.extractall(source)
        for info in z.infolist():  # zipfile drops the modes: restore them as unzip does
            (source / info.filename).chmod((info.external_attr >> 16) & 0o777)
    _install_wheel(next(source.glob("rnngrade-*.whl")), root / "autograder" / "rnngrade-lib")
    return root


@pytest.fixture(scope="session")
def prairielearn_dir(release, tmp_path_factory):
    out = tmp_path_factory.mktemp("pl-build") / "pl"
    r = CliRunner().invoke(main, ["autograder", "prairielearn", "--release", str(release), "--out", str(out),
                                  "--image", "course/rnngrade-grader:1", "--timeout", "90"])
    assert r.exit_code == 0, r.output
    return out


@pytest.fixture(scope="session")
def prairielearn_lib(prairielearn_dir, tmp_path_factory):
    lib = tmp_path_factory.mktemp("pl-lib") / "lib"
    _install_wheel(next((prairielearn_dir / "image").glob("rnngrade-*.whl")), lib)
    return lib


def _install_wheel(wheel: Path, target: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--disable-pip-version-check",
                    "--target", str(target), str(wheel)], check=True, capture_output=True)


def gradescope_layout(template: Path, tmp_path: Path, files: dict, metadata) -> Path:
    """A fresh /autograder under ``tmp_path/root`` with the submission ``files`` (name -> str/bytes)."""
    root = tmp_path / "root"
    shutil.copytree(template, root, symlinks=True)
    sub = root / "autograder" / "submission"
    sub.mkdir()
    for name, content in files.items():
        p = sub / name
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            p.symlink_to(content)
        elif isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding="utf-8")
    if metadata is not None:
        (root / "autograder" / "submission_metadata.json").write_text(json.dumps(metadata), encoding="utf-8")
    return root


def run_entry(cmd: list, root: Path, lib: Path, disable: str = "") -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RNNGRADE_", "PYTHON"))}
    env.update(RNNGRADE_HOST_ROOT=str(root), RNNGRADE_PYTHON=sys.executable, PYTHONPATH=str(lib),
               RNNGRADE_SANDBOX_DISABLE=disable)
    return subprocess.run(cmd, env=env, cwd=str(root), capture_output=True, text=True, timeout=600)


def run_gradescope(root: Path, disable: str = "") -> tuple:
    lib = root / "autograder" / "rnngrade-lib"
    proc = run_entry(["bash", str(root / "autograder" / "source" / "run_autograder")], root, lib, disable)
    assert proc.returncode == 0, proc.stderr
    results = json.loads((root / "autograder" / "results" / "results.json").read_text(encoding="utf-8"))
    return results, proc


def metadata_for(email: str = "alice@uni.edu", sid="1001", name: str = "Alice A") -> dict:
    return {"id": 1, "created_at": "2026-12-01T10:00:00.000000+08:00",
            "assignment": {"id": 7, "title": "nndl-ch6", "due_date": "2026-12-08T23:59:00.000000+08:00",
                           "total_points": "100.0", "group_submission": False},
            "users": [{"email": email, "id": 42, "name": name, "sid": sid}],
            "previous_submissions": []}
