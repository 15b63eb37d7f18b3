"""The returned values of many hypotheses (buggy variants, combinations) on one case, output by output.

A case's reference output is a tree (tuple, dict) of arrays; its leaves, in the order
:func:`grader.diagnosis.matching.leaves` walks them, are the *outputs* (``dWf``, ``dh0``; ``0`` for the
first element of a tuple). For each output the table stacks every hypothesis's value, flattened, in
one array of shape ``(n_hypotheses, size)``, so that a student's value is compared with all
hypotheses in one NumPy operation per output, with the one tolerance rule
``|got − like| ≤ atol + rtol·|like|`` (NaN never matches; equal infinities do).

For each hypothesis and output the table knows whether the hypothesis *affects* it (its value differs
from the reference's there) and whether its mistakes leave it *free* (``Mistake.free``).
"""
from __future__ import annotations

import copy
import warnings
from typing import Any, Optional, Sequence

import numpy as np

from grader.diagnosis.matching import as_number_array, leaves

SHAPE_TOLERANT = frozenset({"bias_grad_axis"})  # compared after reshaping (a db of shape (n_h,))


def run_hypothesis(hypothesis, args: tuple) -> Optional[Any]:
    """The hypothesis's output on copies of ``args``; None when it raises (it explains nothing there)."""
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return hypothesis(*copy.deepcopy(tuple(args)))
    except Exception:
        return None


def _flat(value: Any) -> tuple[Optional[np.ndarray], Optional[tuple]]:
    """(the leaf flattened to float64, its shape), or (None, None) when it is not a number array."""
    array = as_number_array(value)
    if array is None:
        return None, None
    return array.reshape(-1), array.shape


def close(got: np.ndarray, like: np.ndarray, rtol: float, atol: float) -> np.ndarray:
    """Row-wise: ``got`` (size,) or (n, size) within tolerance of ``like`` (n, size) in every element."""
    with np.errstate(invalid="ignore", over="ignore"):
        ok = (np.abs(got - like) <= atol + rtol * np.abs(like)) | (got == like)
    return ok.all(axis=-1)


class OutputTable:
    """Every hypothesis of ``hypotheses`` run on one case (``args``), against its ``expected`` output."""

    def __init__(self, hypotheses: Sequence, args: tuple, expected: Any, rtol: float, atol: float,
                 outputs: Optional[list] = None):
        self.hypotheses = tuple(hypotheses)
        self.rtol, self.atol = float(rtol), float(atol)
        self._expected = expected
        if outputs is None:
            outputs = [run_hypothesis(h, args) for h in self.hypotheses]
        ref = [(path, as_number_array(like)) for path, _, like in leaves(expected, expected)]
        self.paths = tuple(path for path, _ in ref)
        self.ref = [None if a is None else a.reshape(-1) for _, a in ref]
        self.ref_shapes = [None if a is None else a.shape for _, a in ref]
        n, p = len(self.hypotheses), len(self.paths)
        self.values = []  # per output: (n, size) float64, NaN rows where a hypothesis has no such value
        self.shapes = []  # per output: [shape of each hypothesis's value, or None]
        self.odd = []  # per output: {j: flat value} of hypotheses whose value has another size
        self.affected = np.zeros((n, p), dtype=bool)
        self.free = np.zeros((n, p), dtype=bool)
        self.tolerant = np.array([any(m in SHAPE_TOLERANT for m in h.mistakes) for h in self.hypotheses], dtype=bool)
        self.ran = np.array([o is not None for o in outputs], dtype=bool)
        per_hypothesis = [dict((path, g) for path, g, _ in leaves(o, expected)) if o is not None else {}
                          for o in outputs]
        for k, path in enumerate(self.paths):
            size = 0 if self.ref[k] is None else self.ref[k].size
            stack = np.full((n, size), np.nan)
            shapes, odd = [], {}
            for j, got in enumerate(per_hypothesis):
                flat, shape = _flat(got.get(path)) if self.ref[k] is not None else (None, None)
                shapes.append(shape)
                if flat is None or flat.size != size:
                    self.affected[j, k] = self.ran[j]
                    if flat is not None:
                        odd[j] = flat
                    continue
                stack[j] = flat
                self.affected[j, k] = shape != self.ref_shapes[k]
            if self.ref[k] is not None:
                self.affected[:, k] |= self.ran & ~close(stack, self.ref[k][None, :], self.rtol, self.atol)
            self.values.append(stack)
            self.shapes.append(shapes)
            self.odd.append(odd)
        names = [str(path[0]) if path else "" for path in self.paths]
        for j, h in enumerate(self.hypotheses):
            free = set(h.free)
            self.free[j] = [name in free for name in names]
        #: A hypothesis that ran and differs from the reference on an output it defines.
        self.usable = self.ran & (self.affected & ~self.free).any(axis=1)
        self.nbytes = sum(v.nbytes for v in self.values) + sum(a.nbytes for odd in self.odd for a in odd.values())

    def student_leaves(self, value: Any) -> list:
        """The student's value per output: ``(flat array, shape)`` or ``(None, None)``."""
        got = {path: g for path, g, _ in leaves(value, self._expected)}
        return [_flat(got.get(path)) if self.ref[k] is not None else (None, None)
                for k, path in enumerate(self.paths)]

    def failing(self, student: list) -> np.ndarray:
        """Per output: the student's value is not the reference's (bool, (p,))."""
        bad = np.ones(len(self.paths), dtype=bool)
        for k, (flat, shape) in enumerate(student):
            if flat is not None and shape == self.ref_shapes[k]:
                bad[k] = not bool(close(flat, self.ref[k], self.rtol, self.atol))
        return bad

    def matches(self, student: list) -> np.ndarray:
        """(n, p) bool: hypothesis j's value of output k is the student's, shape included; for a
        shape-tolerant hypothesis (``SHAPE_TOLERANT``) a student's value of another shape than the
        reference's is compared after reshaping to the hypothesis's."""
        n = len(self.hypotheses)
        out = np.zeros((n, len(self.paths)), dtype=bool)
        for k, (flat, shape) in enumerate(student):
            if flat is None or n == 0:
                continue
            same_shape = np.array([s == shape for s in self.shapes[k]], dtype=bool)
            if shape != self.ref_shapes[k]:
                same_shape |= self.tolerant
            if flat.size == self.values[k].shape[1]:
                out[:, k] = same_shape & close(flat[None, :], self.values[k], self.rtol, self.atol)
            for j, value in self.odd[k].items():
                out[j, k] = bool(same_shape[j]) and value.size == flat.size and bool(
                    close(flat, value, self.rtol, self.atol))
            if shape != self.ref_shapes[k]:
                for j in np.flatnonzero(self.tolerant & ~out[:, k]):
                    out[j, k] = self._broadcast_match(k, j, flat, shape)
        return out

    def _broadcast_match(self, k: int, j: int, flat: np.ndarray, shape: tuple) -> bool:
        """A shape-tolerant hypothesis's value, broadcast to the student's shape, is the student's: a
        db of shape (n_h,) added to an (n_h, 1) accumulator becomes (n_h, n_h), every row the same."""
        hyp_shape = self.shapes[k][j]
        if hyp_shape is None or hyp_shape == shape:
            return False
        value = self.odd[k].get(j, self.values[k][j]).reshape(hyp_shape)
        try:
            spread = np.broadcast_to(value, shape).reshape(-1)
        except ValueError:
            return False
        return bool(close(flat, spread, self.rtol, self.atol))

    def verdicts(self, student: list) -> tuple[np.ndarray, np.ndarray]:
        """``(consistent, explains)``: hypothesis j is consistent with the student when it is usable and
        the student's values match it on every output it affects and defines; ``explains[j, k]``: output
        k is accounted for by hypothesis j (affected and matched, or left free by a consistent one)."""
        matched = self.matches(student)
        required = self.affected & ~self.free
        consistent = self.usable & ~(required & ~matched).any(axis=1)
        explains = (self.affected & matched) | (self.free & consistent[:, None])
        explains &= consistent[:, None]
        return consistent, explains


    def same_as(self, j: int, other: "OutputTable", i: int) -> bool:
        """Hypothesis j of this table gives hypothesis i of ``other`` (same case) on every output."""
        for k in range(len(self.paths)):
            if self.shapes[k][j] != other.shapes[k][i]:
                return False
            a = self.odd[k].get(j, self.values[k][j])
            b = other.odd[k].get(i, other.values[k][i])
            if self.shapes[k][j] is not None and (a.size != b.size or not close(a, b, self.rtol, self.atol)):
                return False
        return True
