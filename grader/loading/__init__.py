"""Read submissions (.ipynb / .py) into code units and static answers; find them in a batch folder.

Nothing here runs student code: units are prepared for the sandbox, answers are read with ``ast``.
"""
from grader.loading.discover import SubmissionEntry, discover, sanitize_student_id, unique_ids
from grader.loading.load import display_name, load_submission
from grader.loading.units import CodeUnit, FreeAnswer, LoadedSubmission

__all__ = [
    "CodeUnit", "FreeAnswer", "LoadedSubmission", "SubmissionEntry", "discover", "display_name",
    "load_submission", "sanitize_student_id", "unique_ids",
]
