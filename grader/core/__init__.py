"""The shared core: what both ``assignments`` and the grader's parts build on.

Errors a user can act on (``errors``), student ids safe as file names (``ids``), and an item's cases
(``generators`` make the inputs, ``cases`` adds the answer key's outputs and the tolerances). It
imports only the standard library and NumPy, never another part of ``grader`` or ``assignments``
(the contract in ``pyproject.toml`` checks it).
"""
