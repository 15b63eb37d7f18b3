"""``rnngrade report OUT``: re-render every export from the gradebook, without re-grading."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from assignments.spec import load_spec
from grader.core.errors import UserError
from grader.outputs.exports import write_outputs
from grader.store.gradebook import Gradebook


def load_spec_for(meta: dict):
    ref = meta.get("assignment")
    if not ref:
        raise UserError("the gradebook does not say which assignment it grades; re-run `rnngrade grade`.")
    return load_spec(ref)


def rerender(out: Path, *, show_solutions: bool = False, lang: Optional[str] = None) -> int:
    out = Path(out)
    db = out / "gradebook.sqlite"
    if not db.exists():
        raise UserError(f"{db} not found: run `rnngrade grade SUBMISSIONS --out {out}` first.")
    with Gradebook(db) as gb:
        meta = gb.meta()
        spec = load_spec_for(meta)
        # Streams: one result in memory at a time, however large the class.
        write_outputs(out, gb.stream(), spec, lang=lang or meta.get("lang") or spec.default_lang,
                      show_solutions=show_solutions, class_results=gb.stream(light=True))
        return gb.count()
