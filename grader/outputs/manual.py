"""Manual grading through a CSV: export the free answers, import points and comments.

``export_manual`` writes one row per student and free item (``student, item, answer, rubric,
max_points, points, comment``); points and comments already given are filled in, so the file is
the whole manual state of those items. ``import_manual`` validates every row first and imports
nothing when any row is wrong (each error names the CSV row, counting the header as row 1, and
what to do); then it stores the points in the gradebook's manual table (which survives
re-grading) and rewrites every export. A row may also override a code or symbolic item: its
points replace the automatic ones and its comment is shown to the student.

Cells that a spreadsheet would run as a formula (starting with ``= + - @``, tab or CR) are written
with a leading apostrophe, which the import removes again.
"""
from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from pathlib import Path

from assignments.spec import load_spec
from grader.core.errors import UserError
from grader.outputs.exports import atomic_write, write_outputs
from grader.store.gradebook import LATE_ITEM, Gradebook

COLUMNS = ["student", "item", "answer", "rubric", "max_points", "points", "comment"]
REQUIRED = ("student", "item", "points", "comment")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ManualImportError(UserError):
    """Rows of a manual-grading CSV that must be fixed; ``errors`` holds one message per problem.
    With ``csv_path`` (errors in rows, not in the file as a whole) the message ends by saying that
    nothing was imported and what to do."""

    def __init__(self, errors: list[str], csv_path=None):
        self.errors = list(errors)
        lines = list(self.errors)
        if csv_path is not None:
            lines.append(f"Nothing was imported: fix the rows above in {csv_path} and run the import again.")
        super().__init__("\n".join(lines))


@dataclass
class ImportSummary:
    rows: int = 0  # data rows read
    graded: int = 0  # rows that set points (free items)
    overridden: int = 0  # rows that set points of a code or symbolic item
    comments: int = 0  # rows that set only a comment
    cleared: int = 0  # rows that removed earlier points and comment
    unchanged: int = 0  # rows equal to what the gradebook already had (or empty)

    def __str__(self) -> str:
        return (f"Imported {self.rows} row(s): {self.graded} graded, {self.overridden} override(s), "
                f"{self.comments} comment(s) only, {self.cleared} cleared, {self.unchanged} unchanged; "
                f"grades and reports rewritten.")


def guard_cell(text: str) -> str:
    """Keep a spreadsheet from running a student's text as a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def unguard_cell(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA_START) else text


def answer_cell(item) -> str:
    """The answer column of a free item: its text, then one line per attached image."""
    free = item.free or {}
    lines = [str(free.get("text") or "")]
    lines += [f"[image: {a.get('name', '')}]" for a in free.get("attachments") or []]
    return "\n".join(lines).strip()


def normalise_answer(text: str) -> str:
    """Answers compare equal across spreadsheet round trips (line endings, trailing spaces)."""
    lines = unguard_cell(text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


def parse_points(raw: str) -> tuple[float | None, str | None]:
    """``(points, None)``, ``(None, None)`` for an empty cell, or ``(None, problem)``."""
    s = (raw or "").strip()
    if not s:
        return None, None
    try:
        value = float(s)
    except ValueError:
        hint = " (use a dot as the decimal mark)" if "," in s else ""
        return None, f"points {s!r} is not a number{hint}; write a number such as 7.5, or leave the cell empty"
    if not math.isfinite(value):
        return None, f"points {s!r} is not a finite number; write a number such as 7.5"
    return value, None


def _gradebook(out_dir: Path):
    db = Path(out_dir) / "gradebook.sqlite"
    if not db.exists():
        raise UserError(f"{db} not found: run `rnngrade grade SUBMISSIONS --out {out_dir}` first.")
    return Gradebook(db)


def _load_spec(meta: dict):
    if not meta.get("assignment"):
        raise UserError("the gradebook does not say which assignment it grades; re-run `rnngrade grade`.")
    return load_spec(meta["assignment"])


def _rubric(item_spec, lang: str) -> str:
    r = item_spec.rubric or {}
    return r.get(lang) or next(iter(r.values()), "") if isinstance(r, dict) else str(r)


def _fmt_points(x) -> str:
    if x is None:
        return ""
    return f"{float(x):.6f}".rstrip("0").rstrip(".")


def export_rows(results, spec, lang: str) -> list[dict]:
    """One row per student and free item the student has a result for, sorted."""
    rows = []
    free_items = spec.items_of("free")
    for r in sorted(results, key=lambda r: r.student):
        by_id = {i.item: i for i in r.items}
        for it in free_items:
            item = by_id.get(it.id)
            if item is None:
                continue
            manual = item.manual or {}
            rows.append({
                "student": r.student, "item": it.id, "answer": answer_cell(item),
                "rubric": _rubric(it, lang), "max_points": _fmt_points(it.points),
                "points": _fmt_points(manual.get("points")), "comment": str(manual.get("comment") or ""),
            })
        late = r.late or {}
        if late.get("late"):  # a late penalty can be overridden (0 waives it) on this row
            override = late.get("override") or {}
            rows.append({
                "student": r.student, "item": LATE_ITEM,
                "answer": f"late {late.get('units')} {late.get('unit')}(s): {_fmt_points(100 * late.get('penalty', 0))}% "
                          f"off under {late.get('policy')!r}",
                "rubric": "points = the percent taken off instead (0 waives the penalty); say why in 'comment'",
                "max_points": "100", "points": _fmt_points(override.get("percent")),
                "comment": str(override.get("comment") or ""),
            })
    return rows


def write_csv(rows: list[dict], csv_path: Path) -> None:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS)
    w.writeheader()
    for row in rows:
        w.writerow({k: guard_cell(str(v)) for k, v in row.items()})

    # UTF-8 with a byte-order mark: spreadsheets then read Chinese text correctly.
    atomic_write(Path(csv_path), buf.getvalue(), encoding="utf-8-sig")


def export_manual(out_dir: Path, csv_path: Path) -> int:
    """Write the manual-grading CSV of the run in ``out_dir``; returns the number of rows."""
    with _gradebook(out_dir) as gb:
        meta = gb.meta()
        results = gb.results()
    spec = _load_spec(meta)
    rows = export_rows(results, spec, meta.get("lang") or spec.default_lang)
    write_csv(rows, csv_path)
    return len(rows)


def read_csv(csv_path: Path) -> list[dict]:
    """Rows of the CSV as dicts (cells unguarded); raises ManualImportError for an unusable file."""
    try:
        text = Path(csv_path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ManualImportError([f"{csv_path} is not UTF-8 text: save it as 'CSV UTF-8' and import again."]) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ManualImportError([
            f"{csv_path}: the header row has no column {', '.join(repr(c) for c in missing)}; start from a "
            f"file written by `rnngrade manual OUT --export FILE` and keep its header row."])
    reader.fieldnames = header
    return [{k: unguard_cell(v or "") for k, v in row.items() if k is not None} for row in reader]


@dataclass
class _Change:
    student: str
    item: str
    points: float | None
    comment: str
    kind: str  # graded | overridden | comments | cleared | unchanged


def validate_rows(rows: list[dict], results, spec) -> tuple[list[_Change], list[str]]:
    """Check every row against the gradebook's results and the spec: (changes, errors)."""
    by_student = {r.student: r for r in results}
    item_ids = [it.id for it in spec.items]
    seen: dict[tuple, int] = {}
    changes, errors = [], []
    for n, row in enumerate(rows, start=2):
        student, item_id = row.get("student", "").strip(), row.get("item", "").strip()
        comment = row.get("comment", "").strip()
        where = f"row {n}"
        if not student and not item_id and not row.get("points", "").strip() and not comment:
            continue  # a blank line a spreadsheet left behind
        if student not in by_student:
            errors.append(f"{where}: unknown student {student!r} (not in the gradebook); fix the id or delete the row.")
            continue
        if item_id == LATE_ITEM:
            change, problem = _late_override(where, student, row, by_student[student], comment)
            if problem:
                errors.append(problem)
            elif change is not None:
                if (student, item_id) in seen:
                    errors.append(f"{where}: {student} / {item_id} appears again (first on row "
                                  f"{seen[student, item_id]}); keep one row.")
                    continue
                seen[student, item_id] = n
                changes.append(change)
            continue
        if item_id not in item_ids:
            errors.append(f"{where}: unknown item {item_id!r}; the items are {', '.join(item_ids)}.")
            continue
        if (student, item_id) in seen:
            errors.append(f"{where}: {student} / {item_id} appears again (first on row {seen[student, item_id]}); "
                          f"keep one row.")
            continue
        seen[student, item_id] = n
        item_spec = spec.item(item_id)
        points, problem = parse_points(row.get("points", ""))
        if problem:
            errors.append(f"{where}: {problem}.")
            continue
        if points is not None and not 0 <= points <= float(item_spec.points):
            errors.append(f"{where}: points {_fmt_points(points)} are out of range for {item_id}: give a number "
                          f"from 0 to {_fmt_points(item_spec.points)}.")
            continue
        result = by_student[student]
        item = next((i for i in result.items if i.item == item_id), None)
        if item is None:
            errors.append(f"{where}: {student} has no graded result for {item_id} (submission status: "
                          f"{result.status}), so no points can be set; delete the row.")
            continue
        if item.kind == "free" and "answer" in row and \
                normalise_answer(row["answer"]) != normalise_answer(answer_cell(item)):
            errors.append(f"{where}: {student}'s answer to {item_id} has changed since this file was exported "
                          f"(the submission was graded again); export a fresh file with `rnngrade manual OUT "
                          f"--export FILE` and grade the new answer.")
            continue
        old = item.manual or {}
        old_points = None if old.get("points") is None else float(old["points"])
        kind = _change_kind(points, comment, old_points, str(old.get("comment") or ""),
                            "graded" if item.kind == "free" else "overridden")
        changes.append(_Change(student, item_id, points, comment, kind))
    return changes, errors


def _late_override(where: str, student: str, row: dict, result, comment: str) -> tuple:
    """A ``late_penalty`` row: points are the percent taken off instead (0 waives the penalty); a
    comment saying why is required. ``(change, None)`` or ``(None, problem)``."""
    late = result.late or {}
    points, problem = parse_points(row.get("points", ""))
    if problem:
        return None, f"{where}: {problem}."
    if not late.get("late"):
        return None, (f"{where}: {student} has no late penalty to override (the submission was not late, or "
                      f"the batch had no --deadline and --late-policy); delete the row.")
    if points is not None and not 0 <= points <= 100:
        return None, (f"{where}: {LATE_ITEM} points are the percent taken off: give a number from 0 to 100 "
                      f"(0 waives the penalty).")
    if points is not None and not comment:
        return None, f"{where}: say why the late penalty is overridden in the 'comment' column; the student sees it."
    old = late.get("override") or {}
    kind = _change_kind(points, comment, old.get("percent"), old.get("comment") or "", "overridden")
    return _Change(student, LATE_ITEM, points, comment, kind), None


def _change_kind(points, comment: str, old_points, old_comment: str, set_kind: str) -> str:
    """What a row does to what is stored: "unchanged", "cleared", "comments" (a comment without
    points) or ``set_kind`` (points given)."""
    if points == old_points and comment == old_comment:
        return "unchanged"
    if points is None:
        return "comments" if comment else "cleared"
    return set_kind


def import_manual(out_dir: Path, csv_path: Path) -> ImportSummary:
    """Validate the CSV, store its points and comments, and rewrite every export of ``out_dir``."""
    rows = read_csv(csv_path)
    with _gradebook(out_dir) as gb:
        meta = gb.meta()
        spec = _load_spec(meta)
        changes, errors = validate_rows(rows, gb.results(), spec)
        if errors:
            raise ManualImportError(errors, csv_path)
        summary = ImportSummary(rows=len(changes))
        for c in changes:
            setattr(summary, c.kind, getattr(summary, c.kind) + 1)
            if c.kind != "unchanged":
                gb.set_manual(c.student, c.item, c.points, c.comment)
        # streams: the files are written one student at a time, whatever the class size
        write_outputs(Path(out_dir), gb.stream(), spec, lang=meta.get("lang") or spec.default_lang,
                      show_solutions=bool(meta.get("show_solutions")), class_results=gb.stream(light=True))
    return summary
