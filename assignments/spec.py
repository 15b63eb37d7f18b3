"""The assignment spec: what an assignment asks for and how each item is graded.

The one place the rest of rnngrade imports the spec from. The dataclasses live in
``assignments.spec_model``; ``load_spec`` (``assignments.spec_loader``) reads a TOML spec (see
docs/spec-format.md) into them and refuses a spec with structural errors; ``validate_spec``
(``assignments.spec_validate``) reports every error of a spec with its location.
"""
from __future__ import annotations

from assignments.spec_errors import SpecError
from assignments.spec_loader import load_spec
from assignments.spec_model import InvalidSpecError, ItemSpec, Spec
from assignments.spec_validate import validate_spec

__all__ = ["ItemSpec", "Spec", "SpecError", "InvalidSpecError", "load_spec", "validate_spec"]
