"""LMS intake cost (no grading): extract a Canvas-style class download and build the intake plan.

Writes a zip of N submissions named as Canvas names them (every tenth marked LATE, every fifth with a
resubmission), with a roster, then prints the seconds to extract it safely under OUT/intake and to
match every student to the roster, and the extracted size.

    python benchmarks/bench_lms_intake.py            # N = 300
    python benchmarks/bench_lms_intake.py --n 1000
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    from grader.lms.intake import IntakeOptions, prepare_intake
    from grader.lms.late import parse_deadline, parse_policy
    from grader.lms.roster import read_roster

    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=300)
    args = parser.parse_args()
    source = (ROOT / "assignments" / "nndl_ch6" / "solution.py").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        lines = ["student,name,sortable_name,login,email,lms_id"]
        with zipfile.ZipFile(tmp / "canvas.zip", "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for i in range(args.n):
                uid = 10_000 + i
                lines.append(f"s{i},Student {i},\"{i}, Student\",login{i},s{i}@example.edu,{uid}")
                late = "LATE_" if i % 10 == 0 else ""
                zf.writestr(f"student{i}_{late}{uid}_{50_000 + i}_nndl_ch6.py", source + f"\n# {i}\n")
                if i % 5 == 0:
                    zf.writestr(f"student{i}_{late}{uid}_{50_000 + i}_nndl_ch6-1.py", source + f"\n# {i} again\n")
        (tmp / "roster.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        roster = read_roster(tmp / "roster.csv")
        t0 = time.perf_counter()
        plan = prepare_intake(tmp / "canvas.zip", tmp / "out", roster,
                              IntakeOptions(deadline=parse_deadline("2026-12-01T23:59:00+08:00"),
                                            policy=parse_policy("10%/day, max 3 days")))
        seconds = time.perf_counter() - t0
        size = sum(p.stat().st_size for p in (tmp / "out" / "intake").rglob("*") if p.is_file())
        matched = sum(1 for r in plan.rows if r.status == "mapped")
        print(f"{args.n} students ({(tmp / 'canvas.zip').stat().st_size / 1e6:.1f} MB zip, {size / 1e6:.1f} MB "
              f"extracted): extracted and matched in {seconds:.2f} s ({1000 * seconds / args.n:.2f} ms per student); "
              f"{matched} matched to the roster")


if __name__ == "__main__":
    main()
