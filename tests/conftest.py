"""Shared pytest options and markers.

``--update-goldens`` rewrites golden files instead of comparing with them. ``needs_layer(*names)``
marks a test that needs sandbox layers (``seccomp``, ``uid_drop``, ...); ``needs_layer()`` without
names, one that grades a batch (``rnngrade grade`` stops where a layer this machine should have
failed). Skipped with the reason where the machine lacks one, an error in CI (``CI=true``); see
tests/skips_support.py.
"""
import pytest

from tests.skips_support import require_layers, sandbox_layer_names


def pytest_addoption(parser):
    parser.addoption("--update-goldens", action="store_true", default=False,
                     help="rewrite golden files (generated notebooks, reports) from the current output")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", f"needs_layer(*names): needs these sandbox layers ({', '.join(sandbox_layer_names())}), "
                   "or without names the layers `rnngrade grade` demands here; skipped where the machine "
                   "lacks one, an error when CI=true")


def pytest_runtest_setup(item):
    for mark in item.iter_markers("needs_layer"):
        require_layers(mark.args)


@pytest.fixture
def update_goldens(request) -> bool:
    return bool(request.config.getoption("--update-goldens"))
