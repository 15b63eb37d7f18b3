"""Does discover() give one entry per student, choose the right file, and make safe, unique ids?"""
import os
from pathlib import Path

import pytest

from grader.loading import SubmissionEntry, discover, load_submission, sanitize_student_id, unique_ids
from grader.messages import english_notes as english
from grader.messages import render


def _shown(entries):
    """The entries with their notes as English text."""
    return [SubmissionEntry(e.student, e.path, english(e.notes), e.raw_name) for e in entries]

SANITIZE = [
    ("plain", "alice", "alice"),
    ("kept-punctuation", "a.b_c-d", "a.b_c-d"),
    ("path-traversal", "../../etc", "_.._etc"),
    ("space-and-dollar", "a b$c", "a_b_c"),
    ("hidden", ".hidden", "hidden"),
    ("only-dots", "...", "unnamed"),
    ("empty", "", "unnamed"),
    ("chinese", "张三", "张三"),
    ("nfd-accent", "Zoe\u0308", "Zoë"),
    ("fullwidth", "ｆｕｌｌ１", "full1"),
    ("devanagari-marks", "अनिल", "अनिल"),
    ("rtl-override-and-nul", "a\u202eb\x00c", "a_b_c"),
    ("slash-backslash-colon", "a/b\\c:d", "a_b_c_d"),
    ("capped", "x" * 150, "x" * 100),
]


@pytest.mark.parametrize("raw, expected", [c[1:] for c in SANITIZE], ids=[c[0] for c in SANITIZE])
def test_sanitize_student_id(raw, expected):
    assert sanitize_student_id(raw) == expected


def test_unique_ids_clean_name_keeps_its_id_and_case_is_ignored():
    assert unique_ids(["a b", "a_b", "a$b", "Alice", "alice"]) == {
        "a_b": "a_b", "Alice": "Alice", "a b": "a_b-2", "a$b": "a_b-3", "alice": "alice-2"}
    assert unique_ids(["x" * 120, "x" * 130]) == {"x" * 120: "x" * 100, "x" * 130: "x" * 98 + "-2"}


def _touch(path: Path, text="x = 1\n", mtime=None):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


@pytest.fixture
def batch(tmp_path):
    root = tmp_path / "submissions"
    _touch(root / "alice.ipynb")
    _touch(root / "bob" / "hw" / "lstm.ipynb", mtime=2_000_000)
    _touch(root / "bob" / "old.ipynb", mtime=1_000_000)
    _touch(root / "bob" / "hw" / ".ipynb_checkpoints" / "lstm-checkpoint.ipynb", mtime=3_000_000)
    _touch(root / "bob" / "__pycache__" / "x.py", mtime=3_000_000)
    _touch(root / "bob" / ".secret.ipynb", mtime=3_000_000)
    _touch(root / "carol.py")
    _touch(root / "carol.ipynb")
    _touch(root / "dave" / "solution.py", mtime=2_000_000)
    _touch(root / "dave" / "rnn_utils.py", mtime=1_000_000)
    _touch(root / "a b$c.ipynb")
    _touch(root / "a_b_c.py")
    _touch(root / ".hidden.ipynb")
    _touch(root / ".DS_Store")
    _touch(root / "notes.txt")
    _touch(root / "émile.ipynb")
    (root / "erin").mkdir()
    _touch(root / "gina.ipynb")
    _touch(root / "gina" / "gina.py")
    _touch(root / "hugo" / "b.ipynb", mtime=1_000_000)
    _touch(root / "hugo" / "a.ipynb", mtime=1_000_000)
    _touch(root / "ivan" / "draft.ipynb", mtime=2_000_000)
    _touch(root / "ivan" / "nndl_ch6.ipynb", mtime=1_000_000)
    _touch(root / "__MACOSX" / "alice.ipynb")
    return root


def test_discover_mixed_folder(batch):
    entries = discover(batch, roster=["alice", "frank", "carol"], notebook_name="nndl_ch6.ipynb")
    got = [(e.student, e.path.relative_to(batch).as_posix() if e.path else None, english(e.notes), e.raw_name)
           for e in entries]
    assert got == [
        ("a_b_c", "a_b_c.py", [], "a_b_c"),
        ("a_b_c-2", "a b$c.ipynb",
         ["student id `a_b_c-2` was made from the name `a b$c` (`a_b_c` was already taken)"], "a b$c"),
        ("alice", "alice.ipynb", [], "alice"),
        ("bob", "bob/hw/lstm.ipynb",
         ["chose bob/hw/lstm.ipynb: the most recently modified of 2 notebooks (also found: bob/old.ipynb)"],
         "bob"),
        ("carol", "carol.ipynb",
         ["chose carol.ipynb: a notebook is preferred over a .py file (also found: carol.py)"], "carol"),
        ("dave", "dave/solution.py",
         ["chose dave/solution.py: the most recently modified of 2 .py files (also found: "
          "dave/rnn_utils.py)"], "dave"),
        ("erin", None, ["folder `erin/` holds no files", "no submission found"], "erin"),
        ("frank", None, ["no submission found"], "frank"),
        ("gina", "gina.ipynb",
         ["chose gina.ipynb: a notebook is preferred over a .py file (also found: gina/gina.py)"], "gina"),
        ("hugo", "hugo/a.ipynb",
         ["chose hugo/a.ipynb: 2 notebooks were modified at the same time, so the first by name was "
          "taken (also found: hugo/b.ipynb)"], "hugo"),
        ("ivan", "ivan/nndl_ch6.ipynb",
         ["chose ivan/nndl_ch6.ipynb: its name matches the assignment notebook nndl_ch6.ipynb "
          "(also found: ivan/draft.ipynb)"], "ivan"),
        ("notes", "notes.txt", [], "notes"),
        ("émile", "émile.ipynb", [], "émile"),
    ]


def test_other_files_become_invalid_rows(batch):
    entry = next(e for e in discover(batch) if e.student == "notes")
    loaded = load_submission(entry.path)
    assert loaded.kind == "invalid"
    assert render(loaded.error, "en").startswith("submissions/notes.txt is a .txt file; rnngrade grades")


def test_folder_with_only_other_files(tmp_path):
    root = tmp_path / "subs"
    _touch(root / "kim" / "report.pdf")
    _touch(root / "kim" / "answers.docx")
    assert _shown(discover(root)) == [SubmissionEntry(
        "kim", root / "kim" / "answers.docx",
        ["chose kim/answers.docx: no .ipynb or .py file was found (also found: kim/report.pdf)"], "kim")]


def test_symlinks_are_not_followed(tmp_path):
    root = tmp_path / "subs"
    outside = _touch(tmp_path / "outside.py")
    root.mkdir()
    (root / "mallory.py").symlink_to(outside)
    _touch(root / "nina" / "work.py")
    (root / "nina" / "linked.ipynb").symlink_to(outside)
    entries = _shown(discover(root))
    assert entries == [
        SubmissionEntry("mallory", None, ["`mallory.py` is a symbolic link; links in a submissions "
                                          "folder are not followed", "no submission found"], "mallory"),
        SubmissionEntry("nina", root / "nina" / "work.py", [], "nina"),
    ]


def test_roster_ids_are_sanitised_and_deduplicated(tmp_path):
    root = tmp_path / "subs"
    root.mkdir()
    entries = discover(root, roster=["../x", "../x", "Ann", "ann"])
    assert [(e.student, e.path, english(e.notes), e.raw_name) for e in entries] == [
        ("Ann", None, ["no submission found"], "Ann"),
        ("_x", None, ["no submission found"], "../x"),
    ]


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="is not a folder of submissions"):
        discover(tmp_path / "nope")


def test_roster_spelling_wins_over_file_name_case(tmp_path):
    root = tmp_path / "subs"
    _touch(root / "alice.ipynb")
    _touch(root / "bob.py")
    assert _shown(discover(root, roster=["Alice", "bob"])) == [
        SubmissionEntry("Alice", root / "alice.ipynb",
                        ["student id `Alice` taken from the roster for `alice`, which differs only in case"],
                        "alice"),
        SubmissionEntry("bob", root / "bob.py", [], "bob"),
    ]
