"""The shared core: what both ``assignments`` and the grader's parts build on.

Errors a user can act on (``errors``), student ids safe as file names (``ids``), and an item's cases
(``generators`` make the inputs, ``cases`` adds the answer key's outputs and the tolerances), the
digest verdicts are remembered under (``digest``) and the JSON writer of every output (``jsonsafe``).
It imports only the standard library, NumPy and orjson, never another part of ``grader`` or
``assignments`` (the contract in ``pyproject.toml`` checks it).
"""
