"""Build the small "wild" notebooks stored beside this file, modelled on real student notebooks.

Run ``python tests/corpus/wild/build.py`` after changing a builder; a test checks that the stored
files are what the builders produce. Content is deterministic (fixed cell ids, no timestamps).
"""
from __future__ import annotations

import base64
from pathlib import Path

import nbformat
from nbformat import v3, v4

HERE = Path(__file__).resolve().parent

# Smallest valid images of each kind (the loader checks signatures, not full decodability).
PNG_B64 = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(17)).decode()
JPEG_B64 = base64.b64encode(b"\xff\xd8\xff\xe0" + bytes(16)).decode()
SVG_B64 = base64.b64encode(b'<svg xmlns="http://www.w3.org/2000/svg"/>').decode()

LSTM_CELL = '''\
def lstm_cell_forward(xt, h_prev, c_prev, parameters):
    concat = np.concatenate([h_prev, xt], axis=0)
    f = sigmoid(parameters["Wf"] @ concat + parameters["bf"])
    i = sigmoid(parameters["Wi"] @ concat + parameters["bi"])
    cc = np.tanh(parameters["Wc"] @ concat + parameters["bc"])
    o = sigmoid(parameters["Wo"] @ concat + parameters["bo"])
    c_next = f * c_prev + i * cc
    h_next = o * np.tanh(c_next)
    yt_pred = softmax(parameters["Wy"] @ h_next + parameters["by"])
    return h_next, c_next, yt_pred'''

HALF_WRITTEN = '''\
def lstm_backward(dh, x, h0, parameters):
    n_h, m, T = dh.shape
    for t in reversed(range(T)):
        grads = lstm_cell_backward(dh[:, :, t] +'''


def colab_notebook() -> nbformat.NotebookNode:
    """A Colab-style v4 notebook with the things real submissions contain (one of each)."""
    md, code = v4.new_markdown_cell, v4.new_code_cell
    cells = [
        md("# Chapter 6: gated recurrent networks"),                                        # 1
        code("from google.colab import drive\ndrive.mount('/content/drive')"),              # 2
        code("cd '/content/drive/My Drive/nndl'"),                                          # 3
        code("!pip install -q nbformat\n%matplotlib inline\nimport numpy as np"),           # 4
        code("def sigmoid(x):\n    return 1 / (1 + np.exp(-x))\n\n"
             "def softmax(x):\n    e = np.exp(x - x.max(axis=0))\n    return e / e.sum(axis=0)"),  # 5
        code(LSTM_CELL),                                                                    # 6
        code("np.random.seed(1)\nxt = np.random.randn(3, 10)\nprint(lstm_cell_forward)"),  # 7
        code(HALF_WRITTEN),                                                                 # 8
        code("print(lstm_backward)"),                                                       # 9
        code("def gru_cell_forward(xt, h_prev, parameters):\n"
             "    # YOUR CODE HERE\n    raise NotImplementedError()"),                       # 10
        code("import rnngrade_local\nrnngrade_local.check('lstm_cell_forward')",
             metadata={"tags": ["rnngrade-check"]}),                                        # 11
        code('answer_lstm_dc_prev = "dc*f"\n'
             'answer_lstm_dc_prev = "(dc + dh*o*(1 - tanh(c)**2))*f"\n'
             'answer_lstm_dforget = f"{dc}*c_prev*f*(1 - f)"'),                             # 12
        md("The forget gate keeps the gradient: ![plot](attachment:image.png)",
           metadata={"tags": ["free_6_4"]},
           attachments={"image.png": {"image/png": PNG_B64},
                        "drawing.svg": {"image/svg+xml": SVG_B64}}),                        # 13
        md("Second part, with another pasted ![plot](attachment:image.png)",
           metadata={"tags": ["free_6_4"]},
           attachments={"image.png": {"image/jpeg": JPEG_B64}}),                            # 14
        md(f"GRU when data is small. <img src=\"data:image/png;base64,{PNG_B64}\">",
           metadata={"tags": ["free_6_1p"]}),                                               # 15
        code("%%time\nh = lstm_cell_forward"),                                              # 16
        code("%%bash\necho hello"),                                                         # 17
        code("np.zeros?"),                                                                  # 18
        code("files = !ls\nprint(files)"),                                                  # 19
    ]
    for k, cell in enumerate(cells):
        cell.id = f"cell-{k + 1}"
    nb = v4.new_notebook(cells=cells)
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                  "language": "python"},
                   "colab": {"provenance": []},
                   "rnngrade": {"version": "2026.1"}}
    nb.nbformat_minor = 5
    return nb


def old_v3_notebook() -> nbformat.NotebookNode:
    """A notebook in the old format 3 (worksheets, `input`, heading cells), as older courses shipped."""
    cells = [
        v3.new_heading_cell("Building a recurrent network", level=1),
        v3.new_code_cell(input="%pylab inline\nimport numpy as np"),
        v3.new_code_cell(input="def rnn_cell_forward(xt, a_prev, parameters):\n"
                               "    return np.tanh(parameters['Waa'] @ a_prev)"),
        v3.new_text_cell("markdown", source="Why do gradients explode?"),
        v3.new_code_cell(input='answer_residual_dh = "1 + u*(1 - tanh(u*h + w*x + b)**2)"'),
    ]
    return v3.new_notebook(worksheets=[v3.new_worksheet(cells=cells)], metadata={"name": "old"})


def write_all() -> None:
    (HERE / "colab_lstm.ipynb").write_text(nbformat.writes(colab_notebook()), encoding="utf-8")
    (HERE / "old_v3.ipynb").write_text(v3.writes_json(old_v3_notebook()) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write_all()
