"""Deep recursion, a segfault, and several functions that kill the process."""
import ctypes
import os


def deep(n):
    return deep(n + 1)


def segfault(x):
    return ctypes.string_at(0)


def crash1(x):
    os._exit(1)


def crash2(x):
    os._exit(2)


def crash3(x):
    os._exit(3)


def crash4(x):
    os._exit(4)


def fine(x):
    return x + 1
