"""sys.exit() at module level."""
import sys


def before(x):
    return x * 2


sys.exit(3)


def after(x):
    return x * 3
