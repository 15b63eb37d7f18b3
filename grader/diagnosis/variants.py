"""The buggy variants: one per (mistake, function, form), each callable with the contract's arguments,
and combinations of two variants of one function (two mistakes made at once).

A variant runs ``grader.diagnosis.buggy.<family>.buggy_<function>(*args, bug=...)``. The functions of
``COMPOSABLE`` take ``bug`` as a set of flags (``{"concat_x_first", "missing_gate_derivative:f"}``),
so that any two mistakes compose inside one parametrised implementation; a function registered
without being composable takes one ``mistake[:form]`` string and gets no combinations. The buggy
modules are standalone so that their source can also be copied into sample submissions
(``grader.diagnosis.submissions``).

A function name may belong to two contracts: ``inputs`` (nndl-ch6: a backward takes its forward's
inputs) and ``cache`` (rnn-step-by-step: a backward takes its forward's cache). A case says which
(``contract_of``); the cache contract's implementations are ``CACHE_STYLE_FUNCTIONS`` and the
mistakes' ``cache_items``/``cache_forms``.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Callable, Iterable

from grader.diagnosis.buggy import gru, lstm, residual, rnn_step
from grader.diagnosis.mistakes import MISTAKES

#: Contract function name -> the buggy implementation taking ``bug=`` (None gives the right answer).
BUGGY_FUNCTIONS: dict[str, Callable] = {
    "lstm_cell_forward": lstm.buggy_lstm_cell_forward,
    "lstm_cell_backward": lstm.buggy_lstm_cell_backward,
    "lstm_forward": lstm.buggy_lstm_forward,
    "lstm_backward": lstm.buggy_lstm_backward,
    "gru_cell_forward": gru.buggy_gru_cell_forward,
    "gru_cell_backward": gru.buggy_gru_cell_backward,
    "gru_forward": gru.buggy_gru_forward,
    "gru_backward": gru.buggy_gru_backward,
    "residual_rnn_forward": residual.buggy_residual_rnn_forward,
    "residual_rnn_backward": residual.buggy_residual_rnn_backward,
    "residual_rnn_step_jacobian": residual.buggy_residual_rnn_step_jacobian,
    "clip_by_global_norm": residual.buggy_clip_by_global_norm,
}


#: Functions whose buggy implementation takes ``bug`` as a set of flags (see the module docstring).
#: Listed by name: a function registered above without being listed here gets one string.
COMPOSABLE: frozenset = frozenset({
    "lstm_cell_forward", "lstm_cell_backward", "lstm_forward", "lstm_backward",
    "gru_cell_forward", "gru_cell_backward", "gru_forward", "gru_backward",
    "residual_rnn_forward", "residual_rnn_backward", "residual_rnn_step_jacobian", "clip_by_global_norm",
})


#: The cache-style contract's buggy implementations (all composable: ``bug`` is a set of flags).
CACHE_STYLE_FUNCTIONS: dict[str, Callable] = {
    "rnn_cell_forward": rnn_step.buggy_rnn_cell_forward,
    "rnn_forward": rnn_step.buggy_rnn_forward,
    "rnn_cell_backward": rnn_step.buggy_rnn_cell_backward,
    "rnn_backward": rnn_step.buggy_rnn_backward,
    "lstm_cell_forward": rnn_step.buggy_lstm_cell_forward,
    "lstm_forward": rnn_step.buggy_lstm_forward,
    "lstm_cell_backward": rnn_step.buggy_lstm_cell_backward,
    "lstm_backward": rnn_step.buggy_lstm_backward,
}

#: (mistake, function) pairs of the cache-style contract found in a forward's cache
#: (grader/pipeline/cachecheck.py), not by numbers.
CACHE_CHECKED = frozenset({("state_aliasing", "rnn_forward")})


def contract_of(case) -> str:
    """``"cache"`` for a case of the cache-style contract (a produced argument, or a forward's case
    with its caches taken out: ``grader.diagnosis.cache_style.CacheStyleCase``), else ``"inputs"``."""
    if getattr(case, "produced", ()) or getattr(case, "contract", "") == "cache":
        return "cache"
    return "inputs"


def composable(item: str, contract: str = "inputs") -> bool:
    return item in CACHE_STYLE_FUNCTIONS if contract == "cache" else item in COMPOSABLE


def call_buggy(item: str, bugs: Iterable[str], args: tuple, contract: str = "inputs"):
    """``item``'s buggy implementation with the mistakes ``bugs`` (``mistake[:form]`` strings) made."""
    bugs = tuple(bugs)
    if contract == "cache":
        return CACHE_STYLE_FUNCTIONS[item](*args, bug=frozenset(bugs))
    if item in COMPOSABLE:
        return BUGGY_FUNCTIONS[item](*args, bug=frozenset(bugs))
    if len(bugs) != 1:
        raise ValueError(f"{item}'s buggy implementation makes one mistake at a time, not {bugs}")
    return BUGGY_FUNCTIONS[item](*args, bug=bugs[0])


@dataclass(frozen=True)
class Variant:
    """One buggy implementation of ``item``: the mistake ``mistake`` made in the way ``form``."""

    mistake: str
    item: str
    form: str = ""  # "" when the mistake has a single form
    contract: str = "inputs"  # "cache": the cache-style contract's function of that name

    @property
    def bug(self) -> str:
        return f"{self.mistake}:{self.form}" if self.form else self.mistake

    @property
    def function(self) -> Callable:
        return (CACHE_STYLE_FUNCTIONS if self.contract == "cache" else BUGGY_FUNCTIONS)[self.item]

    @property
    def parts(self) -> tuple:
        return (self,)

    @property
    def mistakes(self) -> tuple:
        return (self.mistake,)

    @property
    def free(self) -> tuple:
        """Names of the returned values this mistake does not define (``Mistake.free``)."""
        if self.contract == "cache":
            return ()
        return tuple(MISTAKES[self.mistake].free.get(self.item, ()))

    def __call__(self, *args):
        return call_buggy(self.item, (self.bug,), args, self.contract)


@dataclass(frozen=True)
class Combination:
    """Variants of distinct mistakes of one function, made at once (``parts``, in catalogue order)."""

    parts: tuple

    @property
    def item(self) -> str:
        return self.parts[0].item

    @property
    def mistakes(self) -> tuple:
        return tuple(v.mistake for v in self.parts)

    @property
    def bug(self) -> str:
        return "+".join(v.bug for v in self.parts)

    @property
    def free(self) -> tuple:
        """A value that one of the mistakes leaves undefined is undefined for the combination too."""
        return tuple(dict.fromkeys(name for v in self.parts for name in v.free))

    def __call__(self, *args):
        return call_buggy(self.item, (v.bug for v in self.parts), args, self.parts[0].contract)


def pairs_for(item_id: str, contract: str = "inputs") -> list[Combination]:
    """Every combination of two numeric variants of distinct mistakes of ``item_id`` (none when its
    buggy implementation is not composable)."""
    if not composable(item_id, contract):
        return []
    singles = variants_for(item_id, contract=contract)
    return [Combination((a, b)) for a, b in itertools.combinations(singles, 2) if a.mistake != b.mistake]


def variants_for(item_id: str, detected_by: str | None = "numbers", contract: str = "inputs") -> list[Variant]:
    """Every variant of ``item_id``, in catalogue order; ``detected_by`` None gives all of them,
    ``"numbers"`` only those the matcher compares by their outputs. ``contract="cache"``: the
    variants of the cache-style contract's function of that name."""
    if contract == "cache":
        return [Variant(m.id, item_id, form, "cache") for m in MISTAKES.values()
                if item_id in m.cache_items and item_id in CACHE_STYLE_FUNCTIONS
                and (detected_by is None or m.detected_by == detected_by)
                and (m.id, item_id) not in CACHE_CHECKED
                for form in m.cache_forms.get(item_id, ("",))]
    out = []
    for m in MISTAKES.values():
        if item_id not in m.items or (detected_by is not None and m.detected_by != detected_by):
            continue
        for form in m.forms.get(item_id, ("",)):
            out.append(Variant(m.id, item_id, form))
    return out


def all_variants(detected_by: str | None = None) -> list[Variant]:
    """Every (mistake, function, form) of the catalogue."""
    return [v for item in BUGGY_FUNCTIONS for v in variants_for(item, detected_by)]
