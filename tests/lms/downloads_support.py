"""Write the sample LMS downloads the end-to-end tests grade (and a roster), to look at or to try by hand:

    python -m tests.lms.downloads_support FOLDER

FOLDER gets canvas.zip, moodle.zip and roster.csv (see grader/lms/samples.py for who is in them).
"""
from __future__ import annotations

import sys
from pathlib import Path

from grader.lms import samples


def make(folder: Path) -> dict:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return {"canvas": samples.canvas_zip(folder / "canvas.zip"), "moodle": samples.moodle_zip(folder / "moodle.zip"),
            "roster": samples.roster_csv(folder / "roster.csv")}


if __name__ == "__main__":  # pragma: no cover
    for name, path in make(Path(sys.argv[1] if len(sys.argv) > 1 else "lms-downloads")).items():
        print(f"{name}: {path}")
