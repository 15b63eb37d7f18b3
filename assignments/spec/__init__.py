"""The assignment spec: what an assignment asks for and how each item is graded.

The one place the rest of rnngrade imports the spec from. The dataclasses live in
``assignments.spec.model``; ``load_spec`` (``assignments.spec.loader``) reads a TOML spec (see
docs/spec-format.md) into them and refuses a spec with structural errors; ``validate_spec``
(``assignments.spec.validate``) reports every error of a spec with its location.
"""
from __future__ import annotations

from assignments.spec.errors import SpecError
from assignments.spec.loader import load_spec
from assignments.spec.model import InvalidSpecError, ItemSpec, Spec

__all__ = ["ItemSpec", "Spec", "SpecError", "InvalidSpecError", "load_spec", "validate_spec"]


def validate_spec(path) -> list:
    """Every error of the spec at ``path`` (see ``assignments.spec.validate``)."""
    # Imported when asked: the validator builds notebooks' solution sources (assignments.generate),
    # which read the spec's model from this package.
    from assignments.spec.validate import validate_spec as validate

    return validate(path)
