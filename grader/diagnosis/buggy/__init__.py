"""Buggy implementations of the nndl-ch6 contract, one named mistake at a time.

Each module is standalone on purpose (numpy only, every helper at its top level): the matcher runs
these functions in the grader's process (they are our code, never a student's), and
``grader.diagnosis.submissions`` copies their source into sample student submissions. Every
``buggy_<function>(<contract arguments>, bug=None)`` computes the answer key's result when ``bug`` is
None and the result of one mistake otherwise; ``bug`` is a mistake id of
``grader.diagnosis.mistakes``, with its form after a colon when it has several
(``"missing_gate_derivative:f"``).
"""
