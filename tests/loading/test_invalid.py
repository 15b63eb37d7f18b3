"""Is every unreadable file an `invalid` result with a message a person can act on (never an exception)?"""
import hashlib
import json

import pytest

import msgcat
from grader.loading import load_submission
from grader.messages import render

INVALID = [
    # (id, file name, bytes, expected error)
    ("invalid-json", "alice.ipynb", b"hello world",
     "submissions/alice.ipynb is not valid JSON (line 1, column 1): the file is not a Jupyter "
     "notebook. Re-download it from Jupyter with File → Download."),
    ("truncated-json", "alice.ipynb", b'{\n "cells": [\n  {"cell_type": "code",',
     "submissions/alice.ipynb is not valid JSON (line 3, column 24): the notebook file is damaged "
     "(perhaps cut short or edited by hand). Re-download it from Jupyter with File → Download."),
    ("binary", "alice.ipynb", bytes([0x80, 0x81, 0xfe, 0x00, 0x10]),
     "submissions/alice.ipynb is not a text file (byte 0x80 at position 0 is not UTF-8): the file "
     "is not a Jupyter notebook. Re-download it from Jupyter with File → Download."),
    ("zip-named-ipynb", "alice.ipynb", b"PK\x03\x04\x14\x00\x00\x00\x08\x00\xff\xfe",
     "submissions/alice.ipynb is a ZIP archive, not a Jupyter notebook. Submit the .ipynb file itself."),
    ("empty-notebook", "alice.ipynb", b"",
     "submissions/alice.ipynb is empty (0 bytes). Submit the notebook (.ipynb) or Python file (.py) "
     "that holds your work."),
    ("blank-python", "alice.py", b"  \n\n",
     "submissions/alice.py holds only blank space. Submit the notebook (.ipynb) or Python file (.py) "
     "that holds your work."),
    ("json-list", "alice.ipynb", b"[1, 2, 3]",
     "submissions/alice.ipynb is JSON but not a Jupyter notebook (the file holds a JSON list). "
     "Re-download it from Jupyter with File → Download."),
    ("json-object-not-notebook", "alice.ipynb", b'{"name": "alice", "score": 3}',
     'submissions/alice.ipynb is JSON but not a Jupyter notebook (no "cells" list and no "nbformat" '
     'version). Re-download it from Jupyter with File → Download.'),
    ("cells-not-a-list", "alice.ipynb", b'{"nbformat": 4, "cells": {"a": 1}}',
     'submissions/alice.ipynb is JSON but not a Jupyter notebook ("cells" is not a list). '
     "Re-download it from Jupyter with File → Download."),
    ("future-version", "alice.ipynb", b'{"nbformat": 9, "cells": []}',
     "submissions/alice.ipynb is a Jupyter notebook of format version 9, which rnngrade cannot read "
     "(it reads versions 1 to 4). Open it in a current Jupyter, save it and submit it again."),
    ("cell-missing-source", "alice.ipynb",
     json.dumps({"nbformat": 4, "nbformat_minor": 4, "metadata": {}, "cells": [
         {"cell_type": "markdown", "metadata": {}, "source": "hi"},
         {"cell_type": "code", "metadata": {}, "outputs": []}]}).encode(),
     "submissions/alice.ipynb is damaged: cell 2 has no `source`. Open the notebook in Jupyter, save "
     "it and submit it again."),
    ("v3-code-cell-missing-input", "alice.ipynb",
     json.dumps({"nbformat": 3, "worksheets": [{"cells": [{"cell_type": "code"}]}]}).encode(),
     "submissions/alice.ipynb is damaged: cell 1 has no `input`. Open the notebook in Jupyter, save "
     "it and submit it again."),
    ("cell-source-number", "alice.ipynb",
     json.dumps({"nbformat": 4, "cells": [{"cell_type": "code", "source": 3}]}).encode(),
     "submissions/alice.ipynb is damaged: cell 1 has a `source` that is not text. Open the notebook "
     "in Jupyter, save it and submit it again."),
    ("cell-not-object", "alice.ipynb", json.dumps({"nbformat": 4, "cells": ["x = 1"]}).encode(),
     "submissions/alice.ipynb is damaged: cell 1 is a JSON string, not an object. Open the notebook "
     "in Jupyter, save it and submit it again."),
    ("python-not-utf8", "alice.py", b"x = 1\nname = 'Jos\xe9'\n",
     "submissions/alice.py is not UTF-8 text (byte 0xe9 on line 2 cannot be decoded). Save it as "
     "UTF-8 in your editor and submit it again."),
    ("python-with-nul", "alice.py", b"x = 1\x00\x00",
     "submissions/alice.py is a binary file, not Python source. Submit the .py file that holds your code."),
    ("pdf", "alice.pdf", b"%PDF-1.4 ...",
     "submissions/alice.pdf is a .pdf file; rnngrade grades Jupyter notebooks (.ipynb) and Python "
     "files (.py). Submit your notebook: download it from Jupyter with File → Download."),
    ("no-extension", "alice", b"x = 1",
     "submissions/alice is a file without an extension; rnngrade grades Jupyter notebooks (.ipynb) "
     "and Python files (.py). Submit your notebook: download it from Jupyter with File → Download."),
]


@pytest.mark.parametrize("name, data, message", [c[1:] for c in INVALID], ids=[c[0] for c in INVALID])
def test_invalid_files(tmp_path, name, data, message):
    folder = tmp_path / "submissions"
    folder.mkdir()
    path = folder / name
    path.write_bytes(data)
    loaded = load_submission(path)
    assert (loaded.kind, render(loaded.error, "en")) == ("invalid", message)
    assert loaded.error["key"].startswith("load.")  # a message: the report says it in its reader's language
    assert msgcat.english_runs(render(loaded.error, "zh")) == []
    assert loaded.content_hash == hashlib.sha256(data).hexdigest()
    assert loaded.path == path
    assert (loaded.units, loaded.answers, loaded.free) == ([], {}, {})


def test_missing_file_has_empty_hash(tmp_path):
    loaded = load_submission(tmp_path / "submissions" / "bob.ipynb")
    assert (loaded.kind, render(loaded.error, "en"), loaded.content_hash) == (
        "invalid", "submissions/bob.ipynb does not exist.", "")
    assert render(loaded.error, "zh") == "submissions/bob.ipynb 不存在。"


def test_no_path_is_invalid_not_an_exception():
    loaded = load_submission(None)
    assert (loaded.kind, render(loaded.error, "en"), loaded.content_hash) == ("invalid", "no file was submitted.", "")


def test_folder_is_not_a_file(tmp_path):
    (tmp_path / "bob.ipynb").mkdir()
    loaded = load_submission(tmp_path / "bob.ipynb", display="bob.ipynb")
    assert render(loaded.error, "en") == ("bob.ipynb is a folder, not a file; rnngrade grades Jupyter notebooks "
                                          "(.ipynb) and Python files (.py).")
    assert render(loaded.error, "zh") == ("bob.ipynb 是文件夹而不是文件；rnngrade 评阅 Jupyter 笔记本（.ipynb）"
                                          "和 Python 文件（.py）。")


# --- Never an exception, whatever the bytes -------------------------------------------------------
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_json = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["cells", "nbformat", "source", "cell_type", "metadata", "tags", "input",
                         "worksheets", "attachments", "outputs", "rnngrade", "version"]), inner, max_size=4),
    max_leaves=12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=200), suffix=st.sampled_from([".ipynb", ".py"]))
def test_random_bytes_never_raise(tmp_path, data, suffix):
    path = tmp_path / f"x{suffix}"
    path.write_bytes(data)
    loaded = load_submission(path)
    assert loaded.kind in ("notebook", "python", "invalid")
    assert (loaded.error is None) == (loaded.kind != "invalid")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=st.fixed_dictionaries({"nbformat": st.sampled_from([3, 4, 4.0, "4", None])}, optional={
    "cells": _json, "worksheets": _json, "metadata": _json, "nbformat_minor": _json}))
def test_random_notebook_json_never_raises(tmp_path, doc):
    path = tmp_path / "x.ipynb"
    path.write_text(json.dumps(doc), encoding="utf-8")
    loaded = load_submission(path)
    assert loaded.kind in ("notebook", "invalid")
    if loaded.kind == "invalid":
        assert loaded.error["key"] != "load.internal", render(loaded.error, "en")
