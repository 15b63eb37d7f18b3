"""ItemSpecs of the twelve contract functions as the spec loader produces them (normalised output
specs), with small shapes including the edge ones, for the checking tests."""
from __future__ import annotations

from assignments.spec import ItemSpec

LSTM_GRADS = ("dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo")
GRU_GRADS = ("dWz", "dbz", "dWr", "dbr", "dWh", "dbh")

CELL_SHAPES = (
    {"n_x": 3, "n_h": 5, "n_y": 2, "m": 4},
    {"n_x": 1, "n_h": 1, "n_y": 1, "m": 1, "label": "m=1, n_h=1"},
    {"n_x": 4, "n_h": 3, "n_y": 2, "m": 6, "scale": 30.0, "label": "saturated gates"},
)
SEQ_SHAPES = (
    {"n_x": 3, "n_h": 5, "n_y": 2, "m": 4, "T": 3},
    {"n_x": 1, "n_h": 1, "n_y": 1, "m": 1, "T": 1, "label": "m=1, n_h=1, T=1"},
    {"n_x": 4, "n_h": 3, "n_y": 2, "m": 6, "T": 2, "scale": 30.0, "label": "saturated gates"},
)
CLIP_SHAPES = ({"n_x": 3, "n_h": 4}, {"n_x": 2, "n_h": 2, "zero_grads": True, "label": "all-zero gradients"})


def array(name: str) -> dict:
    return {"kind": "array", "name": name}


def tuple_of(*names: str) -> dict:
    return {"kind": "tuple", "name": "return value", "items": [array(n) for n in names]}


def dict_of(*keys: str) -> dict:
    return {"kind": "dict", "name": "return value", "keys": {k: array(k) for k in keys}}


CLIP_SPEC = {
    "kind": "tuple",
    "name": "return value",
    "items": [{"kind": "dict", "name": "clipped", "keys": None}, {"kind": "scalar", "name": "global_norm"}],
}

_TABLE = [
    ("lstm_cell_forward", ("xt", "h_prev", "c_prev", "parameters"), tuple_of("h_next", "c_next", "yt_pred"), CELL_SHAPES),
    ("lstm_cell_backward", ("dh_next", "dc_next", "xt", "h_prev", "c_prev", "parameters"),
     dict_of("dxt", "dh_prev", "dc_prev", *LSTM_GRADS), CELL_SHAPES),
    ("lstm_forward", ("x", "h0", "parameters"), tuple_of("h", "y", "c"), SEQ_SHAPES),
    ("lstm_backward", ("dh", "x", "h0", "parameters"), dict_of("dx", "dh0", *LSTM_GRADS), SEQ_SHAPES),
    ("gru_cell_forward", ("xt", "h_prev", "parameters"), tuple_of("h_next", "yt_pred"), CELL_SHAPES),
    ("gru_cell_backward", ("dh_next", "xt", "h_prev", "parameters"), dict_of("dxt", "dh_prev", *GRU_GRADS), CELL_SHAPES),
    ("gru_forward", ("x", "h0", "parameters"), tuple_of("h", "y"), SEQ_SHAPES),
    ("gru_backward", ("dh", "x", "h0", "parameters"), dict_of("dx", "dh0", *GRU_GRADS), SEQ_SHAPES),
    ("residual_rnn_forward", ("x", "h0", "parameters"), array("h"), SEQ_SHAPES),
    ("residual_rnn_backward", ("dh", "x", "h0", "parameters"), dict_of("dx", "dh0", "dU", "dW", "db"), SEQ_SHAPES),
    ("residual_rnn_step_jacobian", ("xt", "h_prev", "parameters"), array("J"), CELL_SHAPES),
    ("clip_by_global_norm", ("grads", "max_norm"), CLIP_SPEC, CLIP_SHAPES),
]

FORWARD_OF = {
    "lstm_cell_backward": "lstm_cell_forward",
    "lstm_backward": "lstm_forward",
    "gru_cell_backward": "gru_cell_forward",
    "gru_backward": "gru_forward",
    "residual_rnn_backward": "residual_rnn_forward",
}


def item(item_id: str, public: int = 2, hidden: int = 4) -> ItemSpec:
    for name, params, spec, shapes in _TABLE:
        if name == item_id:
            consistency = {"forward": FORWARD_OF[name], "credit": 0.5} if name in FORWARD_OF else None
            return ItemSpec(
                id=name, kind="code", points=10, params=params, output_spec=spec, generator=name,
                shapes=shapes, public=public, hidden=hidden, rtol=1e-6, atol=1e-8, consistency=consistency,
            )
    raise KeyError(item_id)


ITEM_IDS = [row[0] for row in _TABLE]
