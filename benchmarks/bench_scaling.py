"""How grading scales with the size of the class and the number of workers.

For each size N (default 100, 1,000 and 10,000) and each worker count, generates the benchmark's class
(``bench_grading.make_class``: 70 % correct, 30 % buggy, 1 % looping, every file personalised), runs
``rnngrade grade`` in a child process (reports included) and prints:

- time per submission (wall time of the CLI, start-up included), submissions per second, and the CPU
  time per submission of every process of the run (what a busy machine does not change);
- peak memory of the whole process tree, shared pages counted once: the sum of the proportional set
  sizes (``Pss`` of /proc/<pid>/smaps_rollup) of the batch process and all its descendants (grading
  workers, sandbox workers, sandboxed children, the symbolic checker), sampled every 100 ms;
  ("procs": how many processes that peak summed; "batch MiB": the batch process's own peak PSS);
- the gradebook's size, in total and per submission, and the files' size per student.

    python benchmarks/bench_scaling.py                          # N = 100, 1,000, 10,000
    python benchmarks/bench_scaling.py --sizes 100,300
    python benchmarks/bench_scaling.py --sizes 300 --workers 1,2  # throughput per worker count

Large sizes take long (10,000 submissions: several minutes and 3 GB of generated files and output):
run them on a machine nobody else is using.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_grading import ROOT, _descendants, footprint, make_class  # noqa: E402

SAMPLE_SECONDS = 0.1  # smaps_rollup makes the kernel walk a process's page tables: not too often


def pss_bytes(pid: int):
    """The proportional set size of one process, or None if it is gone or not readable."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


class TreePss:
    """Samples the PSS of a process tree until the root exits; keeps the peak of the sums."""

    def __init__(self, root: int):
        self.root = root
        self.peak = 0
        self.peak_processes = 0
        self.peak_root = 0  # the batch process alone: it holds the class's results at the end
        self.unreadable = 0
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> "TreePss":
        self._thread.start()
        return self

    def join(self) -> None:
        self._thread.join()

    def _run(self) -> None:
        while True:
            try:
                os.kill(self.root, 0)
            except OSError:
                return
            total = n = 0
            for pid in _descendants(self.root):
                value = pss_bytes(pid)
                if value is None:
                    self.unreadable += 1
                    continue
                if pid == self.root:
                    self.peak_root = max(self.peak_root, value)
                total += value
                n += 1
            if total > self.peak:
                self.peak, self.peak_processes = total, n
            time.sleep(SAMPLE_SECONDS)


def run_once(n: int, workers: int, keep: bool) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="rnngrade-scaling-"))
    subs, out = tmp / "submissions", tmp / "out"
    subs.mkdir()
    make_class(subs, n)
    cmd = [sys.executable, "-m", "grader.cli", "grade", str(subs), "--assignment", "nndl-ch6",
           "--out", str(out), "--no-progress", "--workers", str(workers)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    sampler = TreePss(proc.pid).start()
    output, _ = proc.communicate()
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # every process of the run was waited for
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    sampler.join()
    if proc.returncode != 0:
        print(output)
        raise SystemExit(f"rnngrade grade exited with {proc.returncode}")
    db, files = footprint(out)
    students = sum(1 for _ in (out / "students").iterdir())
    row = {"n": n, "workers": workers, "wall": wall, "cpu": cpu, "pss": sampler.peak,
           "processes": sampler.peak_processes, "root": sampler.peak_root,
           "db": db, "files": files / max(students, 1)}
    if keep:
        print(f"kept: {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100,1000,10000", help="comma-separated class sizes")
    ap.add_argument("--workers", default=str(os.cpu_count() or 1),
                    help="comma-separated worker counts, each run at every size (default: one per core)")
    ap.add_argument("--keep", action="store_true", help="keep the generated folders")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    worker_counts = [int(w) for w in args.workers.split(",") if w.strip()]
    print(f"{os.cpu_count()} cores; PSS sampled every {SAMPLE_SECONDS:g} s over the batch process and all "
          "its descendants")
    header = (f"{'submissions':>11} {'workers':>7} {'wall s':>8} {'ms/sub':>7} {'subs/s':>7} "
              f"{'CPU ms/sub':>10} {'peak PSS MiB':>12} {'procs':>5} {'batch MiB':>9} {'gradebook MiB':>13} "
              f"{'KB/sub':>7} {'files KB/student':>16}")
    print(header)
    rows = []
    for n in sizes:
        for w in worker_counts:
            r = run_once(n, w, args.keep)
            rows.append(r)
            print(f"{r['n']:>11} {r['workers']:>7} {r['wall']:>8.1f} {r['wall'] / r['n'] * 1000:>7.1f} "
                  f"{r['n'] / r['wall']:>7.1f} {r['cpu'] / r['n'] * 1000:>10.1f} {r['pss'] / 2**20:>12.0f} "
                  f"{r['processes']:>5} {r['root'] / 2**20:>9.0f} "
                  f"{r['db'] / 2**20:>13.2f} {r['db'] / r['n'] / 1024:>7.1f} {r['files'] / 1024:>16.1f}",
                  flush=True)
    if len(worker_counts) > 1:
        print("throughput per worker count (submissions/s):")
        for n in sizes:
            rates = {r["workers"]: r["n"] / r["wall"] for r in rows if r["n"] == n}
            base = rates[min(rates)]
            print(f"  N={n}: " + ", ".join(f"{w} worker(s) {rate:.1f}/s ({rate / base:.2f}x)"
                                           for w, rate in sorted(rates.items())))


if __name__ == "__main__":
    main()
