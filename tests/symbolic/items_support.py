"""The four symbolic items of DESIGN.md, as the spec declares them (symbols, abbreviations, domain)."""
from assignments.spec import ItemSpec

GATE_DOMAIN = {"f": (0.05, 0.95), "i": (0.05, 0.95), "o": (0.05, 0.95), "g": (-0.95, 0.95)}
LSTM_SYMBOLS = ("dh", "dc", "f", "i", "o", "g", "c_prev")
GRU_SYMBOLS = ("h", "x", "wz", "uz", "bz", "wr", "ur", "br", "wh", "uh", "bh")
GRU_ABBREVIATIONS = {"z": "sigmoid(wz*x + uz*h + bz)", "r": "sigmoid(wr*x + ur*h + br)",
                     "n": "tanh(wh*x + uh*r*h + bh)"}

ITEMS = {
    "answer_residual_dh": ItemSpec(
        id="answer_residual_dh", kind="symbolic", points=5, exercise="6-3",
        symbols=("u", "w", "b", "h", "x"), reference="solutions.symbolic:residual_dh"),
    "answer_lstm_dc_prev": ItemSpec(
        id="answer_lstm_dc_prev", kind="symbolic", points=5, exercise="6-4",
        symbols=LSTM_SYMBOLS, abbreviations={"c": "f*c_prev + i*g"}, domain=GATE_DOMAIN,
        reference="solutions.symbolic:lstm_dc_prev"),
    "answer_lstm_dforget": ItemSpec(
        id="answer_lstm_dforget", kind="symbolic", points=5, exercise="6-4",
        symbols=LSTM_SYMBOLS, abbreviations={"c": "f*c_prev + i*g"}, domain=GATE_DOMAIN,
        reference="solutions.symbolic:lstm_dforget"),
    "answer_gru_dh_prev": ItemSpec(
        id="answer_gru_dh_prev", kind="symbolic", points=5, exercise="6-5",
        symbols=GRU_SYMBOLS, abbreviations=GRU_ABBREVIATIONS,
        reference="solutions.symbolic:gru_dh_prev"),
}


def check(item_id: str, answer: str) -> dict:
    """check_answer in-process with the item's declarations and its reference."""
    from grader.symbolic.equivalence import check_answer
    from grader.symbolic.service import import_reference

    item = ITEMS[item_id]
    return check_answer(answer, item_id=item.id, symbols=item.symbols,
                        abbreviations=item.abbreviations, domain=item.domain,
                        reference=import_reference(item.reference)())
