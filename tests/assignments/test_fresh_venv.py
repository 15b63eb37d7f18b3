"""A student's machine: a fresh virtual environment with only numpy, nbformat and pytest."""
import shutil
import subprocess
import sys
import venv

import pytest


@pytest.mark.slow
def test_student_pytest_in_a_fresh_venv(release, tmp_path):
    """Do the local checks pass the model solution with nothing of rnngrade installed?"""
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    try:
        pip = subprocess.run([str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q",
                              "numpy", "nbformat", "pytest"], capture_output=True, text=True, timeout=600)
    except subprocess.TimeoutExpired:
        pytest.skip("pip install timed out: no package index reachable from this machine")
    if pip.returncode != 0:
        last = pip.stderr.strip().splitlines()[-1] if pip.stderr.strip() else "no output"
        pytest.skip(f"pip could not install numpy, nbformat and pytest (no package index reachable?): {last}")
    kit = tmp_path / "student"
    shutil.copytree(release.student_dir, kit)
    shutil.copyfile(release.instructor_dir / "nndl-ch6-solution.ipynb", kit / "nndl-ch6.ipynb")
    proc = subprocess.run([str(python), "-m", "pytest"], cwd=kit, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "17 passed" in proc.stdout
    assert "Public checks only: 36 hidden cases" in proc.stdout
    probe = subprocess.run([str(python), "-c", "import grader"], cwd=kit, capture_output=True, text=True)
    assert probe.returncode != 0  # the kit ran without rnngrade itself
