"""os._exit() at module level ends the process without any cleanup."""
import os


def before(x):
    return x * 2


os._exit(0)


def after(x):
    return x * 3
