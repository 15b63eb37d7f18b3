"""Return values built to crash or slow the grader's decoder, or to lie to its checks."""
import numpy as np


def long_string():
    return "x" * (100 * 2**20)


def long_keys():
    return {f"k{i:05d}" + "x" * 9_990: "y" * 10_000 for i in range(500)}


def empty_but_huge_shape():
    return np.empty((0, 2**40))


class Liar(np.ndarray):
    def __eq__(self, other):
        return True

    def __array__(self, *args, **kwargs):
        raise SystemExit("must never run in the grader")

    def __reduce__(self):
        raise SystemExit("must never run in the grader")


def liar_array():
    return np.ones(3).view(Liar)


class LiarObject:
    def __eq__(self, other):
        return True

    def __repr__(self):
        return "x" * 10**7

    def __getattr__(self, name):
        raise SystemExit("must never run in the grader")


def liar_object():
    return LiarObject()


def deep():
    a = []
    for _ in range(100_000):
        a = [a]
    return a


def huge_int():
    return 10**5000
