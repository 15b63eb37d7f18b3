"""JSON writing: the project's ``grader.core.jsonsafe.dumps`` (orjson) against the standard library.

Grades two buggy submissions of the fixed class (``tests/grader/goldens/fixed_class``) with the real
batch, then times, per call, writing what the grader writes for them: grade.json (indented, sorted
keys), results.json (indented) and the gradebook row (the stored form, one line). It also reports
whether its text is byte for byte ``json.dumps``'s, and how many floats of each payload orjson
spells differently (it writes ``0.00001``/``1e-6`` where Python writes ``1e-05``/``1e-06``).

    python benchmarks/bench_json.py [REPEATS]
"""
from __future__ import annotations

import json
import shutil
import sys
import tempfile
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SUBMISSIONS = ("s05_concat_x_first.py", "s07_no_dh_accumulation.py")


def _payloads() -> dict:
    from grader.pipeline.batch import GradeOptions, grade_batch
    from grader.store.gradebook import Gradebook
    from grader.store.stored import stored_form

    with tempfile.TemporaryDirectory() as tmp:
        subs, out = Path(tmp) / "subs", Path(tmp) / "out"
        subs.mkdir()
        for name in SUBMISSIONS:
            shutil.copy(ROOT / "tests" / "grader" / "goldens" / "fixed_class" / "submissions" / name, subs)
        grade_batch(subs, "nndl-ch6", out, options=GradeOptions(workers=1, progress=False, lang="en"))
        student = min(p.name for p in (out / "students").iterdir())
        d = out / "students" / student
        with Gradebook(out / "gradebook.sqlite") as gb:
            row = stored_form(gb.get(student).to_dict())
        return {
            "grade.json": (json.loads((d / "grade.json").read_text(encoding="utf-8")), {"indent": 2, "sort_keys": True}),
            "results.json": (json.loads((d / "results.json").read_text(encoding="utf-8")), {"indent": 2}),
            "gradebook row": (row, {}),
        }


def _floats(o):
    if type(o) is float:
        yield o
    elif isinstance(o, dict):
        for v in o.values():
            yield from _floats(v)
    elif isinstance(o, list):
        for v in o:
            yield from _floats(v)


def _stdlib(tree, kw) -> str:
    """What the grader wrote before orjson: ``json.dumps`` of the ``json_safe`` tree (the hand-written
    indented encoder it replaced wrote the same characters, faster than this)."""
    from grader.core.jsonsafe import json_safe

    return json.dumps(json_safe(tree), ensure_ascii=False, allow_nan=False, **kw)


def main(repeats: int = 200) -> None:
    import orjson

    from grader.core.jsonsafe import dumps, json_safe

    print(f"orjson {orjson.__version__}, {repeats} calls each, microseconds per call (best of 5)")
    print(f"{'payload':<14} {'bytes':>7} {'dumps':>7} {'json.dumps':>10} {'same bytes as json.dumps':>25} "
          f"{'floats spelled differently':>27}")
    for name, (tree, kw) in _payloads().items():
        ours = dumps(tree, **kw)
        odd = sum(orjson.dumps(x) != json.dumps(x).encode() for x in _floats(tree))
        n = sum(1 for _ in _floats(tree))
        same = ours == _stdlib(tree, kw)
        if not same and not kw:
            same = f"{ours == _stdlib(tree, {'separators': (',', ':')})} (no spaces)"

        def per_call(f) -> float:
            return min(timeit.repeat(f, number=repeats, repeat=5)) / repeats * 1e6

        print(f"{name:<14} {len(ours.encode()):>7} {per_call(lambda t=tree, k=kw: dumps(t, **k)):>7.0f} "
              f"{per_call(lambda t=tree, k=kw: _stdlib(t, k)):>10.0f} {same!s:>25} {f'{odd} of {n}':>27}")
        if name == "gradebook row":  # dumps reads a text with nulls back to tell NaN from None
            text = orjson.dumps(tree)
            print(f"  of which: orjson {per_call(lambda t=tree: orjson.dumps(t)):.0f}, reading back and comparing "
                  f"{per_call(lambda s=text, t=tree: orjson.loads(s) == t):.0f}; json_safe alone would take "
                  f"{per_call(lambda t=tree: json_safe(t)):.0f}")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:2]))
