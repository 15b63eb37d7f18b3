"""Grading of symbolic answers: a safe parser (``parse``), numeric-first equivalence
(``equivalence``), and ``SymbolicGrader`` (``service``), which runs the checks in a separate,
resource-limited worker process (``worker``) and caches verdicts."""
from grader.symbolic.service import SymbolicGrader

__all__ = ["SymbolicGrader"]
