"""Gradient clipping by global norm, the remedy for exercise 6-3's exploding gradients."""
from __future__ import annotations

import math
from typing import Mapping

import numpy as np


def clip_by_global_norm(grads: Mapping[str, np.ndarray], max_norm: float):
    """Rescale all gradients together when their joint norm exceeds ``max_norm``.

    Equations::

        global_norm = sqrt(Σ_k Σ_elements grads[k]²)
        clipped[k]  = grads[k] · max_norm / global_norm   if global_norm > max_norm
                    = grads[k]                              otherwise

    Shapes: ``grads`` maps names to arrays of any shapes; ``clipped`` has the same keys (same order)
    and shapes, as new float64 arrays (the input is never modified). ``global_norm`` is a Python
    float, the norm before clipping. Returns ``(clipped, global_norm)``.
    """
    max_norm = float(max_norm)
    if not max_norm > 0.0:
        raise ValueError(f"max_norm must be a positive number, got {max_norm}")
    arrays = {name: np.asarray(g, dtype=np.float64) for name, g in grads.items()}
    # Sum of squares through a dot product per array: exact enough and avoids a squared copy.
    global_norm = math.sqrt(sum(float(np.dot(a.ravel(), a.ravel())) for a in arrays.values()))
    scale = max_norm / global_norm if global_norm > max_norm else 1.0
    clipped = {name: a * scale for name, a in arrays.items()}
    return clipped, global_norm
