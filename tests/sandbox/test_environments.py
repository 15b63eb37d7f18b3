"""Isolation is the same wherever the project and its environment are installed: here, a virtual
environment under /tmp (what `python -m venv /tmp/x`, tox and many CI systems make), whose
site-packages the sandbox's private /tmp hides from the moment of its first mount."""
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from grader.sandbox import SandboxPool

ROOT = Path(__file__).resolve().parents[2]
PROBE = "import json; from grader.sandbox import SandboxPool\n" \
        "with SandboxPool(workers=1) as p: print(json.dumps(p.isolation))"


@pytest.fixture(scope="module")
def venv_under_tmp():
    """A venv under /tmp whose own site-packages hold what the sandbox's worker imports (NumPy and
    pyseccomp, linked from this interpreter's: a link under /tmp is hidden by the private /tmp just
    as a copy would be). It does not see this interpreter's packages: the worker (``python -I``)
    finds them only there. The grader's side finds the project and its other dependencies on
    PYTHONPATH, as an editable install would give it. Returns (python, environment)."""
    folder = Path(tempfile.mkdtemp(prefix="rnngrade-venv-", dir="/tmp"))
    try:
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder / "venv")],
                       check=True, capture_output=True)
        python = folder / "venv" / "bin" / "python"
        site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                   check=True, capture_output=True, text=True).stdout.strip())
        here = Path(importlib.util.find_spec("numpy").origin).parent.parent
        for name in ("numpy", "numpy.libs", "pyseccomp", "pyseccomp.py"):
            if (here / name).exists():
                (site / name).symlink_to(here / name)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "PYTHON"))}
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(here)])
        yield python, env
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.slow
@pytest.mark.needs_layer("seccomp")
def test_the_sandbox_from_a_venv_under_tmp_has_the_same_isolation(venv_under_tmp):
    python, env = venv_under_tmp
    where = subprocess.run([str(python), "-I", "-c", "import pyseccomp; print(pyseccomp.__file__)"],
                           capture_output=True, text=True, check=True, cwd="/")
    assert where.stdout.startswith("/tmp/")  # the environment the first mount hides
    probe = subprocess.run([str(python), "-c", PROBE], capture_output=True, text=True, cwd="/", env=env)
    assert probe.returncode == 0, probe.stderr
    with SandboxPool(workers=1) as here:
        assert json.loads(probe.stdout) == here.isolation
    assert probe.stderr == ""  # no warning either


@pytest.mark.slow
@pytest.mark.needs_layer("seccomp")
def test_the_sandbox_tests_pass_from_a_venv_under_tmp(venv_under_tmp):
    python, env = venv_under_tmp
    run = subprocess.run([str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not slow",
                          "tests/sandbox"], capture_output=True, text=True, cwd=ROOT, env=env, timeout=900)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert " passed" in run.stdout.splitlines()[-1] and "failed" not in run.stdout.splitlines()[-1]
