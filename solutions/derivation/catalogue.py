"""Prose of the reference derivation, in English and Chinese (same keys, same fields), from the TOML
catalogue ``solutions/derivation/i18n/<lang>.toml`` read by :mod:`msgcat` (the project's one catalogue
format, at the bottom layer: the answer key imports nothing from the grader).

Formulas are never written there: each text introduces the SymPy-printed formula that follows it.
"""
from __future__ import annotations

from pathlib import Path

import msgcat

CATALOGUE_DIR = Path(__file__).parent / "i18n"
TEXTS = {lang: msgcat.load(CATALOGUE_DIR, lang) for lang in msgcat.languages(CATALOGUE_DIR)}
