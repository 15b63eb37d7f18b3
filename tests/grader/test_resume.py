"""Re-running resumes; killing the grader at any moment loses and duplicates nothing."""
import csv
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grader.pipeline.batch import GradeOptions, grade_batch
from grader.store.gradebook import Gradebook

ROOT = Path(__file__).resolve().parents[2]
SOLUTION = (ROOT / "assignments" / "nndl_ch6" / "solution.py").read_text(encoding="utf-8")


def _descendants(pid: int) -> list:
    children: dict = {}
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                with open(f"/proc/{p}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(p))
            except (OSError, ValueError, IndexError):
                pass
    out, stack = [], [pid]
    while stack:
        for c in children.get(stack.pop(), []):
            out.append(c)
            stack.append(c)
    return out


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _class(folder: Path, n: int) -> list:
    folder.mkdir(parents=True, exist_ok=True)
    names = [f"s{k:03d}" for k in range(n)]
    for k, name in enumerate(names):
        (folder / f"{name}.py").write_text(SOLUTION + f"\n# {k}\n", encoding="utf-8")
    return names


@pytest.mark.needs_layer()
def test_rerun_skips_what_is_graded_and_force_regrades(tmp_path):
    subs, out = tmp_path / "subs", tmp_path / "out"
    names = _class(subs, 3)
    opts = GradeOptions(workers=2, progress=False)
    first = grade_batch(subs, "nndl-ch6", out, options=opts)
    assert (first.graded, first.skipped) == (3, 0)
    again = grade_batch(subs, "nndl-ch6", out, options=opts)
    assert (again.graded, again.skipped) == (0, 3)
    # a changed file is graded again, the others are not
    (subs / "s001.py").write_text(SOLUTION + "\n# changed\n", encoding="utf-8")
    changed = grade_batch(subs, "nndl-ch6", out, options=opts)
    assert (changed.graded, changed.skipped) == (1, 2)
    forced = grade_batch(subs, "nndl-ch6", out, options=GradeOptions(workers=2, progress=False, force=True))
    assert (forced.graded, forced.skipped) == (3, 0)
    with Gradebook(out / "gradebook.sqlite") as gb:
        assert gb.students() == names


@pytest.mark.needs_layer()
def test_missing_files_of_a_committed_row_are_rewritten(tmp_path):
    subs, out = tmp_path / "subs", tmp_path / "out"
    _class(subs, 1)
    grade_batch(subs, "nndl-ch6", out, options=GradeOptions(workers=1, progress=False))
    report = out / "students" / "s000" / "report.html"
    report.unlink()
    grade_batch(subs, "nndl-ch6", out, options=GradeOptions(workers=1, progress=False))
    assert report.is_file()


@pytest.mark.needs_layer()
@pytest.mark.slow
def test_sigkill_then_rerun_loses_and_duplicates_nothing(tmp_path):
    subs, out = tmp_path / "subs", tmp_path / "out"
    names = _class(subs, 24)
    cmd = [sys.executable, "-m", "grader.cli", "grade", str(subs), "--out", str(out), "--no-progress",
           "--workers", "2"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    db = out / "gradebook.sqlite"
    deadline = time.time() + 120
    committed = 0
    while time.time() < deadline and proc.poll() is None:
        if db.exists():
            try:
                con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
                committed = con.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]
                con.close()
            except sqlite3.Error:
                committed = 0
            if committed >= 3:
                break
        time.sleep(0.05)
    assert proc.poll() is None, "the grader finished before it could be killed; grow the class"
    family = _descendants(proc.pid)
    assert family, "the grader has no worker processes"
    os.kill(proc.pid, signal.SIGKILL)  # the batch process alone: its workers must follow it
    proc.wait()
    deadline = time.time() + 15
    while time.time() < deadline and any(_alive(p) for p in family):
        time.sleep(0.1)
    assert not [p for p in family if _alive(p)], "worker processes outlived the killed grader"
    assert 3 <= committed < len(names)
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "skipped" in done.stdout
    with Gradebook(db) as gb:
        assert gb.students() == names
        assert all(r.status == "graded" for r in gb.results())
    rows = list(csv.DictReader((out / "grades.csv").open(encoding="utf-8")))
    assert [r["student"] for r in rows] == names
    for n in names:
        g = json.loads((out / "students" / n / "grade.json").read_text(encoding="utf-8"))
        assert g["student"] == n
