"""Cost of the mistake matcher on a failing item, the way the grader calls it (``diagnose_returned``
on the failing cases' values), on the built-in assignment's cases.

The "students" are the catalogue's variants and some pairs of them, made in process. Three figures
per failing item (median and 95th percentile over the students):

- *first*: the first student of a worker process: every table (variant outputs) is built;
- *class without a release*: everyone shares the hidden cases, so the tables are built once;
- *release* (hidden cases from each student's own seed): the tables of the hidden cases are built
  for each student; the public cases' tables are shared.

Times are CPU time of this process (the machine may be shared).

    python benchmarks/bench_diagnosis.py [--pairs 40]
"""
from __future__ import annotations

import argparse
import copy
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a clone, installed or not

from assignments.spec import load_spec  # noqa: E402
from grader.diagnosis import diagnose  # noqa: E402
from grader.diagnosis.matching import same_outputs  # noqa: E402
from grader.diagnosis.variants import pairs_for, variants_for  # noqa: E402
from grader.pipeline.plan import CaseBook  # noqa: E402


def _diagnose(item_id: str, cases: list, student) -> tuple[float, bool]:
    """Seconds spent diagnosing ``student`` on ``cases``; whether the item failed at all."""
    returned = [(case, student(*copy.deepcopy(case.args))) for case in cases]
    failing = [(c, v) for c, v in returned if not same_outputs(v, c.expected, c.rtol, c.atol)]
    t0 = time.process_time()
    diagnose.diagnose_returned(item_id, failing)
    return time.process_time() - t0, bool(failing)


def _summary(seconds: list) -> str:
    ms = sorted(1000 * s for s in seconds)
    p95 = ms[min(len(ms) - 1, int(0.95 * len(ms)))]
    return f"median {statistics.median(ms):6.2f} ms, p95 {p95:7.2f} ms (n={len(ms)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=40, help="pairs of mistakes among the students")
    args = parser.parse_args()
    spec = load_spec("nndl-ch6")
    book = CaseBook(spec)
    rng = random.Random(0)
    students = []
    for item in spec.items_of("code"):
        students += [(item, v) for v in variants_for(item.id)]
        pairs = pairs_for(item.id)
        students += [(item, p) for p in rng.sample(pairs, min(len(pairs), max(1, args.pairs // 8)))]
    rng.shuffle(students)

    first, shared, personal = [], [], []
    seen_items = set()
    diagnose.clear_cache()
    for item, student in students:
        cases = book.cases(item, book.default_hidden_seed)
        seconds, failed = _diagnose(item.id, cases, student)
        if failed:
            (shared if item.id in seen_items else first).append(seconds)
            seen_items.add(item.id)
    for k, (item, student) in enumerate(students):
        cases = book.cases(item, 10_000 + k)  # this student's own hidden cases
        seconds, failed = _diagnose(item.id, cases, student)
        if failed:
            personal.append(seconds)
    print(f"{len(students)} students, one failing item each ({args.pairs} pairs of mistakes among them)")
    print(f"first student of an item      : {_summary(first)}")
    print(f"class without a release       : {_summary(shared)}")
    print(f"release (own hidden cases)    : {_summary(personal)}")
    # What a worker builds once per public case when a student needs combinations of two mistakes.
    for name in ("lstm_backward", "gru_backward", "lstm_cell_backward"):
        case = book.cases(spec.item(name), book.default_hidden_seed)[0]
        diagnose.clear_cache()
        t0 = time.process_time()
        diagnose._singles(case)
        t1 = time.process_time()
        table = diagnose._combinations(case)
        t2 = time.process_time()
        print(f"{name} ({case.label}): every variant {1000 * (t1 - t0):.0f} ms, every pair "
              f"({len(table.hypotheses)}) {1000 * (t2 - t1):.0f} ms, once per worker")


if __name__ == "__main__":
    main()
