"""gru_forward never returns; the other function is fine and must still be graded."""
import numpy as np


def gru_forward(x, h0, parameters):
    while True:
        pass


def gru_cell_forward(xt, h_prev, parameters):
    return np.tanh(h_prev), xt.sum(axis=0, keepdims=True)
