"""Is every hostile zip entry refused with a message a person can act on, and nothing written outside?"""
from __future__ import annotations

import stat
import zipfile
from pathlib import Path

import pytest

from grader.lms.archive import ArchiveError, Limits, extract_zip, refused_lines


def _zip(path: Path, entries: list) -> Path:
    """entries: (name, bytes, mode) with mode None for a regular file; a name may be raw bytes."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data, mode in entries:
            info = zipfile.ZipInfo(name if isinstance(name, str) else "x")
            info.external_attr = ((mode if mode is not None else stat.S_IFREG | 0o644) << 16)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return path


def _tree(root: Path) -> set:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")}


HOSTILE = [
    ("../escape.py", "its path climbs out of the folder (..); it would be written outside the batch's folder"),
    ("a/../../escape.py", "its path climbs out of the folder (..); it would be written outside the batch's folder"),
    ("/etc/escape.py", "its path is absolute; it would be written outside the batch's folder"),
    ("C:/Windows/escape.py", "its path is absolute; it would be written outside the batch's folder"),
    ("..\\escape.py", "its path climbs out of the folder (..); it would be written outside the batch's folder"),
    ("inner/hw.zip", "it is an archive inside the archive; nested archives are not opened (ask the student for "
                     "the notebook itself)"),
    ("inner/hw.tar.gz", "it is an archive inside the archive; nested archives are not opened (ask the student "
                        "for the notebook itself)"),
]


@pytest.mark.parametrize("name,message", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_entry_that_would_escape_or_nest_is_refused(tmp_path, name, message):
    archive = _zip(tmp_path / "d.zip", [(name, b"print(1)\n", None), ("ok.py", b"x = 1\n", None)])
    target = tmp_path / "out" / "intake"
    before = _tree(tmp_path)
    result = extract_zip(archive, target)
    assert result.refused == [(name, message)]
    assert [f[0] for f in result.files] == ["ok.py"]
    assert _tree(tmp_path) - before == {"out", "out/intake", "out/intake/ok.py"}


def test_symbolic_link_entry_is_refused(tmp_path):
    archive = _zip(tmp_path / "d.zip", [("link.py", b"/etc/passwd", stat.S_IFLNK | 0o777)])
    result = extract_zip(archive, tmp_path / "t")
    assert result.refused == [("link.py", "it is a symbolic link; links are not extracted")]
    assert list((tmp_path / "t").iterdir()) == []


def test_special_file_entry_is_refused(tmp_path):
    archive = _zip(tmp_path / "d.zip", [("fifo", b"", stat.S_IFIFO | 0o644)])
    assert extract_zip(archive, tmp_path / "t").refused == [("fifo", "it is not a regular file")]


def test_zip_bomb_by_ratio_is_refused(tmp_path):
    archive = _zip(tmp_path / "d.zip", [("bomb.py", b"\0" * (4 << 20), None)])
    result = extract_zip(archive, tmp_path / "t", Limits(ratio_floor=1 << 20, max_ratio=100))
    [(name, reason)] = result.refused
    assert name == "bomb.py" and reason.startswith("it expands ") and reason.endswith(
        " times (cap 100); it looks like a zip bomb")
    assert not (tmp_path / "t" / "bomb.py").exists()


def test_entry_over_the_size_cap_is_refused(tmp_path):
    archive = _zip(tmp_path / "d.zip", [("big.py", b"x" * 5000, None)])
    result = extract_zip(archive, tmp_path / "t", Limits(max_entry_bytes=4096))
    assert result.refused == [("big.py", "it is 5000 bytes, over the cap of 4096 bytes per file")]


def test_entry_lying_about_its_size_is_stopped_while_reading(tmp_path):
    archive = _zip(tmp_path / "d.zip", [("liar.py", b"y" * 10_000, None)])
    with zipfile.ZipFile(archive) as zf:  # the header claims 10 bytes; the stream holds 10,000
        data = bytearray(archive.read_bytes())
        info = zf.getinfo("liar.py")
    # patch the central directory's uncompressed size (offset 24 in its record) to 10
    cd = data.rfind(b"PK\x01\x02")
    data[cd + 24:cd + 28] = (10).to_bytes(4, "little")
    archive.write_bytes(bytes(data))
    result = extract_zip(archive, tmp_path / "t", Limits(max_entry_bytes=4096))
    # the header's size is checked and the stream is read only that far: the CRC then fails
    assert info.file_size == 10_000
    assert result.refused == [("liar.py", "it is damaged (Bad CRC-32 for file 'liar.py')")]
    assert not (tmp_path / "t" / "liar.py").exists()


def test_total_size_cap_stops_the_extraction(tmp_path):
    archive = _zip(tmp_path / "d.zip", [(f"f{i}.py", b"z" * 3000, None) for i in range(4)])
    with pytest.raises(ArchiveError) as exc:
        extract_zip(archive, tmp_path / "t", Limits(max_total_bytes=7000))
    assert str(exc.value) == ("d.zip expands to more than 7000 bytes; extraction stopped (it is not a class "
                              "download, or it is a zip bomb).")


def test_too_many_entries(tmp_path):
    archive = _zip(tmp_path / "d.zip", [(f"f{i}.py", b"", None) for i in range(5)])
    with pytest.raises(ArchiveError) as exc:
        extract_zip(archive, tmp_path / "t", Limits(max_entries=4))
    assert str(exc.value) == ("d.zip holds 5 entries, over the cap of 4; it is not a class download (or it is a "
                              "zip bomb).")


def test_macos_and_windows_junk_is_skipped_and_counted(tmp_path):
    archive = _zip(tmp_path / "d.zip", [("__MACOSX/._hw.py", b"\0", None), ("a/.DS_Store", b"", None),
                                        ("Thumbs.db", b"", None), ("a/._hw.py", b"", None), ("a/hw.py", b"", None)])
    result = extract_zip(archive, tmp_path / "t")
    assert result.junk == 4 and result.refused == []
    assert _tree(tmp_path / "t") == {"a", "a/hw.py"}
    assert refused_lines(result.refused, result.junk) == ["  skipped 4 operating-system file(s) (__MACOSX/, .DS_Store, Thumbs.db)"]


def test_name_that_is_not_utf8_is_refused(tmp_path):
    archive = tmp_path / "d.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        info = zipfile.ZipInfo("placeholder.py")
        zf.writestr(info, b"x = 1\n")
    raw = archive.read_bytes().replace(b"placeholder.py", "作业作业作x.py".encode("gbk")) # 14 bytes, same length
    archive.write_bytes(raw)
    result = extract_zip(archive, tmp_path / "t")
    [(name, reason)] = result.refused
    assert reason == ("its name is not UTF-8 text; re-create the zip with a tool that writes UTF-8 names (or "
                      "rename the file) and run again")
    assert "\\x" in name  # the bytes are shown, escaped
    assert list((tmp_path / "t").iterdir()) == []


def test_utf8_name_without_the_flag_is_read_as_utf8(tmp_path):
    archive = tmp_path / "d.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(zipfile.ZipInfo("placeholder.py"), b"x = 1\n")
    raw = archive.read_bytes().replace(b"placeholder.py", "张三_hw_0.py".encode("utf-8"))
    archive.write_bytes(raw)
    result = extract_zip(archive, tmp_path / "t")
    assert [f[0] for f in result.files] == ["张三_hw_0.py"] and result.refused == []


def test_same_name_twice_ignoring_case_keeps_the_first(tmp_path):
    archive = _zip(tmp_path / "d.zip", [("HW.py", b"1", None), ("hw.py", b"2", None)])
    result = extract_zip(archive, tmp_path / "t")
    assert result.refused == [("hw.py", "another entry has the same name (ignoring case); the first was kept")]
    assert (tmp_path / "t" / "HW.py").read_bytes() == b"1"


def test_not_a_zip(tmp_path):
    (tmp_path / "d.zip").write_text("not a zip")
    with pytest.raises(ArchiveError) as exc:
        extract_zip(tmp_path / "d.zip", tmp_path / "t")
    assert str(exc.value) == "d.zip is not a readable zip file (File is not a zip file); download it again from the LMS."


def test_target_must_be_empty(tmp_path):
    archive = _zip(tmp_path / "d.zip", [("a.py", b"", None)])
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "old").write_text("x")
    with pytest.raises(ArchiveError) as exc:
        extract_zip(archive, tmp_path / "t")
    assert str(exc.value) == f"{tmp_path / 't'} is not empty; remove it (or grade into a new --out) and run again."

