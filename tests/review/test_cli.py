"""The `rnngrade review` command's refusals (the serving itself is tested through the browser)."""
from __future__ import annotations

from click.testing import CliRunner

from grader.cli import main
from grader.review.server import is_loopback


def test_another_address_needs_the_explicit_flag(out):
    result = CliRunner().invoke(main, ["review", str(out), "--host", "0.0.0.0", "--port", "0"])
    assert result.exit_code == 1
    assert "--host 0.0.0.0 is not this machine only" in result.output and "--allow-remote" in result.output


def test_a_folder_without_a_gradebook_is_refused(tmp_path):
    result = CliRunner().invoke(main, ["review", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{tmp_path / 'gradebook.sqlite'} not found" in result.output


def test_loopback_addresses():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost") and is_loopback("127.0.0.2")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5") and not is_loopback("example.org")
