"""Grading of symbolic answers: a safe parser (``parse``), numeric-first equivalence
(``equivalence``), and ``SymbolicGrader`` (``service``), which runs the checks in a separate,
resource-limited worker process (``worker``) and caches verdicts.

SymPy is imported only by the modules that need it: a grading worker that asks the batch's
``hub`` for verdicts never loads it."""

__all__ = ["SymbolicGrader"]


def __getattr__(name):
    if name == "SymbolicGrader":  # on first use only: the service loads SymPy
        from grader.symbolic.service import SymbolicGrader

        return SymbolicGrader
    raise AttributeError(f"module 'grader.symbolic' has no attribute {name!r}")
