"""A batch forks its grading workers from the batch process, which holds the assignment, the
gradebook and the symbolic hub's pipes: the sandboxed child of a forked worker must hold none of
them. The submission reports its descriptors through the one channel it has, a failing cell."""
import json
from pathlib import Path

import pytest

from grader.pipeline.batch import GradeOptions, _start_method, grade_batch
from grader.store.gradebook import Gradebook

ROOT = Path(__file__).resolve().parents[2]
SOLUTION = (ROOT / "assignments" / "nndl_ch6" / "solution.py").read_text(encoding="utf-8")

LIST_FDS = '''import os, json
_fds = {}
for _name in os.listdir("/proc/self/fd"):
    try:
        _fds[_name] = os.readlink("/proc/self/fd/" + _name)
    except OSError:
        pass
raise RuntimeError("FDS" + json.dumps(_fds, sort_keys=True) + "SDF")
'''


@pytest.mark.skipif(_start_method() != "fork", reason="forked grading workers: Linux")
@pytest.mark.needs_layer()
@pytest.mark.needs_layer("uid_drop")
def test_a_sandboxed_child_of_a_forked_worker_holds_no_descriptor_of_the_batch(tmp_path):
    subs, out = tmp_path / "subs", tmp_path / "out"
    subs.mkdir()
    (subs / "snoop.py").write_text(LIST_FDS + "\n" + SOLUTION, encoding="utf-8")
    grade_batch(subs, "nndl-ch6", out, options=GradeOptions(
        workers=1, timeout=2.0, load_timeout=3.0, progress=False, lang="en"))
    with Gradebook(out / "gradebook.sqlite") as gb:
        message = gb.get("snoop").load_errors[0]["message"]
    fds = json.loads(message[message.index("FDS") + 3:message.index("SDF")])
    # /dev/null, the output pipe twice, the result pipe, the follow-up socket; nothing else (no
    # gradebook, no pipe of the executor or the symbolic hub, no control socket of the worker)
    assert sorted(fds, key=int) == ["0", "1", "2", "4", "5"]
    assert fds["0"] == "/dev/null" and fds["1"] == fds["2"] != fds["4"]
    assert fds["4"].startswith("pipe:") and fds["5"].startswith("socket:")
