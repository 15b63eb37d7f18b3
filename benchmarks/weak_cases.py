"""Weak cases of an assignment: the cases on which a single-mistake buggy variant of a function
passes (every output within the case's tolerance), so that a student who made that mistake gets the
case's points. A report, not a benchmark: it prints, per function, case and variant, on how many of
the student seeds the case was weak (public cases: the same for every student, "1/1").

    python benchmarks/weak_cases.py [ASSIGNMENT] [--seeds 300]

``rnn-step-by-step`` must print no weak case (tests/assignments/test_case_discrimination.py asserts it);
``nndl-ch6``'s cases are kept as they are (its fixed-class goldens depend on them), so this lists theirs.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assignments.spec import load_spec  # noqa: E402
from grader.pipeline.discrimination import undetected_in  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("assignment", nargs="?", default="nndl-ch6")
    ap.add_argument("--seeds", type=int, default=300, help="student hidden seeds to draw (0 .. N-1)")
    args = ap.parse_args(argv)
    spec = load_spec(args.assignment)
    t0 = time.perf_counter()
    total = 0
    print(f"{spec.name}: single-mistake variants that pass a case ({args.seeds} hidden seeds)")
    print(f"{'function':28} {'case':9} {'shape':28} {'variant':40} weak on")
    for item in spec.items_of("code"):
        counts = Counter()
        for u in undetected_in(spec, item, range(args.seeds)):
            counts[(u.case_id.split("@")[0], u.label, u.bug)] += 1
        for (case_id, label, bug), n in sorted(counts.items()):
            of = 1 if case_id.startswith("public") else args.seeds
            print(f"{item.id:28} {case_id:9} {label:28} {bug:40} {n}/{of}")
        total += len(counts)
    print(f"{total} weak (function, case, variant) triples; {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
