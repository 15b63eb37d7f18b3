"""PrairieLearn: the built image's entry point against a simulated /grade, and the course files.

``/opt/rnngrade`` is simulated under the root as the Dockerfile leaves it (rnngrade installed there,
the folder root-only). Where a Docker daemon answers, the image is also built and run.
"""
import json
import shutil
import subprocess

import jsonschema
import pytest

from tests.hosted.conftest import SOLUTION, buggy_source, hostile_source, run_entry
from tests.hosted.schemas_support import PL_INFO, PRAIRIELEARN

pytestmark = pytest.mark.slow
CONTAINER = "mount_namespace,network_namespace"
RELEASE_ARG = "serverFilesCourse/rnngrade/nndl-ch6"


def pl_layout(pl_dir, lib, tmp_path, files: dict, data=None):
    root = tmp_path / "root"
    grade = root / "grade"
    shutil.copytree(pl_dir / "serverFilesCourse", grade / "serverFilesCourse")
    (grade / "student").mkdir(parents=True)
    for name, content in files.items():
        p = grade / "student" / name
        p.write_bytes(content) if isinstance(content, bytes) else p.write_text(content, encoding="utf-8")
    (grade / "data").mkdir()
    data = {"params": {}, "correct_answers": {}, "submitted_answers": {"_files": []}, "format_errors": {},
            "partial_scores": {}, "score": 0, "feedback": {}, "variant_seed": 2024,
            "options": {}, "raw_submitted_answers": {}, "gradable": True} if data is None else data
    (grade / "data" / "data.json").write_text(json.dumps(data), encoding="utf-8")
    opt = root / "opt" / "rnngrade"
    shutil.copytree(lib, opt / "lib")
    opt.chmod(0o700)  # as the Dockerfile's `chmod 700 /opt/rnngrade`
    return root


def run_pl(pl_dir, root, disable="", args=(RELEASE_ARG,)):
    proc = run_entry(["sh", str(pl_dir / "image" / "rnngrade-prairielearn"), *args], root,
                     root / "opt" / "rnngrade" / "lib", disable)
    assert proc.returncode == 0, proc.stderr
    return json.loads((root / "grade" / "results" / "results.json").read_text(encoding="utf-8")), proc


def test_course_files_follow_prairielearns_formats(prairielearn_dir):
    info = json.loads((prairielearn_dir / "questions" / "nndl-ch6" / "info.json").read_text())
    jsonschema.validate(info, PL_INFO)
    opts = info["externalGradingOptions"]
    assert opts == {"enabled": True, "image": "course/rnngrade-grader:1",
                    "entrypoint": ["/usr/local/bin/rnngrade-prairielearn", RELEASE_ARG],
                    "serverFilesCourse": ["rnngrade/nndl-ch6/"], "timeout": 90}
    html = (prairielearn_dir / "questions" / "nndl-ch6" / "question.html").read_text()
    assert '<pl-file-upload file-names="nndl-ch6.ipynb"></pl-file-upload>' in html
    assert "<pl-external-grader-results></pl-external-grader-results>" in html
    release = prairielearn_dir / "serverFilesCourse" / "rnngrade" / "nndl-ch6"
    assert {p.name for p in release.iterdir()} == {"spec", "release.json", "secret.key"}
    docker = (prairielearn_dir / "image" / "Dockerfile").read_text()
    for line in docker.splitlines():
        if line.startswith("COPY "):
            for src in line.split()[1:-1]:  # every file the image copies is in the build context
                assert (prairielearn_dir / "image" / src).is_file(), src
    assert "chmod 700 /opt/rnngrade" in docker
    assert not any(p.name == "secret.key" for p in (prairielearn_dir / "image").rglob("*")), \
        "the secret must stay out of the image (images are pulled from a registry)"


def test_correct_notebook_scores_every_automatic_point(prairielearn_dir, prairielearn_lib, release, tmp_path):
    notebook = next(release.glob("*-solution.ipynb")).read_text()
    root = pl_layout(prairielearn_dir, prairielearn_lib, tmp_path, {"nndl-ch6.ipynb": notebook})
    results, proc = run_pl(prairielearn_dir, root)
    jsonschema.validate(results, PRAIRIELEARN)
    assert results["gradable"] is True
    tests = results["tests"]
    auto = [t for t in tests if not t["name"].startswith("free_")]
    assert all(t["points"] == t["max_points"] for t in auto)
    assert results["score"] == 1.0  # free answers are worth 0 here: manualPoints give theirs
    assert all(t["max_points"] == 0 for t in tests if t["name"].startswith("free_"))
    assert "graded nndl-ch6.ipynb." in results["message"]
    assert "Your hidden cases are those of this question variant." in results["output"]
    assert "as variant-2024" in proc.stdout


def test_hidden_parts_say_only_how_many_passed(prairielearn_dir, prairielearn_lib, tmp_path):
    root = pl_layout(prairielearn_dir, prairielearn_lib, tmp_path, {"hw.py": buggy_source()})
    results, _ = run_pl(prairielearn_dir, root)
    jsonschema.validate(results, PRAIRIELEARN)
    by_name = {t["name"]: t for t in results["tests"]}
    hid = by_name["gru_cell_forward: Forward pass of one GRU cell — hidden cases"]
    assert hid["points"] == 0
    assert hid["output"] == "0 of 3 hidden case(s) passed; their inputs and values stay hidden.\n"
    pub = by_name["gru_cell_forward: Forward pass of one GRU cell — public cases"]
    assert pub["points"] == 0 and "Expected" in pub["output"]
    assert 0 < results["score"] < 1


@pytest.mark.needs_layer("uid_drop", "seccomp")
def test_hostile_submission_in_a_container_like_sandbox(prairielearn_dir, prairielearn_lib, tmp_path):
    root = pl_layout(prairielearn_dir, prairielearn_lib, tmp_path, {"x.py": "placeholder"})
    (root / "grade" / "results").mkdir()
    attacks = {"secret": ("read", root / "grade" / "serverFilesCourse" / "rnngrade" / "nndl-ch6" / "secret.key"),
               "key": ("read", next((root / "opt" / "rnngrade" / "lib" / "solutions").glob("*.py"))),
               "data": ("read", root / "grade" / "data" / "data.json"),
               "results": ("write", root / "grade" / "results" / "results.json")}
    (root / "grade" / "student" / "x.py").write_text(hostile_source(attacks), encoding="utf-8")
    results, proc = run_pl(prairielearn_dir, root, CONTAINER)
    jsonschema.validate(results, PRAIRIELEARN)
    probe = next(line for line in results["output"].splitlines() if "PROBE" in line)
    for label in ("secret", "key", "data", "results", "fork", "net"):
        assert f"{label}=refused:" in probe, probe
    assert "protected by file permissions only" in proc.stdout


def test_unreadable_or_missing_files_are_not_gradable(prairielearn_dir, prairielearn_lib, tmp_path):
    root = pl_layout(prairielearn_dir, prairielearn_lib, tmp_path / "a", {"nndl-ch6.ipynb": b"\x00\xff not json"})
    results, _ = run_pl(prairielearn_dir, root)
    jsonschema.validate(results, PRAIRIELEARN)
    assert results["gradable"] is False and "score" not in results
    assert results["format_errors"] == [results["message"]] and "nndl-ch6.ipynb" in results["message"]

    root = pl_layout(prairielearn_dir, prairielearn_lib, tmp_path / "b", {})
    results, _ = run_pl(prairielearn_dir, root, args=())  # the release found on its own
    jsonschema.validate(results, PRAIRIELEARN)
    assert results["gradable"] is False
    assert results["message"] == ("No notebook (.ipynb) or Python file (.py) was found in your submission. "
                                  "Upload your completed nndl-ch6.ipynb.")


def test_the_seed_id_is_the_variants():
    from grader.hosted.prairielearn import variant_student

    assert variant_student({"variant_seed": 2024}) == "variant-2024"
    assert variant_student({}) == "variant-unknown"
    assert variant_student(None) == "variant-unknown"


def _docker_answers() -> bool:
    if shutil.which("docker") is None:
        return False
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@pytest.mark.skipif(not _docker_answers(), reason="no Docker daemon here: the image is not built (see docs/hosted.md)")
def test_the_image_builds_and_grades_a_submission(prairielearn_dir, release, tmp_path):
    tag = "rnngrade-test-grader:latest"
    subprocess.run(["docker", "build", "-t", tag, str(prairielearn_dir / "image")], check=True, timeout=1800)
    grade = tmp_path / "grade"
    shutil.copytree(prairielearn_dir / "serverFilesCourse", grade / "serverFilesCourse")
    (grade / "student").mkdir()
    shutil.copy(SOLUTION, grade / "student" / "nndl-ch6.py")
    (grade / "data").mkdir()
    (grade / "data" / "data.json").write_text(json.dumps({"variant_seed": 1}))
    subprocess.run(["docker", "run", "--rm", "--network", "none", "-v", f"{grade}:/grade", tag, RELEASE_ARG],
                   check=True, timeout=600)
    results = json.loads((grade / "results" / "results.json").read_text())
    jsonschema.validate(results, PRAIRIELEARN)
    assert results["gradable"] is True and results["score"] > 0
