"""The hosted graders' costs: building the Gradescope zip, and one run of its run_autograder.

Makes a release of nndl-ch6 with a two-student roster, builds the zip with the real CLI, unpacks it
into a simulated /autograder (rnngrade installed from the zip's wheel with ``pip --target``), and
runs ``run_autograder`` on the reference solution N times, printing the zip's size, the build time
and the wall time per run (a fresh interpreter, sandbox start, SymPy, grading, results.json: what
Gradescope's container pays per submission, less its own start-up).

    python benchmarks/bench_hosted.py            # N = 3
    python benchmarks/bench_hosted.py --n 5 --container   # namespaces off, as in a host's container
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=3)
    ap.add_argument("--container", action="store_true", help="mount and network namespaces off")
    args = ap.parse_args()
    from assignments.release import assign

    with tempfile.TemporaryDirectory(prefix="bench-hosted-") as tmp:
        tmp = Path(tmp)
        (tmp / "roster.csv").write_text("student,email\nalice,alice@uni.edu\nbob,bob@uni.edu\n", encoding="utf-8")
        assign("nndl-ch6", tmp / "rel", roster=tmp / "roster.csv", lang="en")
        cli = [sys.executable, "-c", "from grader.cli import main; main()"]
        t0 = time.perf_counter()
        subprocess.run([*cli, "autograder", "gradescope", "--release", str(tmp / "rel" / "instructor"),
                        "--out", str(tmp / "autograder.zip")], check=True, cwd=ROOT, capture_output=True)
        build = time.perf_counter() - t0
        size = (tmp / "autograder.zip").stat().st_size
        template = tmp / "template" / "autograder"
        (template / "source").mkdir(parents=True)
        with zipfile.ZipFile(tmp / "autograder.zip") as z:
            z.extractall(template / "source")
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target",
                        str(template / "rnngrade-lib"), str(next((template / "source").glob("*.whl")))],
                       check=True, capture_output=True)
        print(f"zip: {size / 1e6:.2f} MB, built in {build:.1f} s")
        env = dict(os.environ, RNNGRADE_PYTHON=sys.executable,
                   RNNGRADE_SANDBOX_DISABLE="mount_namespace,network_namespace" if args.container else "")
        for k in range(args.n):
            root = tmp / f"run{k}"
            shutil.copytree(tmp / "template", root)
            (root / "autograder" / "submission").mkdir()
            shutil.copy(ROOT / "assignments" / "nndl_ch6" / "solution.py", root / "autograder" / "submission")
            (root / "autograder" / "submission_metadata.json").write_text(
                '{"users": [{"email": "alice@uni.edu", "id": 1, "name": "Alice"}]}', encoding="utf-8")
            env.update(RNNGRADE_HOST_ROOT=str(root), PYTHONPATH=str(root / "autograder" / "rnngrade-lib"))
            t0 = time.perf_counter()
            subprocess.run(["bash", str(root / "autograder" / "source" / "run_autograder")], env=env, check=True,
                           capture_output=True)
            print(f"run_autograder #{k + 1}: {time.perf_counter() - t0:.2f} s wall")


if __name__ == "__main__":
    main()
