"""The output writers: grades.csv, grade.json, results.json and the HTML reports of a batch (exports),
re-rendered from the gradebook (rerender), hand-graded points in and out as CSV (manual), and the
terminal text of `rnngrade check` (textreport).
"""
