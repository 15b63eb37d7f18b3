"""Values that are not what a grader expects."""
import numpy as np

MARKER = "/tmp/rnngrade-reduce-ran"


class Evil:
    def __reduce__(self):
        return (open, (MARKER, "w"))

    def __array__(self, dtype=None, copy=None):
        open(MARKER, "w").close()
        return np.zeros(3)

    def __repr__(self):
        return "Evil()"


class EvilArray(np.ndarray):
    def __reduce__(self):
        return (open, (MARKER, "w"))


def returns_list(x):
    return [1.0, 2.0, 3.0]


def returns_matrix(x):
    return np.matrix([[1.0, 2.0], [3.0, 4.0]])


def returns_float32(x):
    return x.astype(np.float32)


def returns_nan(x):
    out = x.copy()
    out[0, 0] = np.nan
    return out


def returns_wrong_shape(x):
    return x.T


def returns_none(x):
    pass


def returns_evil(x):
    return Evil()


def returns_evil_array(x):
    return np.arange(4.0).view(EvilArray)


def returns_cycle(x):
    a = []
    a.append(a)
    return a


def returns_scalar(x):
    return np.float64(2.5), np.int64(7), np.bool_(True)


def returns_object_array(x):
    return np.array([Evil(), 1], dtype=object)
