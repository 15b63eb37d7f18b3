"""Gradescope: the built zip's run_autograder against a simulated /autograder.

Runs as root here (as on Gradescope), so the sandbox drops each submission to another uid. The runs
with RNNGRADE_SANDBOX_DISABLE=mount_namespace,network_namespace reproduce Gradescope's container,
where creating namespaces is refused: file permissions must then keep the secret from the submission.
"""
import json
import os
import zipfile

import jsonschema
import pytest

from tests.hosted.conftest import (SOLUTION, buggy_source, gradescope_layout, hostile_source, metadata_for,
                                   run_gradescope)
from tests.hosted.schemas_support import GRADESCOPE

pytestmark = pytest.mark.slow
CONTAINER = "mount_namespace,network_namespace"


def _code_tests(results):
    return [t for t in results["tests"] if t["name"].endswith(("— public cases", "— hidden cases"))]


def test_zip_has_setup_and_run_autograder_at_its_root_executable(gradescope_zip):
    with zipfile.ZipFile(gradescope_zip) as z:
        names = set(z.namelist())
        modes = {i.filename: (i.external_attr >> 16) & 0o777 for i in z.infolist()}
        setup = z.read("setup.sh").decode()
        reqs = z.read("requirements.txt").decode().splitlines()
        info = json.loads(z.read("release/release.json"))
    assert {"setup.sh", "run_autograder", "requirements.txt", "release/release.json", "release/secret.key",
            "release/spec/spec.toml", "roster.csv"} <= names
    assert modes["setup.sh"] == modes["run_autograder"] == 0o755
    assert modes["release/secret.key"] == 0o600
    wheel = next(n for n in names if n.startswith("rnngrade-") and n.endswith(".whl"))
    assert f"--no-deps ./{wheel}" in setup and "-r requirements.txt" in setup
    assert 'chmod 700 "$AG" "$AG/source" "$VENV"' in setup
    pins = {line.split("==")[0].lower(): line for line in reqs if "==" in line}
    assert {"numpy", "sympy", "jinja2", "nbformat", "click", "pyseccomp"} <= set(pins)
    import numpy
    assert pins["numpy"] == f"numpy=={numpy.__version__}"
    assert info["secret_file"] == "secret.key"
    # what grading does not need stays out: the solution notebook, the hidden case files
    assert not any(n.endswith(("-solution.ipynb", "hidden_cases.json", "hidden_cases.npz")) for n in names)


def test_correct_submission_gets_every_automatic_point(gradescope_template, tmp_path):
    root = gradescope_layout(gradescope_template, tmp_path, {"nndl-ch6.py": SOLUTION.read_text()}, metadata_for())
    results, proc = run_gradescope(root)
    jsonschema.validate(results, GRADESCOPE)
    code = _code_tests(results)
    assert code and all(t["status"] == "passed" and t["score"] == t["max_score"] for t in code)
    assert results["score"] == pytest.approx(sum(t["score"] for t in results["tests"]))
    # every code item: its public part visible, its hidden part after publication, adding up
    hidden = [t for t in code if t["name"].endswith("— hidden cases")]
    assert hidden and all(t["visibility"] == "after_published" for t in hidden)
    assert all(t["visibility"] == "visible" for t in results["tests"] if t not in hidden)
    assert len(hidden) * 2 == len(code)
    free = [t for t in results["tests"] if t["name"].startswith("free_")]
    assert free and all("status" not in t and t["score"] == t["max_score"] == 0 for t in free)
    assert all("graded by hand" in t["output"].lower() for t in free)
    assert results["score"] == 85  # every automatic point of nndl-ch6; the free answers are graded by hand
    assert results["output"].startswith("nndl-ch6 (version ")
    assert "graded nndl-ch6.py." in results["output"]
    assert "Hidden cases count towards your score; their results are shown when grades are published." in results["output"]
    assert results["extra_data"]["student"] == "alice"
    assert results["extra_data"]["isolation"] == "full"
    assert isinstance(results["execution_time"], int)
    assert "rnngrade: graded nndl-ch6.py as alice" in proc.stdout


def test_buggy_submission_loses_the_points_of_the_wrong_function_only(gradescope_template, tmp_path):
    root = gradescope_layout(gradescope_template, tmp_path, {"hw.py": buggy_source()}, metadata_for())
    results, _ = run_gradescope(root)
    jsonschema.validate(results, GRADESCOPE)
    by_name = {t["name"]: t for t in results["tests"]}
    pub = by_name["gru_cell_forward: Forward pass of one GRU cell — public cases"]
    hid = by_name["gru_cell_forward: Forward pass of one GRU cell — hidden cases"]
    assert pub["score"] == 0 and pub["status"] == "failed" and hid["score"] == 0
    lstm = by_name["lstm_cell_forward: Forward pass of one LSTM cell — public cases"]
    assert lstm["status"] == "passed"
    # the visible part speaks of public cases only; the hidden part waits for publication
    assert "hidden" not in pub["output"].lower()
    assert "public" in pub["output"].lower()
    assert hid["visibility"] == "after_published"
    # even after publication, a hidden case shows no expected or returned value (student_view)
    assert "Expected" not in hid["output"] and "returned" not in hid["output"]
    assert "Expected" in pub["output"]
    for t in results["tests"]:
        if t["visibility"] == "visible":
            assert "· hidden" not in t["output"] and "(hidden " not in t["output"], t["name"]


def _attacks(root):
    base = root / "autograder"
    return {"secret": ("read", base / "source" / "release" / "secret.key"),
            "key": ("read", next((base / "rnngrade-lib" / "solutions").glob("*.py"))),
            "meta": ("read", base / "submission_metadata.json"),
            "results": ("write", base / "results" / "results.json")}


@pytest.mark.needs_layer("uid_drop", "seccomp", "network_namespace", "mount_namespace")
@pytest.mark.parametrize("disable", ["", CONTAINER], ids=["namespaces", "container-like"])
def test_hostile_submission_reads_no_secret_writes_no_results_and_cannot_fork(gradescope_template, tmp_path, disable):
    root = gradescope_layout(gradescope_template, tmp_path, {"x.py": "placeholder"}, metadata_for())
    (root / "autograder" / "results").mkdir()
    (root / "autograder" / "submission" / "x.py").write_text(hostile_source(_attacks(root)), encoding="utf-8")
    results, _ = run_gradescope(root, disable)
    jsonschema.validate(results, GRADESCOPE)
    probe = next(line for line in results["output"].splitlines() if "PROBE" in line)
    for label in ("secret", "key", "meta", "results", "fork", "net"):
        assert f"{label}=refused:" in probe, probe
    assert "HACKED" not in (root / "autograder" / "results" / "results.json").read_text()
    # the rest of the file is the reference: still graded in full
    assert all(t["status"] == "passed" for t in _code_tests(results))
    hidden_paths = results["extra_data"]["hidden_paths"]
    if disable:
        assert hidden_paths.startswith("not hidden (no mount namespace): protected by file permissions only")
        assert results["extra_data"]["isolation"].startswith("partial: network_namespace, mount_namespace, process_list; ")
    else:
        assert hidden_paths == "hidden by the mount namespace"


def test_without_namespaces_and_uid_drop_the_summary_says_the_secret_is_exposed(gradescope_template, tmp_path):
    """Honesty: where nothing protects the release (no namespaces, no uid drop), the summary says so,
    and the probe shows it is true."""
    root = gradescope_layout(gradescope_template, tmp_path, {"x.py": "placeholder"}, metadata_for())
    (root / "autograder" / "results").mkdir()
    attacks = {"secret": _attacks(root)["secret"]}
    (root / "autograder" / "submission" / "x.py").write_text(hostile_source(attacks), encoding="utf-8")
    results, _ = run_gradescope(root, CONTAINER + ",uid_drop")
    probe = next(line for line in results["output"].splitlines() if "PROBE" in line)
    assert "secret=read:" in probe
    assert results["extra_data"]["hidden_paths"] == ("NOT protected: the submission can read the release, "
                                                     "its secret and the answer key")


def test_unreadable_notebook_scores_zero_with_the_loaders_message(gradescope_template, tmp_path):
    root = gradescope_layout(gradescope_template, tmp_path, {"nndl-ch6.ipynb": b"\x89PNG\r\n\x1a\n\x00\xff garbage"},
                             metadata_for())
    results, _ = run_gradescope(root)
    jsonschema.validate(results, GRADESCOPE)
    assert results["score"] == 0
    assert results["extra_data"]["status"] == "load_error"
    assert results["tests"] and all(t["score"] == 0 for t in results["tests"])
    assert "nndl-ch6.ipynb" in results["output"]


def test_no_gradable_file_is_said_verbatim(gradescope_template, tmp_path):
    root = gradescope_layout(gradescope_template, tmp_path, {"README.txt": "hi", ".hidden.py": "x = 1",
                                                             "__MACOSX/._nndl-ch6.ipynb": "junk"}, metadata_for())
    results, _ = run_gradescope(root)
    jsonschema.validate(results, GRADESCOPE)
    assert results["output"] == ("No notebook (.ipynb) or Python file (.py) was found in your submission. "
                                 "Upload your completed nndl-ch6.ipynb.\n")
    assert results["score"] == 0 and results["tests"] == []


def test_a_link_to_the_secret_is_not_followed(gradescope_template, tmp_path):
    root = gradescope_layout(gradescope_template, tmp_path, {}, metadata_for())
    secret = root / "autograder" / "source" / "release" / "secret.key"
    (root / "autograder" / "submission" / "nndl-ch6.py").symlink_to(secret)
    results, _ = run_gradescope(root)
    assert results["output"].startswith("No notebook (.ipynb) or Python file (.py) was found")
    assert secret.read_bytes().hex() not in json.dumps(results)


def test_several_files_are_refused_unless_one_is_the_release_notebook(gradescope_template, tmp_path):
    root = gradescope_layout(gradescope_template, tmp_path, {"a.py": "x = 1", "b.ipynb": "{}"}, metadata_for())
    results, _ = run_gradescope(root)
    assert results["output"] == ("Your submission holds several files that could be graded (a.py, b.ipynb). "
                                 "Upload only nndl-ch6.ipynb, or exactly one .ipynb or .py file.\n")


def test_email_maps_through_the_roster_and_strangers_are_told(gradescope_template, tmp_path):
    root = gradescope_layout(gradescope_template, tmp_path / "bob", {"hw.py": SOLUTION.read_text()},
                             metadata_for(email="bob@uni.edu", sid=None, name="Bob"))
    results, _ = run_gradescope(root)
    assert results["extra_data"]["student"] == "bob"
    assert "not on the course roster" not in results["output"]

    root = gradescope_layout(gradescope_template, tmp_path / "eve", {"hw.py": SOLUTION.read_text()},
                             metadata_for(email="eve@else.org", sid="9999", name="Eve"))
    results, _ = run_gradescope(root)
    assert results["extra_data"]["student"] == "9999"
    assert ("9999 is not on the course roster: your hidden cases were derived from 9999. "
            "Ask course staff to add you to the roster.") in results["output"]
    assert "is not on the roster: graded with seeds" not in results["output"]


def test_the_release_folder_is_locked_to_root_before_grading(gradescope_template, tmp_path):
    root = gradescope_layout(gradescope_template, tmp_path, {"hw.py": SOLUTION.read_text()}, metadata_for())
    run_gradescope(root)
    assert os.stat(root / "autograder").st_mode & 0o777 == 0o700
    assert os.stat(root / "autograder" / "submission_metadata.json").st_mode & 0o777 == 0o600


def test_hidden_cases_are_the_ones_a_local_grade_of_that_roster_id_gets(gradescope_template, release, tmp_path):
    """bob's hidden cases on the host are bob's in a local grade (the wrong values' errors, which
    depend on the inputs, match), and not alice's."""
    from grader.pipeline.batch import GradeOptions, grade_one
    from grader.hosted.common import release_facts
    from grader.hosted.results import gradescope_results

    root = gradescope_layout(gradescope_template, tmp_path / "host", {"hw.py": buggy_source()},
                             metadata_for(email="bob@uni.edu", sid=None, name="Bob"))
    hosted, _ = run_gradescope(root)
    (tmp_path / "local").mkdir()
    path = tmp_path / "local" / "hw.py"
    path.write_text(buggy_source(), encoding="utf-8")

    def local(student):
        result = grade_one(path, "", release=release, options=GradeOptions(progress=False), student=student)
        from assignments.release import load_release
        facts = release_facts(release)
        return gradescope_results(result, load_release(release).spec, lang="en", facts=facts, seconds=0)

    def hidden_outputs(results):
        return {t["name"]: t["output"] for t in results["tests"] if t["visibility"] == "after_published"
                and t["score"] < t["max_score"]}

    mine = hidden_outputs(hosted)
    assert mine and mine == hidden_outputs(local("bob"))
    assert mine != hidden_outputs(local("alice"))


def test_a_chinese_release_speaks_chinese(release, tmp_path):
    from assignments.release import load_release
    from grader.pipeline.batch import GradeOptions, grade_one
    from grader.hosted.common import release_facts
    from grader.hosted.results import gradescope_results

    path = tmp_path / "hw.py"
    path.write_text(buggy_source(), encoding="utf-8")
    result = grade_one(path, "", release=release, options=GradeOptions(progress=False, lang="zh"), student="alice")
    out = gradescope_results(result, load_release(release).spec, lang="zh", facts=release_facts(release), seconds=1)
    names = [t["name"] for t in out["tests"]]
    assert "gru_cell_forward: GRU 单元的前向计算 — 公开用例" in names
    assert "gru_cell_forward: GRU 单元的前向计算 — 隐藏用例" in names
    assert out["output"].endswith("隐藏用例计入你的得分；其结果在成绩发布后显示。\n")
    assert out["output"].startswith("nndl-ch6（版本 ")


def test_setup_sh_builds_the_pinned_environment_that_run_autograder_then_uses(gradescope_zip, tmp_path):
    """setup.sh as Gradescope runs it, with apt-get stubbed and pip kept off the network: every pin
    must be satisfied by what is installed here (the venv sees the system's packages), the wheel
    installs, the folders end root-only, and run_autograder grades with that environment."""
    import shutil
    import subprocess
    import sys

    root = tmp_path / "root"
    source = root / "autograder" / "source"
    source.mkdir(parents=True)
    with zipfile.ZipFile(gradescope_zip) as z:
        z.extractall(source)
        for info in z.infolist():
            (source / info.filename).chmod((info.external_attr >> 16) & 0o777)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "apt.log"
    (bin_dir / "apt-get").write_text(f'#!/bin/sh\necho "$@" >> {log}\n')
    (bin_dir / "apt-get").chmod(0o755)
    minor = f"python{sys.version_info.major}.{sys.version_info.minor}"
    (bin_dir / minor).symlink_to(sys.executable)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RNNGRADE_", "PYTHON", "PIP_", "VIRTUAL_ENV"))}
    env.update(PATH=f"{bin_dir}:{env.get('PATH', '')}", RNNGRADE_HOST_ROOT=str(root),
               RNNGRADE_VENV_ARGS="--system-site-packages", PIP_NO_INDEX="1")
    if sys.prefix != sys.base_prefix:
        # run from a virtual environment (CI's): a venv made by its python sees the base interpreter's
        # packages, not this environment's, where the pins were read; pip counts what is on the path
        import site

        env["PYTHONPATH"] = os.pathsep.join(site.getsitepackages())
    proc = subprocess.run(["bash", str(source / "setup.sh")], env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip().endswith("rnngrade autograder ready")
    assert "install -y -q libseccomp2" in log.read_text()
    for folder in (root / "autograder", source, root / "autograder" / "rnngrade-venv"):
        assert os.stat(folder).st_mode & 0o777 == 0o700
    (root / "autograder" / "submission").mkdir()
    shutil.copy(SOLUTION, root / "autograder" / "submission")
    (root / "autograder" / "submission_metadata.json").write_text(json.dumps(metadata_for()), encoding="utf-8")
    run = subprocess.run(["bash", str(source / "run_autograder")], env=env, capture_output=True, text=True,
                         timeout=600)
    assert run.returncode == 0, run.stderr
    results = json.loads((root / "autograder" / "results" / "results.json").read_text(encoding="utf-8"))
    jsonschema.validate(results, GRADESCOPE)
    assert results["score"] == 85
