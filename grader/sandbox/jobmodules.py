"""The assignment's support modules and inert modules, importable by a submission in the sandbox.

A support module (``from rnn_utils import *``) is a file of the assignment; its source arrives with
the job and runs in a fresh module. An inert module (a course's ``public_tests``, ``google.colab``)
is a stand-in: every attribute is one object that can be called, read and iterated at no cost
(``drive.mount(...)``, ``rnn_cell_forward_test(f)``), and ``from m import *`` gives the names the
submission calls without defining them. Loaded by path in the sandbox's child (like wire.py):
standard library only.
"""
from __future__ import annotations


class Inert:
    """What an inert module gives for any name: calling it, reading its attributes, iterating it
    cost nothing and do nothing (``drive.mount(...)``, ``rnn_cell_forward_test(f)``)."""

    def __call__(self, *args, **kwargs):
        return self

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return self

    def __iter__(self):
        return iter(())

    def __bool__(self):
        return False

    def __repr__(self):
        return "<inert stand-in>"


INERT = Inert()


class JobModules:
    """The assignment's support modules (source from the job) and inert modules, importable by the
    submission; placed after the import guard, before the 'not available' finder."""

    def __init__(self, support: dict, inert: list, inert_names: list):
        self.support, self.inert, self.inert_names = dict(support), tuple(inert), list(inert_names)

    def _is_inert(self, name: str) -> bool:
        return any(name == m or name.startswith(m + ".") for m in self.inert)

    def find_spec(self, name, path=None, target=None):
        import importlib.machinery

        if name in self.support or self._is_inert(name):
            return importlib.machinery.ModuleSpec(name, self, is_package=self._is_inert(name))
        return None

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        name = module.__name__
        if name in self.support:
            module.__file__ = f"<support module {name}.py>"
            exec(compile(self.support[name], module.__file__, "exec", dont_inherit=True), module.__dict__)
            return
        # An inert module: any name is the stand-in; `from m import *` gives the names the
        # submission calls without defining them (its notebook's test helpers).
        module.__path__ = []
        module.__all__ = list(self.inert_names)
        module.__getattr__ = lambda attr: INERT
        for attr in self.inert_names:
            setattr(module, attr, INERT)
