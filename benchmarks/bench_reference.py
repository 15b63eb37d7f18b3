"""Time the NumPy answer key against PyTorch on the CPU, one thread each, float64.

For each shape (n_x, n_h, m, T) it times one forward + one backward pass:

* ours, "fwd+bwd": ``lstm_forward`` then ``lstm_backward``, and the same for
  ``gru_forward``/``gru_backward``; the backward recomputes its forward (the contract's backward takes
  the forward's inputs), so this runs the forward twice;
* ours, "bwd only": ``lstm_backward`` / ``gru_backward`` alone, i.e. one forward and one backward
  pass, the same work as PyTorch's line;
* PyTorch: ``nn.LSTM`` / ``nn.GRU`` forward, then ``backward`` of Σ⟨dh, h⟩ through torch.autograd
  (gradients for the input, h0 and every parameter, like ours).

PyTorch's GRU resets after the matrix product, so our ``variant="reset_after"`` is its twin; our
default NNDL variant (reset before) is timed against the same nn.GRU for scale only. Repeats are
interleaved call by call (ours, torch, ours, torch, ...) and the ratio ours/PyTorch is reported as
the median over repeats, with the min–max range. Times are the process's CPU time by default, which a
busy machine disturbs less than elapsed time (``--clock wall`` for elapsed time).

Run: ``python benchmarks/bench_reference.py [--repeats 7] [--clock cpu|wall]``.
"""
from __future__ import annotations

import os

# One BLAS thread on our side, set before numpy loads its BLAS (threadpoolctl also pins it below when
# installed).
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from contextlib import nullcontext  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a clone, installed or not

from solutions import gru_backward, gru_forward, lstm_backward, lstm_forward  # noqa: E402

try:
    from threadpoolctl import threadpool_limits  # noqa: E402
except ImportError:  # the environment variables above already pin the BLAS
    threadpool_limits = None

SHAPES = [(64, 128, 32, 50), (8, 16, 4, 20)]   # (n_x, n_h, m, T)


def lstm_problem(n_x, n_h, m, T, rng):
    p = {k: rng.standard_normal((n_h, n_h + n_x)) * 0.3 for k in ("Wf", "Wi", "Wc", "Wo")}
    p.update({k: rng.standard_normal((n_h, 1)) * 0.3 for k in ("bf", "bi", "bc", "bo")})
    p["Wy"], p["by"] = rng.standard_normal((3, n_h)), rng.standard_normal((3, 1))
    x, h0, dh = rng.standard_normal((n_x, m, T)), rng.standard_normal((n_h, m)), rng.standard_normal((n_h, m, T))

    def ours():
        lstm_forward(x, h0, p)
        lstm_backward(dh, x, h0, p)

    def ours_backward():
        lstm_backward(dh, x, h0, p)

    net = torch.nn.LSTM(n_x, n_h, dtype=torch.float64)
    with torch.no_grad():
        order = ("Wi", "Wf", "Wc", "Wo")   # torch stacks i, f, g, o
        net.weight_ih_l0.copy_(torch.from_numpy(np.vstack([p[k][:, n_h:] for k in order])))
        net.weight_hh_l0.copy_(torch.from_numpy(np.vstack([p[k][:, :n_h] for k in order])))
        net.bias_ih_l0.copy_(torch.from_numpy(np.concatenate([p["b" + k[1]][:, 0] for k in order])))
        net.bias_hh_l0.zero_()
    xt = torch.from_numpy(np.ascontiguousarray(x.transpose(2, 1, 0)))      # (T, m, n_x)
    h0t = torch.from_numpy(np.ascontiguousarray(h0.T))[None]
    c0t = torch.zeros_like(h0t)
    dht = torch.from_numpy(np.ascontiguousarray(dh.transpose(2, 1, 0)))

    def theirs():
        xi, hi = xt.clone().requires_grad_(), h0t.clone().requires_grad_()
        net.zero_grad(set_to_none=True)
        out, _ = net(xi, (hi, c0t))
        out.backward(dht)

    return ours, ours_backward, theirs


def gru_problem(n_x, n_h, m, T, rng, variant):
    p = {k: rng.standard_normal((n_h, n_h + n_x)) * 0.3 for k in ("Wz", "Wr", "Wh")}
    p.update({k: rng.standard_normal((n_h, 1)) * 0.3 for k in ("bz", "br", "bh")})
    if variant == "reset_after":
        p["bhh"] = rng.standard_normal((n_h, 1)) * 0.3
    p["Wy"], p["by"] = rng.standard_normal((3, n_h)), rng.standard_normal((3, 1))
    x, h0, dh = rng.standard_normal((n_x, m, T)), rng.standard_normal((n_h, m)), rng.standard_normal((n_h, m, T))

    def ours():
        gru_forward(x, h0, p, variant=variant)
        gru_backward(dh, x, h0, p, variant=variant)

    def ours_backward():
        gru_backward(dh, x, h0, p, variant=variant)

    net = torch.nn.GRU(n_x, n_h, dtype=torch.float64)
    with torch.no_grad():
        order = ("Wr", "Wz", "Wh")   # torch stacks r, z, n
        net.weight_ih_l0.copy_(torch.from_numpy(np.vstack([p[k][:, n_h:] for k in order])))
        net.weight_hh_l0.copy_(torch.from_numpy(np.vstack([p[k][:, :n_h] for k in order])))
        net.bias_ih_l0.copy_(torch.from_numpy(np.concatenate([p["b" + k[1]][:, 0] for k in order])))
        net.bias_hh_l0.zero_()
        if "bhh" in p:
            net.bias_hh_l0[2 * n_h:] = torch.from_numpy(p["bhh"][:, 0])
    xt = torch.from_numpy(np.ascontiguousarray(x.transpose(2, 1, 0)))
    h0t = torch.from_numpy(np.ascontiguousarray(h0.T))[None]
    dht = torch.from_numpy(np.ascontiguousarray(dh.transpose(2, 1, 0)))

    def theirs():
        xi, hi = xt.clone().requires_grad_(), h0t.clone().requires_grad_()
        net.zero_grad(set_to_none=True)
        out, _ = net(xi, hi)
        out.backward(dht)

    return ours, ours_backward, theirs


CLOCKS = {"cpu": time.process_time, "wall": time.perf_counter}


def compare(ours, theirs, repeats: int, clock) -> dict:
    """Alternate single calls (ours, theirs, ours, theirs, ...) for ~0.2 s per repeat, summing each
    side's time, so that a burst of load elsewhere hits both sides alike; the ratio of the sums is one
    sample."""
    ours(), theirs()                                  # warm-up (allocations, torch dispatch caches)
    start = time.perf_counter()
    ours()
    theirs()
    calls = max(3, int(0.2 / max(time.perf_counter() - start, 1e-6)))
    t_ours, t_theirs, ratios = [], [], []
    for _ in range(repeats):
        a = b = 0.0
        for _ in range(calls):
            t0 = clock()
            ours()
            t1 = clock()
            theirs()
            t2 = clock()
            a += t1 - t0
            b += t2 - t1
        t_ours.append(a / calls)
        t_theirs.append(b / calls)
        ratios.append(a / b)
    return {"ours": statistics.median(t_ours), "torch": statistics.median(t_theirs),
            "ratio": statistics.median(ratios), "lo": min(ratios), "hi": max(ratios)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7, help="interleaved samples per case (>= 5)")
    parser.add_argument("--clock", choices=sorted(CLOCKS), default="cpu",
                        help="cpu: this process's CPU time (robust on a busy machine); wall: elapsed time")
    args = parser.parse_args()
    clock = CLOCKS[args.clock]
    torch.set_num_threads(1)
    limits = threadpool_limits(limits=1) if threadpool_limits else nullcontext()
    print(f"numpy {np.__version__}, torch {torch.__version__}, float64, 1 thread each "
          f"({'threadpoolctl' if threadpool_limits else 'OPENBLAS/OMP_NUM_THREADS=1'}), "
          f"{args.clock} time, median of {args.repeats} interleaved repeats")
    print(f"{'case':<44}{'ours ms':>9}{'torch ms':>10}{'ours/torch':>12}   min-max")
    with limits:
        for shape in SHAPES:
            rng = np.random.default_rng(0)
            cases = [
                ("LSTM", lstm_problem(*shape, rng)),
                ("GRU reset_after (torch twin)", gru_problem(*shape, rng, "reset_after")),
                ("GRU reset_before (NNDL)", gru_problem(*shape, rng, "reset_before")),
            ]
            print(f"(n_x, n_h, m, T) = {shape}")
            for label, (ours, ours_backward, theirs) in cases:
                torch_name = "nn.LSTM" if label == "LSTM" else "nn.GRU"
                for what, fn in (("fwd+bwd", ours), ("bwd only", ours_backward)):
                    r = compare(fn, theirs, args.repeats, clock)
                    name = f"{label} {what} vs {torch_name}"
                    print(f"  {name:<42}{r['ours'] * 1e3:9.3f}{r['torch'] * 1e3:10.3f}"
                          f"{r['ratio']:12.2f}   {r['lo']:.2f}-{r['hi']:.2f}")


if __name__ == "__main__":
    main()
