"""On a machine that has seccomp but where the grader's environment lacks pyseccomp, ``rnngrade
grade`` stops with one line (which layer, why, how to fix); with --allow-reduced-isolation it grades,
and every row, report and the batch summary say that isolation was reduced.

The environment without pyseccomp is real: the sandbox's worker is started through a script that
makes ``import pyseccomp`` fail, then runs the worker as usual."""
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import grader.pipeline.batch
import grader.sandbox.pool
from grader.cli import main
from grader.store.gradebook import Gradebook

ROOT = Path(__file__).resolve().parents[2]
SOLUTION = (ROOT / "assignments" / "nndl_ch6" / "solution.py").read_text(encoding="utf-8")
WITHOUT_PYSECCOMP = '''import runpy, sys
sys.modules["pyseccomp"] = None  # this environment has no pyseccomp: importing it fails
runpy.run_path({zygote!r}, run_name="__main__")
'''

# the messages name seccomp alone: every other layer must be on here
pytestmark = pytest.mark.needs_layer("fork_server", "network_namespace", "mount_namespace", "process_list",
                                     "uid_drop", "rlimits", "subreaper")


@pytest.fixture
def no_pyseccomp(tmp_path, monkeypatch):
    script = tmp_path / "zygote_without_pyseccomp.py"
    script.write_text(WITHOUT_PYSECCOMP.format(zygote=str(grader.sandbox.pool.ZYGOTE)))
    monkeypatch.setattr(grader.sandbox.pool, "ZYGOTE", script)  # forked grading workers inherit it
    monkeypatch.setattr(grader.pipeline.batch, "_PROBED", {})  # probe this environment, not the one before


def _grade(subs, out, *more):
    return CliRunner().invoke(main, ["grade", str(subs), "-o", str(out), "-j", "1", "--no-progress",
                                     "--timeout", "2", "--lang", "en", *more])


def test_a_layer_that_could_not_be_set_up_stops_grading_with_one_line(tmp_path, no_pyseccomp):
    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / "alice.py").write_text(SOLUTION, encoding="utf-8")
    r = _grade(subs, tmp_path / "out")
    assert r.exit_code == 1
    assert r.output.splitlines() == [
        "Error: the sandbox layer seccomp could not be set up: pyseccomp (libseccomp) is not installed. "
        "Fix: install pyseccomp and libseccomp (`pip install pyseccomp`; Debian: `apt-get install "
        "libseccomp2`) in the environment that runs the grader; or pass --allow-reduced-isolation to "
        "grade with less isolation"]
    assert not (tmp_path / "out" / "students").exists()


def test_accepted_reduced_isolation_is_said_by_every_row_report_and_the_summary(tmp_path, no_pyseccomp):
    subs, out = tmp_path / "subs", tmp_path / "out"
    subs.mkdir()
    for student in ("alice", "bob"):
        (subs / f"{student}.py").write_text(SOLUTION, encoding="utf-8")
    r = _grade(subs, out, "--allow-reduced-isolation")
    assert r.exit_code == 0, r.output
    assert ("Isolation: partial: seccomp (could not be set up: seccomp (reduced isolation accepted "
            "with --allow-reduced-isolation))") in r.output.splitlines()
    with Gradebook(out / "gradebook.sqlite") as gb:
        for student in ("alice", "bob"):
            result = gb.get(student)
            assert result.flags == ["reduced_isolation"]
            assert result.isolation["layers"]["seccomp"] == "off: pyseccomp (libseccomp) is not installed"
    for student in ("alice", "bob"):
        g = json.loads((out / "students" / student / "grade.json").read_text(encoding="utf-8"))
        assert g["isolation"]["summary"] == "partial: seccomp"
        report = (out / "students" / student / "report.html").read_text(encoding="utf-8")
        assert ("Your code ran in a separate process; some isolation layers were not available on the "
                "grading machine: seccomp.") in report
    summary = (out / "summary.html").read_text(encoding="utf-8")
    assert summary.count("graded with reduced sandbox isolation") == 2
