"""Printing 100 MB, through print() at import and straight to file descriptor 1 in a function."""
import os

print("x" * 100_000_000)


def chatty(x):
    for i in range(100_000):
        print("line", i)
    return x + 1


def flood_fd(x):
    os.write(1, b"y" * (100 * 2**20))
    return x
