"""Shared pytest options: ``--update-goldens`` rewrites golden files instead of comparing with them."""
import pytest


def pytest_addoption(parser):
    parser.addoption("--update-goldens", action="store_true", default=False,
                     help="rewrite golden files (generated notebooks, reports) from the current output")


@pytest.fixture
def update_goldens(request) -> bool:
    return bool(request.config.getoption("--update-goldens"))
