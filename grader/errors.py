"""Errors a person can act on: the CLI prints them without a traceback and exits with 1."""


class UserError(Exception):
    """Something in the user's input (a path, a spec, a CSV, a release) must be fixed."""
