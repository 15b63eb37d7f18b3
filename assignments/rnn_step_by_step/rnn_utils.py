"""Helpers for the rnn-step-by-step notebook: import them with ``from rnn_utils import sigmoid, softmax``.

Columns are examples; both functions work elementwise or per column on arrays of any shape.
"""
import numpy as np


def sigmoid(x):
    """Logistic function 1 / (1 + exp(-x)), elementwise, written with tanh so that no exp overflows."""
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(x, dtype=np.float64)))


def softmax(z):
    """Softmax over axis 0: every column (every [:, j] or [:, j, t]) of the result sums to 1.
    Each column's largest entry is subtracted first, so large inputs do not overflow."""
    e = np.exp(z - np.max(z, axis=0, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)
