"""Grading throughput of the real CLI, end to end, on a generated class.

Generates N submissions of the full nndl-ch6 assignment (mostly correct, some with a known bug, 1 %
with an infinite loop in one function), runs ``rnngrade grade`` in a child process (reports
included), and prints submissions per second, seconds per submission and the peak memory of the
grader's whole process tree (sampled every 20 ms from /proc).

    python benchmarks/bench_grading.py            # N = 300
    python benchmarks/bench_grading.py --n 1000
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BUGS = ["no_dc_carry", "concat_x_first", "gru_z_swapped", "no_dh_accumulation", "clip_per_tensor",
        "residual_missing_identity", "h0_zeros", "no_tanh_on_c"]
LOOP = "\n\ndef gru_forward(x, h0, parameters):\n    while True:\n        pass\n"


def make_class(folder: Path, n: int, seed: int = 0) -> dict:
    from grader.diagnosis.submissions import buggy_submission_source

    base = (ROOT / "assignments" / "nndl_ch6" / "solution.py").read_text(encoding="utf-8")
    rng = random.Random(seed)
    counts = {"correct": 0, "buggy": 0, "infinite_loop": 0}
    n_loop = max(1, n // 100)
    for k in range(n):
        if k < n_loop:
            src, kind = base + LOOP, "infinite_loop"
        elif rng.random() < 0.7:
            # Students differ in their symbolic answers' spelling too: vary whitespace so the
            # symbolic cache is exercised as it is in a real class.
            src, kind = base + f"\n# student {k}\n", "correct"
        else:
            src, kind = buggy_submission_source(rng.choice(BUGS), base), "buggy"
        counts[kind] += 1
        (folder / f"s{k:05d}.py").write_text(src, encoding="utf-8")
    return counts


def _tree_rss(pid: int) -> int:
    """Resident memory of pid and all its descendants, in bytes."""
    children: dict = {}
    for p in os.listdir("/proc"):
        if not p.isdigit():
            continue
        try:
            with open(f"/proc/{p}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(p))
        except (OSError, ValueError, IndexError):
            pass
    total, stack = 0, [pid]
    while stack:
        q = stack.pop()
        try:
            with open(f"/proc/{q}/statm") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            pass
        stack.extend(children.get(q, []))
    return total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--workers", type=int, default=0)
    ap.add_argument("--keep", action="store_true", help="keep the generated folder")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="rnngrade-bench-"))
    subs, out = tmp / "submissions", tmp / "out"
    subs.mkdir()
    counts = make_class(subs, args.n)
    cmd = [sys.executable, "-m", "grader.cli", "grade", str(subs), "--assignment", "nndl-ch6",
           "--out", str(out), "--no-progress"]
    if args.workers:
        cmd += ["--workers", str(args.workers)]
    peak = [0]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def sample():
        while proc.poll() is None:
            peak[0] = max(peak[0], _tree_rss(proc.pid))
            time.sleep(0.02)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    output, _ = proc.communicate()
    wall = time.perf_counter() - t0
    th.join()
    if proc.returncode != 0:
        print(output)
        raise SystemExit(f"rnngrade grade exited with {proc.returncode}")
    rows = len(list((out / "students").iterdir()))
    print(f"class: {args.n} submissions ({counts['correct']} correct, {counts['buggy']} buggy, "
          f"{counts['infinite_loop']} with an infinite loop), workers={args.workers or os.cpu_count()}")
    print(f"rows written: {rows} (report.html, results.json, grade.json each)")
    print(f"wall time: {wall:.2f} s (interpreter start and spec loading included)")
    print(f"throughput: {args.n / wall:.1f} submissions/s, {wall / args.n * 1000:.1f} ms per submission")
    print(f"peak memory of the grader's process tree: {peak[0] / 2**20:.0f} MiB")
    print("grader's own summary:")
    print("  " + "\n  ".join(l for l in output.splitlines() if l.strip()))
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)
    else:
        print(f"kept: {tmp}")


if __name__ == "__main__":
    main()
