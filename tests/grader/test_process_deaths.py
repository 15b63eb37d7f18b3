"""A function whose call ends the submission's process costs that function (and the functions that
call it) only, whatever way the process ends; the messages are in the report's language.

Each submission is the correct solution with ``gru_forward`` replaced by one that ends the process
in one way. ``gru_backward`` calls ``gru_forward`` (the solution recomputes its forward), so it stops
at once, naming it; every other item keeps all its points, even though the calls of
``gru_forward`` come before theirs and each would once have spent a restart.
"""
import json
from pathlib import Path

import pytest

from grader.messages import localized
from grader.pipeline.batch import GradeOptions, grade_batch
from grader.store.gradebook import Gradebook

# every test reads the batch graded here: grading must not stop on this machine
pytestmark = pytest.mark.needs_layer()

ROOT = Path(__file__).resolve().parents[2]
SOLUTION = (ROOT / "assignments" / "nndl_ch6" / "solution.py").read_text(encoding="utf-8")
POINTS = {"lstm_cell_forward": 6.0, "lstm_cell_backward": 10.0, "lstm_forward": 6.0, "lstm_backward": 10.0,
          "gru_cell_forward": 5.0, "gru_cell_backward": 8.0, "gru_forward": 4.0, "gru_backward": 8.0,
          "residual_rnn_forward": 3.0, "residual_rnn_backward": 6.0, "residual_rnn_step_jacobian": 4.0,
          "clip_by_global_norm": 3.0}
HEAD = "\ndef gru_forward(x, h0, parameters):\n"
# student -> body of gru_forward (after the imports it needs)
DEATHS = {
    "os_exit": "    import os\n    os._exit(0)\n",
    "sys_exit": "    import sys\n    sys.exit(0)\n",
    "sigkill_self": "    import os, signal\n    os.kill(os.getpid(), signal.SIGKILL)\n",
    "sigsegv_self": "    import os, signal\n    os.kill(os.getpid(), signal.SIGSEGV)\n",
    "abort": "    import os\n    os.abort()\n",
    # Python 3.11 has no guard for the C stack: recursion through a C function (map) overflows it
    "c_stack_overflow": ("    import sys\n    sys.setrecursionlimit(10**8)\n"
                         "    def deeper(n):\n        return max(map(deeper, [n + 1]))\n    return deeper(0)\n"),
    # the memory stays taken (a module-level list) after the MemoryError: later calls have none
    "memory_limit": "    while True:\n        _hoard.append(bytearray(4096))\n",
    "output_cap": "    import os\n    while True:\n        os.write(1, b'x' * 65536)\n",
}
PRELUDE = {"memory_limit": "\n_hoard = []\n"}
# student -> (status of gru_forward, its first case's message in Chinese, verbatim)
FIRST = {
    "os_exit": ("error", "运行 gru_forward 时进程退出（退出码 0）"),
    "sys_exit": ("error", "gru_forward 中出现 SystemExit：0（第 {line} 行）"),
    "sigkill_self": ("error", "运行 gru_forward 时进程被信号 SIGKILL 终止"),
    "sigsegv_self": ("error", "运行 gru_forward 时进程崩溃（段错误 SIGSEGV）"),
    "abort": ("error", "运行 gru_forward 时进程被信号 SIGABRT 终止"),
    "c_stack_overflow": ("error", "运行 gru_forward 时进程崩溃（段错误 SIGSEGV）"),
    "memory_limit": ("error", "gru_forward 中出现 MemoryError（第 {line} 行）"),
    "output_cap": ("error", "运行 gru_forward 时直接向输出写入超过 1024 KiB，进程已被终止"),
}
ENDED = {"os_exit", "sigkill_self", "sigsegv_self", "abort", "c_stack_overflow", "output_cap", "memory_limit"}
SKIPPED_ZH = "未运行：gru_forward 在之前的用例中使进程终止，其余用例已跳过"
STOPPED_ZH = "已停止：gru_backward 调用了 gru_forward，而它在之前的用例中使进程终止"
# a process left without memory is not used again either: later functions would fail to allocate
SKIPPED_ZH_MEMORY = "未运行：gru_forward 在之前的用例中耗尽了进程的内存，其余用例已跳过"
STOPPED_ZH_MEMORY = "已停止：gru_backward 调用了 gru_forward，而它在之前的用例中耗尽了进程的内存"


def _source(student: str) -> str:
    return SOLUTION + PRELUDE.get(student, "") + HEAD + DEATHS[student]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    subs = tmp_path_factory.mktemp("subs")
    out = tmp_path_factory.mktemp("out")
    for student in DEATHS:
        (subs / f"{student}.py").write_text(_source(student), encoding="utf-8")
    summary = grade_batch(subs, "nndl-ch6", out, options=GradeOptions(
        workers=2, timeout=2.0, load_timeout=3.0, progress=False, lang="zh"))
    return out, summary


def _grade(out, student):
    return json.loads((out / "students" / student / "grade.json").read_text(encoding="utf-8"))


def _cases(out, student, item):
    with Gradebook(out / "gradebook.sqlite") as gb:
        result = gb.get(student)
        return localized(result, result.lang).item(item).cases  # messages are stored as keys and fields


@pytest.mark.parametrize("student", sorted(DEATHS))
def test_a_function_that_ends_its_process_costs_only_itself_and_its_callers(graded, student):
    out, _ = graded
    g = _grade(out, student)
    scores = {item: g["items"][item]["score"] for item in POINTS}
    expected = dict(POINTS, gru_forward=0.0, gru_backward=0.0)
    assert scores == expected
    status, first = FIRST[student]
    cases = _cases(out, student, "gru_forward")
    assert g["items"]["gru_forward"]["status"] == status
    assert cases[0].message == first.format(line=len(_source(student).splitlines()))
    if student in ENDED:
        # called once: the process it ended was its only one; its other cases say why
        skipped, stopped = ((SKIPPED_ZH_MEMORY, STOPPED_ZH_MEMORY) if student == "memory_limit"
                            else (SKIPPED_ZH, STOPPED_ZH))
        assert [c.message for c in cases[1:]] == [skipped] * (len(cases) - 1)
        assert {c.message for c in _cases(out, student, "gru_backward")} == {stopped}


def test_one_bad_function_never_reaches_the_restart_limit(graded):
    out, _ = graded
    for student in ENDED:
        for item in POINTS:
            for c in _cases(out, student, item):
                assert "重启" not in c.message and "restarted" not in c.message, (student, item, c.message)
