"""Named mistakes and the matcher that recognises them in a student's outputs.

- ``mistakes``: the catalogue (``MISTAKES``, ``describe_mistake``), texts in English and Chinese;
- ``buggy/`` and ``variants``: standalone buggy implementations, one per (mistake, function, form);
- ``diagnose``: ``diagnose_case``, ``diagnose_item``, ``diagnose_source``, ``probe_calls``, ``diagnose_probe``;
- ``submissions``: sample submissions that make one mistake (demo, end-to-end tests).
"""
