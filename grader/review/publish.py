"""After a save: the exports of the students it touched, then the class files, from the gradebook.

One lock serialises the writers of the app (two threads must not write one student's files at the
same time: a report is written to a temporary name and renamed).
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Iterable

from grader.outputs.exports import write_class_files, write_student_files
from grader.store.gradebook import Gradebook
from grader.outputs.rerender import load_spec_for

_LOCK = threading.Lock()


def publish(out: Path, students: Iterable[str]) -> int:
    """Rewrite report.html, results.json and grade.json of ``students``, grades.csv and summary.html."""
    out = Path(out)
    students = sorted(set(students))
    if not students:
        return 0
    with _LOCK, Gradebook(out / "gradebook.sqlite") as gb:
        meta = gb.meta()
        spec = load_spec_for(meta)
        lang = meta.get("lang") or spec.default_lang
        for student in students:
            result = gb.get(student)
            if result is not None:
                write_student_files(out, result, spec, lang=lang, show_solutions=bool(meta.get("show_solutions")))
        write_class_files(out, gb.results(light=True), spec, lang=lang)
    return len(students)
