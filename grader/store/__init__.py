"""The gradebook store: the SQLite source of truth (gradebook) and the compact form its rows keep
(stored).
"""
