"""Throughput of the sandbox: jobs per second for a typical correct submission.

A job is: fork a confined child, load 6 units (a GRU written the usual way), run 100 small calls
(n_x=3, n_h=5, m=10, T=4) and send every result back. Prints the median job time with one thread
and the jobs/s with two workers fed by two threads.

    python benchmarks/bench_sandbox.py [--jobs 200]
"""
from __future__ import annotations

import argparse
import os
import statistics
import threading
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a clone, installed or not

from grader.loading.units import CodeUnit  # noqa: E402
from grader.sandbox import Call, Job, Limits, SandboxPool  # noqa: E402

CELLS = [
    "import numpy as np",
    "def sigmoid(x):\n    return 1 / (1 + np.exp(-x))",
    "def softmax(x):\n    e = np.exp(x - x.max(axis=0, keepdims=True))\n    return e / e.sum(axis=0)",
    "def gru_cell_forward(xt, h_prev, parameters):\n"
    "    p = parameters\n"
    "    concat = np.concatenate([h_prev, xt])\n"
    "    z = sigmoid(p['Wz'] @ concat + p['bz'])\n"
    "    r = sigmoid(p['Wr'] @ concat + p['br'])\n"
    "    h_tilde = np.tanh(p['Wh'] @ np.concatenate([r * h_prev, xt]) + p['bh'])\n"
    "    h_next = z * h_prev + (1 - z) * h_tilde\n"
    "    return h_next, softmax(p['Wy'] @ h_next + p['by'])",
    "def gru_forward(x, h0, parameters):\n"
    "    n_x, m, T = x.shape\n"
    "    n_y, n_h = parameters['Wy'].shape\n"
    "    h = np.zeros((n_h, m, T)); y = np.zeros((n_y, m, T)); h_t = h0\n"
    "    for t in range(T):\n"
    "        h_t, y[:, :, t] = gru_cell_forward(x[:, :, t], h_t, parameters)\n"
    "        h[:, :, t] = h_t\n"
    "    return h, y",
    "print('loaded')",
]


def make_job(rng: np.random.Generator, n_calls: int = 100) -> Job:
    n_x, n_h, n_y, m, T = 3, 5, 2, 10, 4
    params = {k: rng.standard_normal((n_h, n_h + n_x)) for k in ("Wz", "Wr", "Wh")}
    params.update({k: rng.standard_normal((n_h, 1)) for k in ("bz", "br", "bh")})
    params.update(Wy=rng.standard_normal((n_y, n_h)), by=rng.standard_normal((n_y, 1)))
    calls = []
    for k in range(n_calls):
        if k % 2:
            args = [rng.standard_normal((n_x, m, T)), rng.standard_normal((n_h, m)), params]
            calls.append(Call(f"c{k}", "gru_forward", args, 1.0, ("x", "h0", "parameters")))
        else:
            args = [rng.standard_normal((n_x, m)), rng.standard_normal((n_h, m)), params]
            calls.append(Call(f"c{k}", "gru_cell_forward", args, 1.0, ("xt", "h_prev", "parameters")))
    units = [CodeUnit(f"cell {i + 1}", src, i, 1) for i, src in enumerate(CELLS)]
    return Job(units, calls, load_timeout=5.0)


def cpu_seconds(pool: SandboxPool) -> float:
    """CPU used so far by this process, the pool's workers and their reaped children."""
    tick = os.sysconf("SC_CLK_TCK")
    own = os.times()
    total = own.user + own.system
    for slot in pool.slots:
        with open(f"/proc/{slot.proc.pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        total += sum(int(v) for v in fields[11:15]) / tick  # utime stime cutime cstime
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=200)
    args = parser.parse_args()
    job = make_job(np.random.default_rng(0))
    with SandboxPool(workers=2, limits=Limits()) as pool:
        print("isolation:", pool.isolation["summary"])
        result = pool.run(job)
        assert all(c.status == "ok" for c in result.calls.values()), result.calls
        for _ in range(10):
            pool.run(job)
        times = []
        for _ in range(max(args.jobs // 4, 10)):
            start = time.perf_counter()
            pool.run(job)
            times.append(time.perf_counter() - start)
        print(f"one thread: median {statistics.median(times) * 1000:.1f} ms per job "
              f"(100 calls; min {min(times) * 1000:.1f} ms)")
        # CPU time does not depend on what else the machine runs: grader + workers + children.
        cpu0 = cpu_seconds(pool)
        for _ in range(20):
            pool.run(job)
        cpu_ms = (cpu_seconds(pool) - cpu0) / 20 * 1000
        print(f"CPU per job: {cpu_ms:.1f} ms (grader, worker and sandboxed child together)")

        def feed(n: int) -> None:
            for _ in range(n):
                pool.run(job)

        threads = [threading.Thread(target=feed, args=(args.jobs // 2,)) for _ in range(2)]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - start
        print(f"two workers: {args.jobs / elapsed:.0f} jobs/s ({args.jobs} jobs in {elapsed:.2f} s)")


if __name__ == "__main__":
    main()
