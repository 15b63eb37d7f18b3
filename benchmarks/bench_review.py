"""`rnngrade review`: how long grouping a class's answers and one save (with its re-exports) take.

Groups N answers of model-answer length (a third copies, a third with a few characters changed, a
third different) at the default threshold (0.8) and at 1.0; then, on the demo class graded by the real
batch, saves one answer and one group of ten through the store and rewrites the touched students'
exports and the class files (what the app does after each save).

    python benchmarks/bench_review.py [N]
"""
from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _ms(t0: float) -> float:
    return (time.perf_counter() - t0) * 1e3


def main(n: int = 300) -> None:
    from grader.review.groups import answer_groups, normalise

    rng = random.Random(0)
    base = Path(__file__).resolve().parent.parent.joinpath("assignments", "nndl_ch6", "solution.py") \
        .read_text(encoding="utf-8").split('free_6_1p = r"""')[1].split('"""')[0]
    words = base.split()
    answers = {}
    for k in range(n):
        if k % 3 == 0:
            text = base
        elif k % 3 == 1:
            chars = list(base)
            for _ in range(5):
                chars[rng.randrange(len(chars))] = rng.choice("abcdefgh")
            text = "".join(chars)
        else:
            text = " ".join(rng.sample(words, len(words)))
        answers[f"s{k:04d}"] = normalise(text)
    from grader.review.store import DEFAULT_THRESHOLD

    for threshold in (DEFAULT_THRESHOLD, 1.0):
        t0 = time.perf_counter()
        groups = answer_groups(answers, threshold)
        print(f"group {n} answers of {len(base)} chars at threshold {threshold}: {_ms(t0):.0f} ms, "
              f"{len(groups)} groups, largest {groups[0].size}")

    from assignments.spec import load_spec
    from grader.demos.course import run_demo
    from grader.review.publish import publish
    from grader.review.store import ReviewStore

    with tempfile.TemporaryDirectory() as tmp:
        run_demo(Path(tmp) / "demo", lang="en")
        out = Path(tmp) / "demo" / "graded"
        store = ReviewStore(out / "gradebook.sqlite")
        store.seed_rubrics(load_spec("nndl-ch6"))
        lines = [line.id for line in store.rubric("free_6_3")]
        t0 = time.perf_counter()
        result = store.save("free_6_3", {"alice": 0}, lines=lines[:2], free_points=None, comment="", note="",
                            grader="", max_points=4)
        saved = _ms(t0)
        t0 = time.perf_counter()
        publish(out, result.saved)
        print(f"save one answer: {saved:.1f} ms in the gradebook, {_ms(t0):.0f} ms re-exporting 1 student "
              f"+ class files (13 students)")
        group = ["carol", "dave", "erin", "frank", "grace", "heidi", "mallory", "oscar", "peggy", "ivan"]
        t0 = time.perf_counter()
        result = store.save("free_6_4", {s: 0 for s in group}, lines=lines[:0], free_points=2, comment="",
                            note="", grader="", max_points=4)
        saved = _ms(t0)
        t0 = time.perf_counter()
        publish(out, result.saved)
        print(f"save a group of {len(group)}: {saved:.1f} ms in the gradebook, {_ms(t0):.0f} ms re-exporting "
              f"{len(group)} students + class files")
        store.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
