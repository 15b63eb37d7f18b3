"""The grader on the rnn-step-by-step corpus: 41 notebooks in the course's style, written without the
grader (`tests/corpus/rnn_step_by_step/`, verdicts and mistake ids in `expected.json`).

All notebooks are graded once by ``grade_batch`` (the sandbox, the cache-style checks, the diagnosis,
grade.json), and per function and overall it prints:

- verdicts matched: the grader's verdict (``grader.pipeline.folder_results.verdict_of``: correct, wrong,
  error, unanswered, cache_corrupted, right_on_reference_cache) equals the corpus's;
- diagnosis recall: mistakes named / mistakes present (a name inside a group of candidates counts);
- false diagnoses: functions the corpus calls correct that got a diagnosis;
- the wall time of the batch (one worker unless ``--workers``).

    python benchmarks/bench_rnn_corpus.py [--workers 1] [--keep DIR]
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus" / "rnn_step_by_step"
FUNCTIONS = ("rnn_cell_forward", "rnn_forward", "lstm_cell_forward", "lstm_forward",
             "rnn_cell_backward", "rnn_backward", "lstm_cell_backward", "lstm_backward")


def compare(results: dict, expected: dict) -> tuple[Counter, list]:
    """Counts per function (``(fn, key)``: functions, verdicts_matched, mistakes, named, correct,
    false) and the list of disagreements, each ``(student, function, what)``."""
    from grader.pipeline.folder_results import verdict_of

    counts, misses = Counter(), []
    for name, entry in sorted(expected.items()):
        student = name[:-len(".ipynb")]
        for fn, want in entry["functions"].items():
            got = results[student][fn]
            verdict = verdict_of(got)
            counts[fn, "functions"] += 1
            if verdict == want["verdict"]:
                counts[fn, "verdicts_matched"] += 1
            else:
                misses.append((student, fn, f"verdict {verdict}, expected {want['verdict']}"))
            named = set(got["diagnoses"])
            for mistake in want["mistakes"]:
                counts[fn, "mistakes"] += 1
                if mistake in named:
                    counts[fn, "named"] += 1
                else:
                    misses.append((student, fn, f"{mistake} not named (named: {sorted(named) or 'nothing'})"))
            if want["verdict"] == "correct":
                counts[fn, "correct"] += 1
                if named:
                    counts[fn, "false"] += 1
                    misses.append((student, fn, f"correct, but named {sorted(named)}"))
    return counts, misses


def _share(a: int, b: int) -> str:
    return f"{a}/{b} = {100.0 * a / b:.1f} %" if b else "-"


def report(counts: Counter, misses: list, seconds: float, notebooks: int) -> None:
    print(f"{'function':<20} {'verdicts matched':>22} {'diagnosis recall':>22} {'false diagnoses':>18}")
    total = Counter()
    for fn in FUNCTIONS:
        for key in ("functions", "verdicts_matched", "mistakes", "named", "correct", "false"):
            total[key] += counts[fn, key]
        print(f"{fn:<20} {_share(counts[fn, 'verdicts_matched'], counts[fn, 'functions']):>22} "
              f"{_share(counts[fn, 'named'], counts[fn, 'mistakes']):>22} "
              f"{counts[fn, 'false']:>4} of {counts[fn, 'correct']:<3} correct")
    print(f"{'overall':<20} {_share(total['verdicts_matched'], total['functions']):>22} "
          f"{_share(total['named'], total['mistakes']):>22} "
          f"{total['false']:>4} of {total['correct']:<3} correct")
    print(f"\ngrading time: {seconds:.1f} s for {notebooks} notebooks ({seconds / notebooks:.2f} s each)")
    if misses:
        print("\ndisagreements:")
        for student, fn, what in misses:
            print(f"  {student} {fn}: {what}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="grade into this folder and keep it")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from grader.pipeline.folder_results import grade_folder

    expected = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
    work = Path(tempfile.mkdtemp(prefix="rnngrade-bench-rnn-corpus-"))
    try:
        subs = work / "subs"
        subs.mkdir()
        for name in expected:
            shutil.copy(CORPUS / name, subs / name)
        out = args.keep or work / "out"
        start = time.perf_counter()
        results = grade_folder(subs, "rnn-step-by-step", out, workers=args.workers, lang="en")
        seconds = time.perf_counter() - start
    finally:
        shutil.rmtree(work, ignore_errors=True)
    counts, misses = compare(results, expected)
    report(counts, misses, seconds, len(expected))


if __name__ == "__main__":
    main()
