"""A support module of the test-only assignment: submissions may `from cache_helpers import *`."""
import numpy as np


def tanh_prime_from_output(h):
    """d tanh(z)/dz written with h = tanh(z)."""
    return 1.0 - np.square(h)
