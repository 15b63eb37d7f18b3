"""A 10 GB allocation, and memory grown 1 MB at a time until it runs out."""
import numpy as np


def alloc_huge(x):
    return np.ones(10 * 2**30 // 8)


def grow(x):
    hoard = []
    while True:
        hoard.append(bytearray(2**20))


def fine(x):
    return x + 1
