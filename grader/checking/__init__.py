"""Checking: input generators, cases (inputs + expected + tolerance), the staged comparison of what a
submission returned (``compare``, also shipped to students), and the forward/backward consistency check.
"""
