"""Fixtures of the assignment tests: the built-in spec and one release built per session."""
import shutil
from pathlib import Path

import pytest

from assignments.release import assign
from assignments.spec import load_spec

BUILTIN = Path(__file__).resolve().parents[2] / "assignments" / "nndl_ch6"


@pytest.fixture(scope="session")
def spec():
    return load_spec("nndl-ch6")


@pytest.fixture(scope="session")
def release(tmp_path_factory):
    """An English release of nndl-ch6 with a two-student roster."""
    root = tmp_path_factory.mktemp("release")
    roster = root / "roster.csv"
    roster.write_text("student,name\nalice,Alice\nbob,Bob\n", encoding="utf-8")
    return assign("nndl-ch6", root / "out", roster=roster, lang="en")


@pytest.fixture
def spec_copy(tmp_path):
    """A writable copy of the built-in assignment folder."""
    folder = tmp_path / "course"
    shutil.copytree(BUILTIN, folder, ignore=shutil.ignore_patterns("__pycache__"))
    return folder
