"""A notebook's cells as a submission: code cells become units ("Run All" order), tagged markdown
cells become free answers, string literals assigned to ``answer_*`` are read statically."""
from __future__ import annotations

import re
from typing import Optional

from grader.loading import images
from grader.loading.answers import StaticAnswers
from grader.loading.trees import cached_tree
from grader.loading.code_notes import read_answers, strip_with_notes
from grader.loading.magics import PYTHON_BODY_CELL_MAGICS, cell_magic
from grader.loading.notebook_read import Cell, NotebookContent
from grader.core.places import place
from grader.loading.units import CodeUnit, FreeAnswer, LoadedSubmission
from msgcat import message

CHECK_TAG = "rnngrade-check"  # cells the template adds to run the local checks; never graded
FREE_PREFIX = "free_"


def notebook_submission(content: NotebookContent) -> LoadedSubmission:
    """Build the submission (path and hash are filled in by the caller)."""
    notes = list(content.notes)
    units: list[CodeUnit] = []
    collector = StaticAnswers(notes)
    free = _FreeAnswers()
    for cell in content.cells:
        label = f"cell {cell.index + 1}"
        free_tags = [t for t in cell.tags if t.startswith(FREE_PREFIX)]
        if cell.cell_type == "code":
            if CHECK_TAG in cell.tags:
                continue
            if free_tags:
                notes.append(message("note.free_code_cell", label=place(cell=cell.index + 1), tags=", ".join(free_tags)))
                free.add(free_tags, cell, notes)
                continue
            unit = _code_unit(cell, label, notes, collector)
            if unit is not None:
                units.append(unit)
        elif free_tags:
            free.add(free_tags, cell, notes)

    answers_free = free.answers()
    for name, text in collector.free_strings.items():
        answers_free.setdefault(name, FreeAnswer(text=text))
    return LoadedSubmission(
        path=None, kind="notebook", units=units, answers=dict(collector.answers),
        free=answers_free, notes=notes, error=None,
        release_version=_release_version(content.metadata))


def _code_unit(cell: Cell, label: str, notes: list, collector: StaticAnswers) -> Optional[CodeUnit]:
    magic = cell_magic(cell.source)
    if magic is not None and magic not in PYTHON_BODY_CELL_MAGICS:
        notes.append(message("note.cell_skipped", label=place(cell=cell.index + 1), magic=magic))
        return None
    source, magic_notes = strip_with_notes(cell.source, lambda n: place(cell=cell.index + 1, line=n))
    notes.extend(magic_notes)
    if not source.strip():
        return None
    try:
        tree = cached_tree(source)  # a template cell is the same text for every student
    except (RecursionError, MemoryError):
        tree = None
    read_answers(source, tree, collector, lambda _line: place(cell=cell.index + 1), label)
    return CodeUnit(label=label, source=source, cell_index=cell.index, first_line=1, tree=tree)


def _release_version(metadata: dict) -> Optional[str]:
    block = metadata.get("rnngrade")
    version = block.get("version") if isinstance(block, dict) else None
    if isinstance(version, (str, int, float)) and not isinstance(version, bool):
        return str(version)
    return None


class _FreeAnswers:
    """Text and images of the cells tagged with each free item id, joined in cell order."""

    def __init__(self) -> None:
        self.texts: dict[str, list[str]] = {}
        self.images: dict[str, list[dict]] = {}

    def add(self, item_ids: list, cell: Cell, notes: list) -> None:
        for item_id in item_ids:
            used = {img["name"] for img in self.images.setdefault(item_id, [])}
            text, kept = _cell_images(cell, used, notes, report=item_id == item_ids[0])
            self.texts.setdefault(item_id, []).append(text)
            self.images[item_id].extend(kept)

    def answers(self) -> dict:
        return {item_id: FreeAnswer(text="\n\n".join(texts).strip("\n"),
                                    attachments=self.images[item_id])
                for item_id, texts in self.texts.items()}


def _cell_images(cell: Cell, used: set, notes: list, report: bool) -> tuple[str, list]:
    """The cell's text with its images as ``attachment:<name>`` references, and the kept images.

    Names are made unique within the answer (Jupyter names every pasted image ``image.png``), and
    the text's references follow the renaming. ``report`` is False for the second and later item
    ids of a cell with several tags, so that each problem is noted once.
    """
    where = place(cell=cell.index + 1)
    text = cell.source
    kept: list[dict] = []

    def keep(image: dict) -> str:
        name = _unique_name(image["name"], used)
        used.add(name)
        kept.append({**image, "name": name})
        return name

    for name, bundle in cell.attachments.items():
        if not isinstance(bundle, dict) or not bundle:
            continue
        mime = next((m for m in images.ALLOWED_MIMES if m in bundle), next(iter(bundle)))
        image, why = images.check_image(str(name), str(mime), bundle[mime])
        if image is None:
            if report:
                notes.append(message("note.at", label=where, text=why))
            continue
        new_name = keep(image)
        if new_name != name:
            text = text.replace(f"attachment:{name}", f"attachment:{new_name}")

    def inline(match: re.Match) -> str:
        mime = match.group(1)
        candidate = f"image-{len(used) + 1}.{images.extension(mime)}"
        image, why = images.check_image(candidate, mime, match.group(2))
        if image is None:
            if report and mime not in images.ALLOWED_MIMES:
                why = message("note.image_inline_type", mime=mime)
            if report:
                notes.append(message("note.at", label=where, text=why))
            return "removed-image"
        return f"attachment:{keep(image)}"

    text = images.DATA_URI.sub(inline, text)
    return text, kept


def _unique_name(name: str, used: set) -> str:
    if name not in used:
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    k = 2
    while f"{stem}-{k}{dot}{ext}" in used:
        k += 1
    return f"{stem}-{k}{dot}{ext}"
