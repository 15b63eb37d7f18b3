"""Is the default time limit fair to slow but honest code? Each call's time against its limit.

Grades ``slow_honest_submission.py`` (every function of nndl-ch6 written with pure Python loops over
examples, units and inputs, no vectorisation) in the real sandbox, on the assignment's public and
hidden cases, with the limits the grader gives by default (``grader/pipeline/plan.py``: max(0.25 s, the item's
or spec's floor, 200 x the answer key's time on that case)). Prints, per call, the answer key's time,
the slow submission's time (measured in the sandboxed child), the limit and the share of the limit
used, and checks that every case passes.

    python benchmarks/bench_slow_honest.py
    python benchmarks/bench_slow_honest.py --repeat 5   # the slowest of 5 runs of each call
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SUBMISSION = Path(__file__).resolve().parent / "slow_honest_submission.py"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3,
                    help="runs of the whole job; the slowest time of each call is shown")
    args = ap.parse_args()

    from assignments.spec import load_spec
    from grader.pipeline.context import answer_key_paths
    from grader.pipeline.evaluate import evaluate_code_item
    from grader.loading import load_submission
    from grader.pipeline.plan import CaseBook, call_id
    from grader.sandbox import Call, Job, SandboxPool

    spec = load_spec("nndl-ch6")
    book = CaseBook(spec)
    plans = book.plan(book.default_hidden_seed)
    loaded = load_submission(SUBMISSION)
    calls = [Call(call_id(p.item.id, c.case_id), p.item.id, list(c.args), p.timeout_of(c),
                  arg_names=list(c.arg_names)) for p in plans for c in p.cases]
    slowest: dict = {}
    with SandboxPool(workers=1, hide_paths=answer_key_paths()) as pool:
        print("isolation:", pool.isolation["summary"])
        for _ in range(max(1, args.repeat)):
            run = pool.run(Job(units=list(loaded.units), calls=calls, load_timeout=10.0))
            for cid, outcome in run.calls.items():
                slowest[cid] = max(slowest.get(cid, 0.0), outcome.seconds or 0.0)
    statuses = {p.item.id: evaluate_code_item(p, run.calls, consistency=False).status for p in plans}

    print(f"{'item':<28} {'case':<9} {'key ms':>7} {'slow ms':>8} {'limit ms':>9} {'of limit':>9}")
    worst = (0.0, "")
    total_slow = 0.0
    for p in plans:
        ref = book._reference_seconds(p.item)
        for c in p.cases:
            cid = call_id(p.item.id, c.case_id)
            seconds, limit = slowest[cid], p.timeout_of(c)
            total_slow += seconds
            share = seconds / limit
            worst = max(worst, (share, f"{p.item.id} {c.case_id} ({c.label})"))
            print(f"{p.item.id:<28} {c.case_id:<9} {ref[c.case_id] * 1000:7.2f} {seconds * 1000:8.2f} "
                  f"{limit * 1000:9.0f} {share:9.1%}")
    print(f"calls: {len(calls)}; every item passed: {all(s == 'passed' for s in statuses.values())} "
          f"({', '.join(f'{k}={v}' for k, v in statuses.items() if v != 'passed') or 'no failures'})")
    print(f"slowest call: {worst[0]:.1%} of its limit ({worst[1]}); all calls together "
          f"{total_slow * 1000:.0f} ms (slowest of {max(1, args.repeat)} runs each)")


if __name__ == "__main__":
    main()
