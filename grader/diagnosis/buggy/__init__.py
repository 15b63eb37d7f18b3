"""Buggy implementations of the nndl-ch6 contract, any named mistakes at a time.

Each module is standalone on purpose (numpy only, every helper at its top level): the matcher runs
these functions in the grader's process (they are our code, never a student's), and
``grader.diagnosis.submissions`` copies their source into sample student submissions. Every
``buggy_<function>(<contract arguments>, bug=frozenset())`` computes the answer key's result when
``bug`` is empty; ``bug`` is a set of flags, each a mistake id of ``grader.diagnosis.mistakes`` with
its form after a colon when it has several (``{"concat_x_first", "missing_gate_derivative:f"}``).
Every mistake is a flag of one parametrised implementation, tested with ``"flag" in bug``, so that
two mistakes compose as a student would make them together (the matcher tries such pairs,
``grader.diagnosis.variants.Combination``).
"""
