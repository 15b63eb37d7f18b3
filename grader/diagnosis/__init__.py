"""Named mistakes and the matcher that recognises them in a student's outputs.

- ``mistakes``: the catalogue (``MISTAKES``, ``describe_mistake``), texts in English and Chinese;
  per function, the forms of a mistake and the outputs it leaves free;
- ``buggy/`` and ``variants``: one parametrised buggy implementation per function, whose mistakes
  are flags (``Variant``: one mistake in one form; ``Combination``: two mistakes at once);
- ``table``: the outputs of many variants on one case, compared with a student's output by output;
- ``diagnose``: the matcher (``diagnose_returned`` for the grader, ``diagnose_case_detail``,
  ``diagnose_item_detail``), ``diagnose_source``, ``probe_calls``, ``diagnose_probe``;
- ``globals_scan`` and ``probe``: `uses_notebook_globals`, from the code and from a probe call;
- ``submissions``: sample submissions that make one mistake (demo, end-to-end tests).
"""
