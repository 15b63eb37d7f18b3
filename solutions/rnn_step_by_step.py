"""Answer key of the built-in assignment ``rnn-step-by-step``: the eight cache-style functions.

Cells live in :mod:`solutions.rnn_cache_cells`, sequences in :mod:`solutions.rnn_cache_sequences`;
this module is the one the assignment's spec names (``solutions.rnn_step_by_step:<function>``).
"""
from solutions.rnn_cache_cells import (
    LSTM_CELL_CACHE, RNN_CELL_CACHE, lstm_cell_backward, lstm_cell_forward, rnn_cell_backward,
    rnn_cell_forward,
)
from solutions.rnn_cache_sequences import (
    SEQUENCE_CACHES, lstm_backward, lstm_forward, rnn_backward, rnn_forward,
)

__all__ = [
    "rnn_cell_forward", "rnn_forward", "lstm_cell_forward", "lstm_forward",
    "rnn_cell_backward", "rnn_backward", "lstm_cell_backward", "lstm_backward",
    "RNN_CELL_CACHE", "LSTM_CELL_CACHE", "SEQUENCE_CACHES",
]
