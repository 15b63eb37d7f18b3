"""The buggy variants: one per (mistake, function, form), each callable with the contract's arguments.

A variant runs ``grader.diagnosis.buggy.<family>.buggy_<function>(*args, bug=<mistake>[:<form>])``;
the buggy modules are standalone so that their source can also be copied into sample submissions
(``grader.diagnosis.submissions``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

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


#: The same for the cache-style contract (a backward takes its forward's cache; rnn-step-by-step).
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
#: (grader/cachecheck.py), not by numbers.
CACHE_CHECKED = frozenset({("state_aliasing", "rnn_forward")})


def contract_of(case) -> str:
    """``"cache"`` for a case of the cache-style contract (a produced argument, or a forward's case
    with its caches taken out: ``grader.diagnosis.cache_style.CacheStyleCase``), else ``"inputs"``."""
    if getattr(case, "produced", ()) or getattr(case, "contract", "") == "cache":
        return "cache"
    return "inputs"


@dataclass(frozen=True)
class Variant:
    """One buggy implementation of ``item``: the mistake ``mistake`` made in the way ``form``."""

    mistake: str
    item: str
    form: str = ""  # "" when the mistake has a single form
    contract: str = "inputs"  # "cache": a function of the cache-style contract

    @property
    def bug(self) -> str:
        return f"{self.mistake}:{self.form}" if self.form else self.mistake

    @property
    def function(self) -> Callable:
        return (CACHE_STYLE_FUNCTIONS if self.contract == "cache" else BUGGY_FUNCTIONS)[self.item]

    def __call__(self, *args):
        return self.function(*args, bug=self.bug)


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
