"""Cases for the diagnosis tests: the built-in generators and the answer key, tolerances of the spec."""
from __future__ import annotations

import copy

import numpy as np

import solutions
from grader.core.cases import Case
from grader.core.generators import GENERATORS

#: Shapes every function is tried on: an ordinary one, the edge sizes, saturated gates.
SHAPES = (
    {"n_x": 3, "n_h": 5, "n_y": 2, "m": 4, "T": 4},
    {"n_x": 2, "n_h": 3, "n_y": 3, "m": 2, "T": 3},
    {"n_x": 1, "n_h": 1, "n_y": 1, "m": 1, "T": 1},
    {"n_x": 3, "n_h": 4, "n_y": 2, "m": 3, "T": 4, "scale": 30.0},
)
SHAPE_IDS = ("ordinary", "small", "edge-1", "saturated")

BACKWARD = {"lstm_cell_backward", "lstm_backward", "gru_cell_backward", "gru_backward", "residual_rnn_backward"}

# Output specs of the built-in spec, normalised (what the checker and the matcher receive).
OUTPUT_SPECS = {
    "lstm_cell_forward": {"kind": "tuple", "name": "return value", "items": [
        {"kind": "array", "name": n} for n in ("h_next", "c_next", "yt_pred")]},
    "lstm_forward": {"kind": "tuple", "name": "return value", "items": [
        {"kind": "array", "name": n} for n in ("h", "y", "c")]},
    "gru_cell_forward": {"kind": "tuple", "name": "return value", "items": [
        {"kind": "array", "name": n} for n in ("h_next", "yt_pred")]},
    "gru_forward": {"kind": "tuple", "name": "return value", "items": [
        {"kind": "array", "name": n} for n in ("h", "y")]},
    "residual_rnn_forward": {"kind": "array", "name": "h"},
    "residual_rnn_step_jacobian": {"kind": "array", "name": "J"},
    "clip_by_global_norm": {"kind": "tuple", "name": "return value", "items": [
        {"kind": "dict", "name": "clipped", "keys": None}, {"kind": "scalar", "name": "global_norm"}]},
}
for _item in BACKWARD:
    OUTPUT_SPECS[_item] = {"kind": "dict", "name": "return value", "keys": None}

PARAMS = {
    "lstm_cell_forward": ("xt", "h_prev", "c_prev", "parameters"),
    "lstm_cell_backward": ("dh_next", "dc_next", "xt", "h_prev", "c_prev", "parameters"),
    "lstm_forward": ("x", "h0", "parameters"),
    "lstm_backward": ("dh", "x", "h0", "parameters"),
    "gru_cell_forward": ("xt", "h_prev", "parameters"),
    "gru_cell_backward": ("dh_next", "xt", "h_prev", "parameters"),
    "gru_forward": ("x", "h0", "parameters"),
    "gru_backward": ("dh", "x", "h0", "parameters"),
    "residual_rnn_forward": ("x", "h0", "parameters"),
    "residual_rnn_backward": ("dh", "x", "h0", "parameters"),
    "residual_rnn_step_jacobian": ("xt", "h_prev", "parameters"),
    "clip_by_global_norm": ("grads", "max_norm"),
}


def make_case(item: str, shape: dict, seed: int, case_id: str = "public-0") -> Case:
    """A case of ``item`` like the grader builds it, with the spec's tolerances."""
    if item == "clip_by_global_norm":
        shape = dict(shape, clip=True)  # the generator's coin may not clip, where every variant is right
    args = tuple(GENERATORS[item](dict(shape), np.random.default_rng(seed)))
    rtol, atol = (1e-5, 1e-7) if item in BACKWARD else (1e-6, 1e-8)
    expected = getattr(solutions, item)(*copy.deepcopy(args))
    return Case(item, case_id, "public", "", args, PARAMS[item], expected, rtol, atol)


def run(function, case: Case):
    return function(*copy.deepcopy(case.args))
