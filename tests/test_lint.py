"""Is the code as ruff (configured in pyproject.toml: pyflakes, pycodestyle errors and warnings,
bugbear) wants it? A finding is a likely bug or a name nobody uses; the suite fails on any."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _ruff() -> list:
    exe = shutil.which("ruff")
    if exe:
        return [exe]
    try:
        import ruff  # noqa: F401  (the test extra installs it; its binary is found through the module)
    except ImportError:
        pytest.skip("ruff is not installed: pip install -e '.[test]'")
    return [sys.executable, "-m", "ruff"]


def test_ruff_finds_nothing():
    run = subprocess.run([*_ruff(), "check", "--no-cache", "--output-format", "concise", str(ROOT)],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stdout + run.stderr


def test_ruff_is_configured_to_fail_on_a_finding(tmp_path):
    """The check can fail: the same configuration reports an unused import and a loop variable late-bound."""
    sample = tmp_path / "sample.py"
    sample.write_text("import os\n\nfns = [lambda: i for i in range(3)]\n", encoding="utf-8")
    run = subprocess.run([*_ruff(), "check", "--no-cache", "--output-format", "concise",
                          "--config", str(ROOT / "pyproject.toml"), str(sample)],
                         capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 1
    assert "F401" in run.stdout and "B023" in run.stdout
