"""Input generators of rnn-step-by-step, named in spec.toml as ``case_inputs:<function>``.

A generator is ``f(shape, rng) -> tuple`` of positional arguments. ``shape`` holds ``n_x`` (input
size), ``n_a`` (hidden size), ``n_y`` (output size), ``m`` (examples, the columns), ``T`` (steps,
sequences only) and optionally ``scale`` (a factor on the recurrent weights and biases: 30 saturates
tanh and the gates of every hidden unit but unit 0, see ``_first_unit_unscaled``). A backward's ``cache``/``caches`` is made by the student's own forward (and by the
answer key's), so its generator returns, in that argument's place, the forward's inputs in the
forward's parameter order: ``(da_next, xt, a_prev, parameters)`` for ``rnn_cell_backward(da_next, cache)``.

Every array is fresh float64; biases are away from zero (a zero bias hides a doubled-bias bug);
weights are N(0, 1/fan_in)·scale so that pre-activations are O(1) at scale 1.

A one-element case (``n_a = m = 1``, unsaturated) has a single number per output, so a mistake shows
only if that number moves: such a case is redrawn until its forward lies in bands where every
mistake of the catalogue changes an output well beyond the tolerance (``_discriminates``), and its
upstream gradients are drawn away from zero. At |a| in [0.3, 0.6] the wrong tanh′ forms
1 − tanh²(a), a², 1 − tanh(a) and 1 differ from 1 − a² by ≥ 5e-3 relative (at a = 0.06,
1 − tanh²(a) is within 1e-5 of it); a candidate |c̃| in [0.3, 0.7] does the same for
1 − tanh²(c̃); gates in [0.15, 0.85] keep σ′ away from 0. The sequences' edge case has two steps
(``T_x = 2`` in the spec): one step cannot show a missing carry, and with c0 = 0 the forget gate's
gradient vanishes at step 0. tests/assignments/test_case_discrimination.py proves it for every
single-mistake variant on the public cases and the hidden cases of hundreds of student seeds.
"""
import numpy as np


def _sizes(shape, name, keys):
    missing = [k for k in keys if k not in shape]
    if missing:
        raise ValueError(f"generator {name!r} needs shape keys {', '.join(keys)}; missing {', '.join(missing)}")
    values = [shape[k] for k in keys]
    if any(isinstance(v, bool) or int(v) != v or v < 1 for v in values):
        raise ValueError(f"generator {name!r}: {', '.join(keys)} must be positive integers, got {dict(shape)}")
    return [int(v) for v in values]


def _weight(rng, rows, cols, scale):
    return rng.standard_normal((rows, cols)) * (scale / np.sqrt(cols))


def _bias(rng, rows, scale):
    magnitude = rng.uniform(0.1, 0.6, size=(rows, 1))
    return np.where(rng.random((rows, 1)) < 0.5, -magnitude, magnitude) * scale


def _first_unit_unscaled(params, names, scale):
    """Hidden unit 0 at scale 1 (its rows of ``names`` divided by ``scale``); the other units saturate.

    Fully saturated, tanh′ and σ′ are ~1e-26 everywhere: every gradient through a step vanishes and a
    backward that never carries it, or that multiplies by dW instead of W, passes. Unit 0 keeps a
    path open while the rest still tests saturated values (±1 states, gates at 0 or 1)."""
    if scale != 1.0 and params[names[0]].shape[0] > 1:
        for name in names:
            params[name][0] /= scale
    return params


def rnn_parameters(rng, n_x, n_a, n_y, scale=1.0):
    """``Wax (n_a, n_x)``, ``Waa (n_a, n_a)``, ``Wya (n_y, n_a)``, ``ba (n_a, 1)``, ``by (n_y, 1)``."""
    params = {"Wax": _weight(rng, n_a, n_x, scale), "Waa": _weight(rng, n_a, n_a, scale),
              "Wya": _weight(rng, n_y, n_a, 1.0), "ba": _bias(rng, n_a, scale), "by": _bias(rng, n_y, 1.0)}
    return _first_unit_unscaled(params, ("Wax", "Waa", "ba"), scale)


def lstm_parameters(rng, n_x, n_a, n_y, scale=1.0):
    """``W<g> (n_a, n_a + n_x)``, ``b<g> (n_a, 1)`` for g in f, i, c, o; ``Wy (n_y, n_a)``, ``by (n_y, 1)``."""
    params = {}
    for gate in "fico":
        params["W" + gate] = _weight(rng, n_a, n_a + n_x, scale)
        params["b" + gate] = _bias(rng, n_a, scale)
    params["Wy"] = _weight(rng, n_y, n_a, 1.0)
    params["by"] = _bias(rng, n_y, 1.0)
    return _first_unit_unscaled(params, tuple(p + g for g in "fico" for p in "Wb"), scale)


def _scale(shape):
    return float(shape.get("scale", 1.0))


_REDRAWS = 10_000  # the bands hold for one draw in 5 (a cell) to 32 (lstm two steps): never reached


def _one_element(shape):
    """An unsaturated case with one hidden unit and one example: one number per output."""
    return int(shape["n_a"]) * int(shape["m"]) == 1 and _scale(shape) == 1.0


def _upstream(rng, size, shape):
    """An upstream gradient: N(0, 1), or for a one-element case ±U(0.5, 1.5) (never near zero)."""
    if not _one_element(shape):
        return rng.standard_normal(size)
    return rng.uniform(0.5, 1.5, size) * np.where(rng.random(size) < 0.5, -1.0, 1.0)


def _discriminating(shape, draw, forward):
    """``draw()``, redrawn (same rng, so still seeded) while a one-element case's forward
    ``forward(*args)`` (a list of per-step dicts of its quantities) leaves the bands."""
    args = draw()
    if not _one_element(shape):
        return args
    for _ in range(_REDRAWS):
        if all(_in_bands(step, first=t == 0) for t, step in enumerate(forward(*args))):
            return args
        args = draw()
    raise RuntimeError(f"no discriminating draw in {_REDRAWS} tries for {dict(shape)}")


def _in_bands(step, first):
    def within(v, lo, hi):
        return bool(np.all((np.abs(v) >= lo) & (np.abs(v) <= hi)))

    ok = within(step["a_prev"], 0.3, 1.0) or not first  # a0 away from 0: starting from zeros shows
    if "cct" not in step:  # simple RNN
        return ok and within(step["a_next"], 0.3, 0.6)
    gates = all(within(step[g], 0.15, 0.85) for g in ("ft", "it", "ot"))
    # it − ot apart (an input gate written for the output gate in dc_prev), the cell state away from 0
    # (tanh(c_next) scales the output gate's gradient), [a_prev; xt] not symmetric for the weights
    # (a swapped concatenation changes the pre-activations by (W_a − W_x)(a_prev − xt))
    return (ok and gates and within(step["cct"], 0.3, 0.7) and within(step["it"] - step["ot"], 0.1, 1.0)
            and within(step["c_next"], 0.1, 5.0) and within(step["swap"], 0.1, np.inf))


def _rnn_steps(x, a0, p):
    steps, a = [], a0
    for t in range(x.shape[2]):
        a_next = np.tanh(p["Waa"] @ a + p["Wax"] @ x[:, :, t] + p["ba"])
        steps.append({"a_prev": a, "xt": x[:, :, t], "a_next": a_next})
        a = a_next
    return steps


def _lstm_steps(x, a0, p, c0=None):
    steps, a, c = [], a0, np.zeros_like(a0) if c0 is None else c0
    sigmoid = lambda z: 1.0 / (1.0 + np.exp(-z))  # noqa: E731
    for t in range(x.shape[2]):
        xt = x[:, :, t]
        concat, swapped = np.concatenate([a, xt]), np.concatenate([xt, a])
        ft, it, ot = (sigmoid(p["W" + g] @ concat + p["b" + g]) for g in "fio")
        cct = np.tanh(p["Wc"] @ concat + p["bc"])
        c_next = ft * c + it * cct
        swap = max((np.abs(p["W" + g] @ (concat - swapped)) for g in "fico"), key=np.max)
        steps.append({"a_prev": a, "xt": xt, "ft": ft, "it": it, "ot": ot, "cct": cct, "c_next": c_next,
                      "swap": swap})
        a, c = ot * np.tanh(c_next), c_next
    return steps


def rnn_cell_forward(shape, rng):
    """``(xt (n_x, m), a_prev (n_a, m), parameters)``."""
    n_x, n_a, n_y, m = _sizes(shape, "rnn_cell_forward", ("n_x", "n_a", "n_y", "m"))

    def draw():
        xt, a_prev = rng.standard_normal((n_x, m)), np.tanh(rng.standard_normal((n_a, m)))
        return xt, a_prev, rnn_parameters(rng, n_x, n_a, n_y, _scale(shape))

    return _discriminating(shape, draw, lambda xt, a_prev, p: _rnn_steps(xt[:, :, None], a_prev, p))


def rnn_forward(shape, rng):
    """``(x (n_x, m, T), a0 (n_a, m), parameters)``."""
    n_x, n_a, n_y, m, T = _sizes(shape, "rnn_forward", ("n_x", "n_a", "n_y", "m", "T"))

    def draw():
        x, a0 = rng.standard_normal((n_x, m, T)), np.tanh(rng.standard_normal((n_a, m)))
        return x, a0, rnn_parameters(rng, n_x, n_a, n_y, _scale(shape))

    return _discriminating(shape, draw, _rnn_steps)


def lstm_cell_forward(shape, rng):
    """``(xt (n_x, m), a_prev (n_a, m), c_prev (n_a, m), parameters)``."""
    n_x, n_a, n_y, m = _sizes(shape, "lstm_cell_forward", ("n_x", "n_a", "n_y", "m"))

    def draw():
        xt, a_prev = rng.standard_normal((n_x, m)), np.tanh(rng.standard_normal((n_a, m)))
        c_prev = rng.standard_normal((n_a, m))
        if _one_element(shape):  # c_prev scales the forget gate's gradient: away from zero
            c_prev = np.where(c_prev < 0, -0.3, 0.3) + c_prev
        return xt, a_prev, c_prev, lstm_parameters(rng, n_x, n_a, n_y, _scale(shape))

    return _discriminating(shape, draw, lambda xt, a_prev, c_prev, p: _lstm_steps(xt[:, :, None], a_prev, p, c_prev))


def lstm_forward(shape, rng):
    """``(x (n_x, m, T), a0 (n_a, m), parameters)``."""
    n_x, n_a, n_y, m, T = _sizes(shape, "lstm_forward", ("n_x", "n_a", "n_y", "m", "T"))

    def draw():
        x, a0 = rng.standard_normal((n_x, m, T)), np.tanh(rng.standard_normal((n_a, m)))
        return x, a0, lstm_parameters(rng, n_x, n_a, n_y, _scale(shape))

    return _discriminating(shape, draw, _lstm_steps)


def rnn_cell_backward(shape, rng):
    """``(da_next (n_a, m), xt, a_prev, parameters)``: the cache's forward inputs in its place."""
    n_a, m = _sizes(shape, "rnn_cell_backward", ("n_a", "m"))
    da_next = _upstream(rng, (n_a, m), shape)
    return (da_next, *rnn_cell_forward(shape, rng))


def rnn_backward(shape, rng):
    """``(da (n_a, m, T), x, a0, parameters)``: the caches' forward inputs in their place."""
    n_a, m, T = _sizes(shape, "rnn_backward", ("n_a", "m", "T"))
    da = _upstream(rng, (n_a, m, T), shape)
    return (da, *rnn_forward(shape, rng))


def lstm_cell_backward(shape, rng):
    """``(da_next (n_a, m), dc_next (n_a, m), xt, a_prev, c_prev, parameters)``."""
    n_a, m = _sizes(shape, "lstm_cell_backward", ("n_a", "m"))
    da_next, dc_next = _upstream(rng, (n_a, m), shape), _upstream(rng, (n_a, m), shape)
    return (da_next, dc_next, *lstm_cell_forward(shape, rng))


def lstm_backward(shape, rng):
    """``(da (n_a, m, T), x, a0, parameters)``: the caches' forward inputs in their place."""
    n_a, m, T = _sizes(shape, "lstm_backward", ("n_a", "m", "T"))
    da = _upstream(rng, (n_a, m, T), shape)
    return (da, *lstm_forward(shape, rng))
