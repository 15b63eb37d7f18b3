"""The catalogue of named mistakes: what each one is, in plain words, and a hint toward the fix.

A mistake explains the failing outputs of the functions in its ``items``; ``forms`` lists the ways
of making it when there are several (each form is its own buggy variant, and any one of them
matching is the mistake). ``free`` names, per function, the returned values the mistake does not
define: a student who makes it may return anything there (``dh0`` of a backward that carries
nothing back: the last step's ``dh_prev``, zeros, ...), so the matcher never requires them to match.
``detected_by`` says how the grader finds it: ``"numbers"`` (a buggy variant reproduces the student's
outputs, see ``grader.diagnosis.diagnose``) or ``"source"`` (reading the code and a probe call with
other parameters, for `uses_notebook_globals`, whose numbers depend on the student's own globals).

Variants that the numbers cannot tell apart on a function are listed in ``INDISTINGUISHABLE``
(``mistake`` or ``mistake:form``) and reported together, as candidates: on lstm_backward,
`dc_missing_dh_path` made in dc_prev only and `no_dc_carry` (the carried dc starts at zero and,
without the path through h, stays zero). `no_bptt_carry` is listed for lstm_backward only: on
gru_backward and residual_rnn_backward, where there is no cell state, it is `no_dh_accumulation`.
Every other pair gives different outputs on the generated cases of every function both list (tested
in tests/diagnosis).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import msgcat

# The texts (title, explanation, hint of each mistake) are in the TOML catalogue beside this module.
CATALOGUE_DIR = Path(__file__).parent / "i18n"

LSTM = ("lstm_cell_forward", "lstm_cell_backward", "lstm_forward", "lstm_backward")
GRU = ("gru_cell_forward", "gru_cell_backward", "gru_forward", "gru_backward")
RESIDUAL = ("residual_rnn_forward", "residual_rnn_backward", "residual_rnn_step_jacobian")
BACKWARD_CELLS_AND_SEQUENCES = ("lstm_cell_backward", "lstm_backward", "gru_cell_backward", "gru_backward")
#: Every function that takes a ``parameters`` dict.
WITH_PARAMETERS = LSTM + GRU + RESIDUAL


@dataclass(frozen=True)
class Mistake:
    id: str
    items: tuple  # function names whose output it explains
    title: dict  # lang -> str, from the catalogue (grader/diagnosis/i18n: "<id>.title")
    explanation: dict
    hint: dict
    forms: dict = field(default_factory=dict)  # item -> tuple of form names; absent: one form
    detected_by: str = "numbers"  # "numbers" | "source" | "keys" (a returned dict's keys)
    # item -> names of returned values the mistake does not define (a student making it may return
    # anything there, e.g. dh0 of a backward that carries nothing back): never required to match.
    free: dict = field(default_factory=dict)
    # The functions of the cache-style contract (assignment rnn-step-by-step: a backward takes its
    # forward's cache) whose output it explains; same names as ``items`` may recur, with that contract.
    cache_items: tuple = ()
    cache_forms: dict = field(default_factory=dict)  # cache-style item -> tuple of form names


def _texts(id: str, part: str) -> dict:
    """``{lang: text}`` of one part (title, explanation, hint) of a mistake, from the catalogue."""
    return {lang: msgcat.load(CATALOGUE_DIR, lang)[f"{id}.{part}"] for lang in msgcat.languages(CATALOGUE_DIR)}


def _m(id, items, forms=None, detected_by="numbers", free=None):
    return Mistake(id, tuple(items), _texts(id, "title"), _texts(id, "explanation"), _texts(id, "hint"),
                   dict(forms or {}), detected_by, dict(free or {}))


_CATALOGUE = [
    _m("concat_x_first", LSTM + GRU),
    _m("no_tanh_on_c", LSTM),
    _m("candidate_sigmoid", LSTM + GRU),
    _m("gate_activation_swapped", LSTM + GRU,
       forms={**{k: ("f", "i", "o") for k in LSTM}, **{k: ("z", "r") for k in GRU}}),
    _m("dc_missing_dh_path", ("lstm_cell_backward", "lstm_backward"),
       forms={k: ("dc_prev", "everywhere") for k in ("lstm_cell_backward", "lstm_backward")}),
    _m("double_tanh_candidate", BACKWARD_CELLS_AND_SEQUENCES),
    _m("missing_sigmoid_derivative", BACKWARD_CELLS_AND_SEQUENCES),
    _m("missing_gate_derivative", BACKWARD_CELLS_AND_SEQUENCES,
       forms={**{k: ("f", "i", "o", "c") for k in BACKWARD_CELLS_AND_SEQUENCES[:2]},
              **{k: ("z", "r", "h") for k in BACKWARD_CELLS_AND_SEQUENCES[2:]}}),
    _m("no_dh_accumulation", ("lstm_backward", "gru_backward", "residual_rnn_backward"),
       free={k: ("dh0",) for k in ("lstm_backward", "gru_backward", "residual_rnn_backward")}),
    _m("no_dc_carry", ("lstm_backward",)),
    _m("no_bptt_carry", ("lstm_backward",),
       free={"lstm_backward": ("dh0",)}),
    _m("overwrite_param_grads", ("lstm_backward", "gru_backward", "residual_rnn_backward")),
    _m("bias_grad_axis", ("lstm_cell_backward", "lstm_backward", "gru_cell_backward", "gru_backward",
                          "residual_rnn_backward"),
       forms={k: ("no_keepdims", "axis0") for k in ("lstm_cell_backward", "lstm_backward", "gru_cell_backward",
                                                     "gru_backward", "residual_rnn_backward")}),
    _m("h0_zeros", ("lstm_forward", "lstm_backward", "gru_forward", "gru_backward", "residual_rnn_forward",
                    "residual_rnn_backward"),
       # "": from zeros in the forward pass and the backward pass; "backward": the forward the backward
       # runs starts from h0, but the step t = 0 of the backward pass uses zeros as h_{t−1}.
       forms={k: ("", "backward") for k in ("lstm_backward", "gru_backward", "residual_rnn_backward")}),
    _m("gru_z_swapped", GRU),
    _m("gru_reset_after", GRU),
    _m("softmax_axis", ("lstm_cell_forward", "lstm_forward", "gru_cell_forward", "gru_forward")),
    _m("residual_missing_identity", ("residual_rnn_step_jacobian", "residual_rnn_backward", "residual_rnn_forward"),
       # backward: "everywhere" (a plain RNN: no skip in the forward it runs, no I in the carry) or
       # "carry" (the forward right, the carry without I)
       forms={"residual_rnn_backward": ("everywhere", "carry")}),
    _m("clip_per_tensor", ("clip_by_global_norm",)),
    _m("state_aliasing", ("lstm_forward", "lstm_backward", "gru_forward", "gru_backward", "residual_rnn_forward",
                          "residual_rnn_backward"),
       # "shifted": the state is a view of the output's slot t − 1, updated in place at step t (slot t − 1
       # shows the state of step t); "last": one array updated in place is stored at every step (every
       # slot shows the last state).
       forms={k: ("shifted", "last") for k in ("lstm_forward", "lstm_backward", "gru_forward", "gru_backward",
                                               "residual_rnn_forward", "residual_rnn_backward")}),
    _m("uses_notebook_globals", WITH_PARAMETERS,
       detected_by="source"),
    _m("weights_from_gradients", ("lstm_cell_backward", "lstm_backward", "gru_cell_backward", "gru_backward",
                                  "residual_rnn_backward")),
]

RNN_STEP_CELL_BACKWARDS = ("rnn_cell_backward", "lstm_cell_backward")
RNN_STEP_BACKWARDS = ("rnn_cell_backward", "rnn_backward", "lstm_cell_backward", "lstm_backward")

# The cache-style contract (rnn-step-by-step): the same concepts, on that assignment's functions.
_CACHE_ITEMS = {
    "concat_x_first": ("lstm_cell_forward", "lstm_forward"),
    "softmax_axis": ("rnn_cell_forward", "rnn_forward", "lstm_cell_forward", "lstm_forward"),
    "h0_zeros": ("rnn_forward", "lstm_forward"),
    "no_bptt_carry": ("rnn_backward", "lstm_backward"),
    "no_dh_accumulation": ("rnn_backward", "lstm_backward"),
    "overwrite_param_grads": ("rnn_backward", "lstm_backward"),
    "missing_gate_derivative": ("lstm_cell_backward", "lstm_backward"),
    # found in public student notebooks: σ′ left out of all three gates (often with the candidate's
    # tanh′ too, a pair with missing_gate_derivative:c), and the old course text's 1 − tanh²(c̃)
    "missing_sigmoid_derivative": ("lstm_cell_backward", "lstm_backward"),
    "double_tanh_candidate": ("lstm_cell_backward", "lstm_backward"),
    "weights_from_gradients": RNN_STEP_BACKWARDS,
    "bias_grad_axis": ("rnn_cell_backward", "rnn_backward", "lstm_cell_backward"),
    "state_aliasing": ("rnn_forward", "lstm_forward"),
    "uses_notebook_globals": ("rnn_cell_forward", "rnn_forward", "lstm_cell_forward", "lstm_forward")
                             + RNN_STEP_BACKWARDS,
    "missing_tanh_derivative": ("rnn_cell_backward", "rnn_backward"),
    "gate_swapped_in_dc_prev": ("lstm_cell_backward", "lstm_backward"),
    "wrong_grad_keys": RNN_STEP_BACKWARDS,
}
_CACHE_FORMS = {
    "missing_tanh_derivative": ("tanh_of_output", "squared", "one_minus_tanh", "left_out"),
    "missing_gate_derivative": ("f", "i", "c", "o"),
    "overwrite_param_grads": ("assign", "double"),
}

_CATALOGUE += [
    _m("missing_tanh_derivative", ()),
    _m("gate_swapped_in_dc_prev", ()),
    _m("wrong_grad_keys", (),
       detected_by="keys"),
]


def _with_cache_items(m: Mistake) -> Mistake:
    from dataclasses import replace

    if m.id not in _CACHE_ITEMS:
        return m
    forms = {item: _CACHE_FORMS[m.id] for item in _CACHE_ITEMS[m.id] if m.id in _CACHE_FORMS}
    return replace(m, cache_items=tuple(_CACHE_ITEMS[m.id]), cache_forms=forms)


_CATALOGUE = [_with_cache_items(m) for m in _CATALOGUE]
MISTAKES: dict[str, Mistake] = {m.id: m for m in _CATALOGUE}

#: Function -> sets of variants (``mistake`` or ``mistake:form``) that give the same outputs on it
#: (reported together, as candidates).
INDISTINGUISHABLE: dict[str, tuple] = {
    "lstm_backward": (frozenset({"dc_missing_dh_path:dc_prev", "no_dc_carry"}),),
    # the cache-style rnn_backward: without a cell state, never carrying da_prevt and not adding it
    # to da[:, :, t] give the same numbers
    "rnn_backward": (frozenset({"no_bptt_carry", "no_dh_accumulation"}),),
}


def describe_mistake(mistake_id: str, lang: str = "en") -> dict:
    """``{"id", "title", "explanation", "hint"}`` in ``lang`` (English when the language is unknown).

    Raises a KeyError naming the known ids when ``mistake_id`` is not in the catalogue.
    """
    try:
        m = MISTAKES[mistake_id]
    except KeyError:
        raise KeyError(f"no mistake {mistake_id!r}; known mistakes: {', '.join(sorted(MISTAKES))}") from None
    pick = lang if lang in m.title else "en"
    return {"id": m.id, "title": m.title[pick], "explanation": m.explanation[pick], "hint": m.hint[pick]}
