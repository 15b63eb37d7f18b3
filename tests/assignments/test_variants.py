"""Per-student hidden seeds, secrets and rosters."""
import hashlib
import hmac
import os
import stat

import pytest

from assignments.variants import create_secret, hidden_seed, read_roster, read_secret

SECRET = bytes(range(32))


def test_hidden_seed_is_the_truncated_hmac(spec):
    """Is the seed HMAC-SHA256(secret, "nndl-ch6/<id>") cut to 63 bits, computed independently here?"""
    digest = hmac.new(SECRET, b"nndl-ch6/alice", hashlib.sha256).hexdigest()
    assert hidden_seed(SECRET, "alice", spec) == int(digest[:16], 16) % 2 ** 63


def test_seeds_are_stable_and_differ(spec):
    """Do two students get different seeds, and one student the same seed twice?"""
    alice = hidden_seed(SECRET, "alice", spec)
    assert alice == hidden_seed(SECRET, "alice", spec)
    assert alice != hidden_seed(SECRET, "bob", spec)
    assert alice != hidden_seed(bytes(32), "alice", spec)
    assert 0 <= alice < 2 ** 63


def test_variants_change_the_hidden_cases_only(spec):
    """Do two students' hidden cases differ while their public cases are equal?"""
    from assignments.item_cases import code_item_parts
    from grader.core.cases import build_cases

    item = spec.item("gru_cell_backward")
    ref, gen = code_item_parts(spec, item)
    a = build_cases(item, ref, gen, spec.seed, hidden_seed(SECRET, "alice", spec))
    b = build_cases(item, ref, gen, spec.seed, hidden_seed(SECRET, "bob", spec))
    a_again = build_cases(item, ref, gen, spec.seed, hidden_seed(SECRET, "alice", spec))
    for x, y, z in zip(a, b, a_again):
        assert (x.args[0] == z.args[0]).all()
        assert (x.args[0] == y.args[0]).all() == (x.visibility == "public")


def test_short_secret_is_refused(spec, tmp_path):
    with pytest.raises(ValueError, match="the course secret must be at least 16 bytes"):
        hidden_seed(b"short", "alice", spec)
    path = tmp_path / "s.key"
    path.write_bytes(b"abc")
    with pytest.raises(ValueError, match="holds 3 bytes; at least 16 are needed"):
        read_secret(path)
    with pytest.raises(FileNotFoundError, match="secret file .* not found"):
        read_secret(tmp_path / "missing.key")


def test_created_secret_is_private_and_never_overwritten(tmp_path):
    path = tmp_path / "secret.key"
    secret = create_secret(path)
    assert len(secret) == 32 and read_secret(path) == secret
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with pytest.raises(FileExistsError):
        create_secret(path)


@pytest.mark.parametrize("text, expected", [
    ("student,name\nalice,A\nbob,B\n", ["alice", "bob"]),
    ("id\n 张三 \n\nLi Si\n", ["张三", "Li_Si"]),
    ("\ufeffstudent\n../etc\n", ["_etc"]),
], ids=["student-column", "id-column-sanitised", "bom-and-dots"])
def test_roster_ids_are_sanitised_like_the_grader(tmp_path, text, expected):
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding="utf-8")
    assert read_roster(path) == expected


@pytest.mark.parametrize("text, message", [
    ("name,email\nA,a@x\n", "roster.csv: no 'student' or 'id' column (columns found: name, email)"),
    ("student\nLi Si\nLi_Si\n", "roster.csv: rows 2 and 3 both give student id 'Li_Si'; make the ids distinct"),
], ids=["no-column", "duplicate-after-sanitising"])
def test_roster_errors(tmp_path, text, message):
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError) as info:
        read_roster(path)
    assert str(info.value) == message
