"""Feedback that teaches: the student report and the class summary.

Public API (the batch code and the CLI call these)::

    render_student_report(result, spec, *, lang, show_solutions=False) -> str   # HTML
    render_summary(results, spec, *, lang, report_href=None) -> str             # HTML
    item_feedback_text(item, spec, *, lang, show_solutions=False) -> str        # Gradescope "output"
    student_view(result, spec, *, show_solutions=False) -> SubmissionResult     # what a student may see
"""
from .redact import student_view
from .student import render_student_report
from .summary import render_summary
from .text import item_feedback_text

__all__ = ["item_feedback_text", "render_student_report", "render_summary", "student_view"]
