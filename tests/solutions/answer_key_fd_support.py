"""Central finite differences and the relative error used by the answer-key proofs."""
from __future__ import annotations

import numpy as np


def numerical_gradient(f, array: np.ndarray, upstream, eps: float = 1e-6) -> np.ndarray:
    """∂/∂array of L = Σ_k ⟨upstream[k], f()[k]⟩ by central differences, perturbing ``array`` in place.

    ``f`` takes no argument and returns an array or a tuple of arrays; ``upstream`` is an array or a
    tuple of arrays of the same shapes (the random upstream gradients).
    """
    def loss() -> float:
        out = f()
        outs = out if isinstance(out, tuple) else (out,)
        ups = upstream if isinstance(upstream, tuple) else (upstream,)
        return float(sum(np.sum(o * u) for o, u in zip(outs, ups)))

    grad = np.zeros_like(array)
    flat, gflat = array.reshape(-1), grad.reshape(-1)
    for k in range(flat.size):
        saved = flat[k]
        flat[k] = saved + eps
        plus = loss()
        flat[k] = saved - eps
        minus = loss()
        flat[k] = saved
        gflat[k] = (plus - minus) / (2.0 * eps)
    return grad


def relative_error(got: np.ndarray, expected: np.ndarray) -> float:
    """max |got − expected| / max(1e-8, max(|got| + |expected|)) (the scale of the whole tensor)."""
    got, expected = np.asarray(got, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    assert got.shape == expected.shape, f"shape {got.shape} != {expected.shape}"
    scale = max(1e-8, float(np.max(np.abs(got) + np.abs(expected), initial=0.0)))
    return float(np.max(np.abs(got - expected), initial=0.0)) / scale
