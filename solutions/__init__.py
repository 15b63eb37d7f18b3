"""The answer key: NumPy reference implementations of the nndl-ch6 contract (float64, columns are
examples; see the design notes for shapes and return orders)."""
from solutions.activations import sigmoid, softmax
from solutions.clipping import clip_by_global_norm
from solutions.gru import gru_backward, gru_cell_backward, gru_cell_forward, gru_forward
from solutions.lstm import lstm_backward, lstm_cell_backward, lstm_cell_forward, lstm_forward
from solutions.residual import residual_rnn_backward, residual_rnn_forward, residual_rnn_step_jacobian

__all__ = [
    "sigmoid", "softmax", "clip_by_global_norm",
    "lstm_cell_forward", "lstm_cell_backward", "lstm_forward", "lstm_backward",
    "gru_cell_forward", "gru_cell_backward", "gru_forward", "gru_backward",
    "residual_rnn_forward", "residual_rnn_backward", "residual_rnn_step_jacobian",
]
