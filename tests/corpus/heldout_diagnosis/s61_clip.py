import numpy as np


def clip_by_global_norm(grads, max_norm):
    total = np.linalg.norm(np.concatenate([g.ravel() for g in grads.values()]))
    out = {}
    for name in grads:
        g = grads[name]
        out[name] = g * min(1.0, max_norm / (np.linalg.norm(g) + 1e-12))
    return out, total
