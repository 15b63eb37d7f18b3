"""Notebook generation: the student notebook (stubs) and the solution notebook (filled in).

    student_notebook(spec, lang)   RenderStatements → AddCodeItems → AddSymbolicItems → AddFreeItems
                                   → AddHowToCheck → StampVersion
    solution_notebook(spec, lang)  the same, then FillSolutions → MarkSolution → AddDerivationAppendix
                                   before StampVersion
"""
from __future__ import annotations

from typing import Optional

import nbformat

from assignments.generate.draft import CHECK_TAG, Draft, to_json
from assignments.generate.steps import SOLUTION_STEPS, STUDENT_STEPS, Pipeline, PipelineOrderError
from assignments.spec.model import Spec

__all__ = ["student_notebook", "solution_notebook", "notebook_json", "CHECK_TAG", "Pipeline", "PipelineOrderError"]


def student_notebook(spec: Spec, lang: Optional[str] = None) -> nbformat.NotebookNode:
    return Pipeline([step() for step in STUDENT_STEPS]).run(Draft.start(spec, lang))


def solution_notebook(spec: Spec, lang: Optional[str] = None) -> nbformat.NotebookNode:
    return Pipeline([step() for step in SOLUTION_STEPS]).run(Draft.start(spec, lang))


def notebook_json(notebook: nbformat.NotebookNode) -> str:
    """Deterministic text to write (sorted keys; no timestamps anywhere in a generated notebook)."""
    return to_json(notebook)
