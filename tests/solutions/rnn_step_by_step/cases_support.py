"""Shared inputs for the proofs of the ``rnn-step-by-step`` answer key: shapes with ids, seeded
parameter draws in the contract's names (hidden state ``a``), and the forward runs whose caches the
backward functions read.

Biases are drawn like the weights (never zero), so that a doubled or dropped bias cannot hide.
"""
from __future__ import annotations


from ..answer_key_cases_support import lstm_parameters, rng_for

#: (id, n_x, n_a, n_y, m, T_x): a typical case, the edges m = 1, n_a = 1, T_x = 1, and all of them.
SHAPES = [
    ("typical-3x4x2-m5-T4", 3, 4, 2, 5, 4),
    ("m=1", 2, 3, 2, 1, 3),
    ("n_a=1", 3, 1, 2, 4, 3),
    ("T_x=1", 2, 3, 3, 3, 1),
    ("all-ones", 1, 1, 1, 1, 1),
]
SHAPE_IDS = [s[0] for s in SHAPES]

RNN_KEYS = ("Wax", "Waa", "ba")
LSTM_KEYS = ("Wf", "Wi", "Wc", "Wo", "bf", "bi", "bc", "bo")

__all__ = ["SHAPES", "SHAPE_IDS", "RNN_KEYS", "LSTM_KEYS", "rng_for", "rnn_parameters", "lstm_parameters"]


def rnn_parameters(rng, n_x, n_a, n_y, scale=0.7):
    """Wax (n_a, n_x), Waa (n_a, n_a), Wya (n_y, n_a), ba (n_a, 1), by (n_y, 1)."""
    return {
        "Wax": rng.standard_normal((n_a, n_x)) * scale,
        "Waa": rng.standard_normal((n_a, n_a)) * scale,
        "Wya": rng.standard_normal((n_y, n_a)),
        "ba": rng.standard_normal((n_a, 1)) * scale + 0.1,
        "by": rng.standard_normal((n_y, 1)),
    }
