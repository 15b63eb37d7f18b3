"""Grading throughput of the real CLI, end to end, on a generated class.

Generates N submissions of the full nndl-ch6 assignment (70 % correct, 30 % with one of eight known
bugs, 1 % with an infinite loop in one function; every file made the student's own, see
``personalise``), runs ``rnngrade grade`` in a child process (reports included), and prints
submissions per second, seconds per submission, the CPU time of the whole run and the peak memory
of the grader's whole process tree (sampled every 20 ms from /proc).

    python benchmarks/bench_grading.py                  # N = 300
    python benchmarks/bench_grading.py --n 1000
    python benchmarks/bench_grading.py --timeout 1      # the old 1 s limit, for comparison
"""
from __future__ import annotations

import argparse
import os
import random
import resource
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


SIGMOIDS = ("0.5 * (1.0 + np.tanh(0.5 * x))", "np.exp(-np.logaddexp(0.0, -x))",
            "1.0 / (1.0 + np.exp(-np.clip(x, -500.0, 500.0)))")


def personalise(source: str, k: int, rng: random.Random) -> str:
    """Make student k's file their own, as real classes are: a comment of theirs in every function
    (so no two files share the text of a function: the grader's parse caches are of no help) and
    one of three ways to write the sigmoid (so correct answers differ in their last bits, as
    independent implementations do: the caches of checked values only help within a group)."""
    spelling = rng.choice(SIGMOIDS)
    out = []
    for line in source.splitlines(keepends=True):
        if line.startswith("    return 0.5 * (1.0 + np.tanh(0.5 * x))"):
            line = f"    return {spelling}\n"
        out.append(line)
        if line.startswith("def ") and line.rstrip().endswith(":"):
            out.append(f"    # student {k}: {line[4:line.index('(')]} as I understood it\n")
    return "".join(out)


def make_class(folder: Path, n: int, seed: int = 0) -> dict:
    from grader.diagnosis.submissions import buggy_submission_source

    base = (ROOT / "assignments" / "nndl_ch6" / "solution.py").read_text(encoding="utf-8")
    assert "    return 0.5 * (1.0 + np.tanh(0.5 * x))" in base  # the sigmoid personalise varies
    rng = random.Random(seed)
    counts = {"correct": 0, "buggy": 0, "infinite_loop": 0}
    n_loop = max(1, n // 100)
    for k in range(n):
        if k < n_loop:
            src, kind = base + LOOP, "infinite_loop"
        elif rng.random() < 0.7:
            src, kind = base, "correct"
        else:
            src, kind = buggy_submission_source(rng.choice(BUGS), base), "buggy"
        counts[kind] += 1
        (folder / f"s{k:05d}.py").write_text(personalise(src, k, rng), encoding="utf-8")
    return counts


def make_fixed_class(folder: Path, seed: int = 15) -> list:
    """A small class that exercises every path of the benchmark's class, the same every time: one
    submission with an infinite loop, three correct ones and one per known bug (twelve in all), each
    made its student's own by :func:`personalise` with a fixed seed. Returns the kinds, in order."""
    from grader.diagnosis.submissions import buggy_submission_source

    base = (ROOT / "assignments" / "nndl_ch6" / "solution.py").read_text(encoding="utf-8")
    rng = random.Random(seed)
    kinds = ["infinite_loop", "correct", "correct", "correct", *BUGS]
    for k, kind in enumerate(kinds):
        if kind == "infinite_loop":
            src = base + LOOP
        elif kind == "correct":
            src = base
        else:
            src = buggy_submission_source(kind, base)
        (folder / f"s{k:02d}_{kind}.py").write_text(personalise(src, k, rng), encoding="utf-8")
    return kinds


def _descendants(pid: int) -> list:
    """pid and every process below it, found through /proc/<pid>/task/<tid>/children (a few reads
    per process, not a scan of all of /proc: the sampler must not steal CPU from the grader)."""
    out, stack = [], [pid]
    while stack:
        q = stack.pop()
        out.append(q)
        try:
            for tid in os.listdir(f"/proc/{q}/task"):
                with open(f"/proc/{q}/task/{tid}/children") as f:
                    stack.extend(int(c) for c in f.read().split())
        except OSError:
            pass
    return out


def _tree_rss(pids: list) -> int:
    """Resident memory of these processes (a process and its descendants), in bytes."""
    total = 0
    for q in pids:
        try:
            with open(f"/proc/{q}/statm") as f:
                total += int(f.read().split()[1]) * PAGE
        except OSError:
            pass
    return total


PAGE = os.sysconf("SC_PAGE_SIZE")
TICK = os.sysconf("SC_CLK_TCK")
ROLES = ("sandboxed children", "sandbox workers", "grading workers", "batch process", "symbolic checker")
# the infinite loops run in sandboxed children: each costs its function's time limit (0.25 s)


class CpuByRole:
    """CPU seconds per kind of process of the run, from the last sample of each process's
    /proc/<pid>/stat. A sandboxed child lives ~20 ms: it is counted through its sandbox worker's
    "children" times (utime+stime of the children it reaped), not sampled itself."""

    def __init__(self, root: int):
        self.root = root
        self.roles: dict = {}  # pid -> role
        self.last: dict = {}  # pid -> (own seconds, reaped children's seconds)

    def _role(self, pid: int, ppid: int) -> str:
        if pid == self.root:
            return "batch process"
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read()
        except OSError:
            return ""
        if b"zygote.py" in cmd:
            return "sandboxed children" if self.roles.get(ppid) == "sandbox workers" else "sandbox workers"
        if b"grader.symbolic.worker" in cmd:
            return "symbolic checker"
        return "grading workers"

    def sample(self, pids: list) -> None:
        for pid in pids:
            try:
                with open(f"/proc/{pid}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            # A process seen between its fork and its exec still shows its parent's command line:
            # until it is known as something else, look again.
            if self.roles.get(pid, "grading workers") == "grading workers":
                self.roles[pid] = self._role(pid, int(fields[1]))
            ut, st, cut, cst = (int(v) / TICK for v in fields[11:15])
            self.last[pid] = (ut + st, cut + cst)

    def totals(self) -> dict:
        out = dict.fromkeys(ROLES, 0.0)
        for pid, (own, reaped) in self.last.items():
            role = self.roles.get(pid, "")
            if role == "sandbox workers":
                out["sandboxed children"] += reaped
            if role in out and role != "sandboxed children":
                out[role] += own
        return out


def footprint(out: Path) -> tuple:
    """(bytes of the gradebook, WAL included; bytes of the files under students/) of a run's OUT."""
    db = sum(p.stat().st_size for p in out.glob("gradebook.sqlite*"))
    files = sum(p.stat().st_size for p in (out / "students").rglob("*") if p.is_file())
    return db, files


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--workers", type=int, default=0)
    ap.add_argument("--timeout", type=float, default=None,
                    help="the per-call time limit passed to rnngrade grade (default: the grader's, 0.25 s here)")
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
    if args.timeout:
        cmd += ["--timeout", str(args.timeout)]
    peak = [0]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    by_role = CpuByRole(proc.pid)

    def sample():
        while proc.poll() is None:
            pids = _descendants(proc.pid)
            peak[0] = max(peak[0], _tree_rss(pids))
            by_role.sample(pids)
            time.sleep(0.02)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    output, _ = proc.communicate()
    wall = time.perf_counter() - t0
    th.join()
    # Every process of the run was waited for by its parent, up to the grader: its CPU time is in
    # this process's children's total (the sandboxed children and the checking processes included).
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime
    if proc.returncode != 0:
        print(output)
        raise SystemExit(f"rnngrade grade exited with {proc.returncode}")
    rows = len(list((out / "students").iterdir()))
    print(f"class: {args.n} submissions ({counts['correct']} correct, {counts['buggy']} buggy, "
          f"{counts['infinite_loop']} with an infinite loop), workers={args.workers or os.cpu_count()}")
    print(f"rows written: {rows} (report.html, results.json, grade.json each)")
    print(f"wall time: {wall:.2f} s (interpreter start and spec loading included)")
    print(f"throughput: {args.n / wall:.1f} submissions/s, {wall / args.n * 1000:.1f} ms per submission")
    print(f"CPU time of the whole run: {cpu:.1f} s, {cpu / args.n * 1000:.1f} ms per submission "
          f"(on {os.cpu_count()} cores the CPU bound is {os.cpu_count() * args.n / cpu:.1f} submissions/s)")
    roles = by_role.totals()
    print("CPU per submission by kind of process (sampled every 20 ms):")
    for role in ROLES:
        print(f"  {role:<20} {roles[role] / args.n * 1000:6.1f} ms")
        if role == "sandboxed children":
            limit = args.timeout or 0.25  # nndl-ch6's default: its answer key is far below 1.25 ms
            print(f"    of which the {counts['infinite_loop']} infinite loops, at their {limit:g} s limit: "
                  f"{counts['infinite_loop'] * limit / args.n * 1000:.1f} ms")
    rest = cpu - sum(roles.values())
    print(f"  {'not sampled':<20} {rest / args.n * 1000:6.1f} ms (after a process's last sample)")
    print(f"peak memory of the grader's process tree: {peak[0] / 2**20:.0f} MiB")
    db, files = footprint(out)
    print(f"gradebook: {db / args.n / 1024:.1f} KB per submission ({db / 2**20:.1f} MiB); "
          f"files: {files / rows / 1024:.1f} KB per student (report.html, results.json, grade.json)")
    print("grader's own summary:")
    print("  " + "\n  ".join(line for line in output.splitlines() if line.strip()))
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)
    else:
        print(f"kept: {tmp}")


if __name__ == "__main__":
    main()
