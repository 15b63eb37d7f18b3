"""Recall of the mistake matcher on a held-out set of student implementations, through the real grader.

``tests/corpus/heldout_diagnosis/`` holds student files written without reading ``grader/diagnosis``
(each function from scratch, in its own style), and ``labels.json``: per file and function,
``"correct"``, a list of the mistakes it makes, or ``{"mistakes": [...], "calls_buggy": [...]}`` for a
function that is right itself but calls a buggy one (its outputs then carry the callee's mistake,
which may be named there too). Every file is graded by ``grade_batch`` (the sandbox, the checks, the
diagnosis, grade.json), and the diagnoses of grade.json are compared with the labels:

- recall: mistakes named / mistakes present, per mistake and overall (a mistake on a function
  that passed every case of the grader is reported apart: nothing could name it there);
- candidate-only hits: the labelled mistake was named only as one of a group of candidates
  (``diagnosis_candidates``: mistakes the numbers cannot tell apart);
- hits beside an unlabelled mistake: another mistake was named too, labelled neither on the
  function nor on a buggy function it calls (a second reading of the same numbers, or a wrong one);
- false diagnoses: any mistake named on a function labelled correct.

    python benchmarks/bench_diagnosis_heldout.py [--workers 2] [--keep DIR]
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HELDOUT = ROOT / "tests" / "corpus" / "heldout_diagnosis"


def expected_of(label) -> tuple[str, list, list]:
    """``(kind, mistakes, called)``: kind "correct" or "buggy"; the labelled mistakes; the functions
    it calls that are buggy."""
    if label == "correct":
        return "correct", [], []
    if isinstance(label, dict):
        return "buggy", list(label.get("mistakes", [])), list(label.get("calls_buggy", []))
    return "buggy", list(label), []


def grade_heldout(out: Path, workers: int = 2) -> dict:
    """Grade every student file of the held-out set into ``out``; ``{file: grade.json items}``."""
    from grader.pipeline.batch import GradeOptions, grade_batch

    subs = out / "submissions"
    subs.mkdir(parents=True, exist_ok=True)
    labels = json.loads((HELDOUT / "labels.json").read_text(encoding="utf-8"))
    for name in labels:
        shutil.copy(HELDOUT / name, subs / name)
    grade_batch(subs, "nndl-ch6", out / "graded", options=GradeOptions(workers=workers, progress=False, lang="en"))
    graded = {}
    for name in labels:
        path = out / "graded" / "students" / Path(name).stem / "grade.json"
        graded[name] = json.loads(path.read_text(encoding="utf-8"))["items"]
    return graded


def score(labels: dict, graded: dict) -> dict:
    """Counts and the rows behind them (see the module docstring)."""
    present, named, among, candidate = Counter(), Counter(), Counter(), Counter()
    invisible, rows, false, extra = [], [], [], []
    correct_functions = 0
    for name, functions in labels.items():
        items = graded[name]
        for function, label in functions.items():
            kind, mistakes, called = expected_of(label)
            item = items.get(function, {})
            found = list(item.get("diagnoses", []))
            in_groups = {m for group in item.get("diagnosis_candidates", []) for m in group}
            status = item.get("status", "missing")
            if kind == "correct":
                correct_functions += 1
                if found:
                    false.append((name, function, found))
                continue
            allowed = set(mistakes)
            for callee in called:
                allowed |= set(expected_of(functions.get(callee, []))[1])
            others = [m for m in found if m not in allowed]
            if others:
                extra.append((name, function, others))
            for m in mistakes:
                if status == "passed":
                    invisible.append((name, function, m))
                    continue
                present[m] += 1
                hit = m in found
                named[m] += hit
                among[m] += hit and bool(others)
                candidate[m] += hit and m in in_groups
                rows.append((name, function, m, hit, status, found))
    return {"present": present, "named": named, "among": among, "candidate": candidate,
            "invisible": invisible, "rows": rows,
            "false": false, "extra": extra, "correct_functions": correct_functions}


def report(s: dict) -> str:
    lines = [f"{'mistake':30} {'named':>6} {'present':>8}  {'as candidate':>12}  {'beside unlabelled':>17}"]
    for m in sorted(s["present"]):
        lines.append(f"{m:30} {s['named'][m]:6d} {s['present'][m]:8d}  {s['candidate'][m]:12d}  {s['among'][m]:17d}")
    total, hits = sum(s["present"].values()), sum(s["named"].values())
    lines.append(f"recall: {hits}/{total} = {100.0 * hits / max(total, 1):.1f} % of the mistakes present; "
                 f"candidate-only hits: {sum(s['candidate'].values())}; hits beside an unlabelled mistake: "
                 f"{sum(s['among'].values())}")
    lines.append(f"false diagnoses on correct functions: {len(s['false'])} of {s['correct_functions']}")
    for name, function, found in s["false"]:
        lines.append(f"  FALSE {name} {function}: {found}")
    for name, function, m, hit, status, found in s["rows"]:
        if not hit:
            lines.append(f"  MISSED {name} {function}: {m} ({status}; named {found})")
    for name, function, others in s["extra"]:
        lines.append(f"  also named {name} {function}: {others}")
    for name, function, m in s["invisible"]:
        lines.append(f"  not visible on the grader's cases (function passed): {name} {function}: {m}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="grade into this folder and keep it")
    args = parser.parse_args()
    labels = json.loads((HELDOUT / "labels.json").read_text(encoding="utf-8"))
    if args.keep:
        graded = grade_heldout(args.keep, args.workers)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            graded = grade_heldout(Path(tmp), args.workers)
    files = len(labels)
    functions = sum(len(f) for f in labels.values())
    print(f"{files} student files, {functions} labelled functions")
    print(report(score(labels, graded)))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
