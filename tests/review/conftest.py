"""Fixtures of the review tests: the demo class graded once by the real batch, copied per test."""
from __future__ import annotations

import shutil

import pytest


def pytest_collection_modifyitems(items):
    """A test that reads the graded demo needs what grading needs (see needs_layer in tests/conftest.py)."""
    for item in items:
        if "demo_graded" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.needs_layer())


@pytest.fixture(scope="session")
def demo_graded(tmp_path_factory):
    """OUT of the real batch on the demo's sample submissions (graded once per test session)."""
    from grader.demos.course import run_demo

    root = tmp_path_factory.mktemp("demo")
    run_demo(root / "demo", lang="en")
    return root / "demo" / "graded"


@pytest.fixture
def out(demo_graded, tmp_path):
    """A fresh copy of the graded demo class for one test."""
    target = tmp_path / "graded"
    shutil.copytree(demo_graded, target)
    return target
