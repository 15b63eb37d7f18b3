"""Functions that try to end the process."""
import os
import sys


def soft_exit(x):
    sys.exit(0)


def hard_exit(x):
    os._exit(0)


def fine(x):
    return x + 1
