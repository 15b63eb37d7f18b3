"""Derivations and symbolic grading: how long the SymPy side takes.

Prints the time of all derivations of solutions/symbolic.py on first use and cached (target: all of
it under 5 s), the reference derivation page, and grading one symbolic answer in the limited worker
process: the first answer (worker start included), a new answer, and a repeated one (cached).

    python benchmarks/bench_symbolic.py
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _ms(t0: float) -> float:
    return (time.perf_counter() - t0) * 1e3


def main() -> None:
    t0 = time.perf_counter()
    import solutions.symbolic as sym

    print(f"import solutions.symbolic (with SymPy): {_ms(t0):.0f} ms")
    derivations = [sym.residual_dh, sym.lstm_dc_prev, sym.lstm_dforget, sym.gru_dh_prev,
                   sym.lstm_preactivation_grads, sym.lstm_param_grads, sym.gru_param_grads,
                   sym.gru_local_partials]
    t0 = time.perf_counter()
    for d in derivations:
        d()
    print(f"all derivations, first run: {_ms(t0):.0f} ms (target: under 5,000 ms)")
    t0 = time.perf_counter()
    for d in derivations:
        d()
    print(f"all derivations, cached: {_ms(t0) * 1e3:.1f} us")

    from solutions.derivation import render_derivation_html

    for lang in ("en", "zh"):
        t0 = time.perf_counter()
        render_derivation_html("nndl-ch6", lang)
        print(f"derivation page ({lang}): {_ms(t0):.0f} ms")

    from assignments.spec import load_spec
    from grader.symbolic import SymbolicGrader

    spec = load_spec("nndl-ch6")
    item = spec.item("answer_lstm_dc_prev")
    answers = ["(dc + dh*o*(1 - tanh(c)**2))*f", "f*dc + f*dh*o*(1 - tanh(f*c_prev + i*g)**2)",
               "(dc + dh*o/cosh(c)**2)*f"]
    with SymbolicGrader() as grader:
        for label, answer in (("first answer (worker start included)", answers[0]),
                              ("a new equivalent answer", answers[1]), ("another new answer", answers[2]),
                              ("a repeated answer (cached)", answers[0])):
            t0 = time.perf_counter()
            verdict = grader.grade(item, answer, "en", spec.resolve)
            print(f"grade {label}: {_ms(t0):.1f} ms -> {verdict['verdict']}")


if __name__ == "__main__":
    main()
