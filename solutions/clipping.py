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

    The norm is computed as s·sqrt(Σ (g/s)²) with s the largest |element|, so that exploded
    gradients (elements beyond 1e154, whose squares overflow) still get a finite norm.

    Shapes: ``grads`` maps names to arrays of any shapes; ``clipped`` has the same keys (same order)
    and shapes, as new float64 arrays (the input is never modified). ``global_norm`` is a Python
    float, the norm before clipping. Returns ``(clipped, global_norm)``.
    """
    max_norm = float(max_norm)
    if not max_norm > 0.0:
        raise ValueError(f"max_norm must be a positive number, got {max_norm}")
    arrays = {name: np.asarray(g, dtype=np.float64) for name, g in grads.items()}
    for name, a in arrays.items():
        if not np.all(np.isfinite(a)):
            raise ValueError(f"grads[{name!r}] contains inf or nan; clipping needs finite gradients")
    largest = max((float(np.max(np.abs(a), initial=0.0)) for a in arrays.values()), default=0.0)
    if largest == 0.0:
        global_norm = 0.0
    else:
        global_norm = largest * math.sqrt(sum(float(np.sum(np.square(a / largest))) for a in arrays.values()))
    scale = max_norm / global_norm if global_norm > max_norm else 1.0
    clipped = {name: a * scale for name, a in arrays.items()}
    return clipped, global_norm
