"""Shared inputs for the answer-key proofs: shapes with their ids and seeded parameter draws.

Biases are drawn like the weights (never zero), so that a doubled or dropped bias cannot hide.
"""
from __future__ import annotations

import numpy as np

#: (id, n_x, n_h, n_y, m, T): a typical case, the edges m = 1, n_h = 1, T = 1, and a sequence longer
#: than the 8 steps the parameter gradients are gathered by (a partial last chunk).
SHAPES = [
    ("typical-3x4x2-m5-T4", 3, 4, 2, 5, 4),
    ("T=11", 2, 3, 2, 2, 11),
    ("m=1", 2, 3, 2, 1, 3),
    ("n_h=1", 3, 1, 2, 4, 3),
    ("T=1", 2, 3, 3, 3, 1),
    ("all-ones", 1, 1, 1, 1, 1),
]
SHAPE_IDS = [s[0] for s in SHAPES]

LSTM_KEYS = ("Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo", "bo")
GRU_KEYS = ("Wz", "bz", "Wr", "br", "Wh", "bh")


def rng_for(name: str) -> np.random.Generator:
    """A generator seeded by a test's own name, so each case is reproducible on its own."""
    return np.random.default_rng(sum(ord(ch) * 31 ** k for k, ch in enumerate(name)) % 2**32)


def lstm_parameters(rng, n_x, n_h, n_y, scale=0.7):
    p = {}
    for gate in "fico":
        p["W" + gate] = rng.standard_normal((n_h, n_h + n_x)) * scale
        p["b" + gate] = rng.standard_normal((n_h, 1)) * scale + 0.1
    p["Wy"] = rng.standard_normal((n_y, n_h))
    p["by"] = rng.standard_normal((n_y, 1))
    return p


def gru_parameters(rng, n_x, n_h, n_y, bhh=False, scale=0.7):
    p = {}
    for gate in "zrh":
        p["W" + gate] = rng.standard_normal((n_h, n_h + n_x)) * scale
        p["b" + gate] = rng.standard_normal((n_h, 1)) * scale + 0.1
    if bhh:
        p["bhh"] = rng.standard_normal((n_h, 1)) * scale + 0.1
    p["Wy"] = rng.standard_normal((n_y, n_h))
    p["by"] = rng.standard_normal((n_y, 1))
    return p


def residual_parameters(rng, n_x, n_h, scale=0.5):
    return {
        "U": rng.standard_normal((n_h, n_h)) * scale,
        "W": rng.standard_normal((n_h, n_x)) * scale,
        "b": rng.standard_normal((n_h, 1)) * scale + 0.1,
    }
