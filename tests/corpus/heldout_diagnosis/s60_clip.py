import numpy as np


def clip_by_global_norm(grads, max_norm):
    norms = {k: np.sqrt(np.sum(g ** 2)) for k, g in grads.items()}
    global_norm = np.sqrt(sum(n ** 2 for n in norms.values()))
    clipped = {}
    for k, g in grads.items():
        if norms[k] > max_norm:
            clipped[k] = g * (max_norm / norms[k])
        else:
            clipped[k] = g.copy()
    return clipped, global_norm
