"""Parse a piece of students' code once per distinct text.

A notebook cell that the template gave every student (imports, helpers, a test cell) is the same
text in every submission: its tree is remembered, so the next student's copy costs a dictionary
lookup. A ``.py`` file is each student's own: it is parsed whole, once, and not kept (trees kept
alive make every later parse slower: the collector walks them again and again).

Trees are shared between submissions: callers must not modify them.
"""
from __future__ import annotations

import ast
import threading
from collections import OrderedDict
from typing import Optional

_MAX_CHARS = 100_000  # text of the cached sources (~5 MB of trees: ~50 bytes per character)
_MAX_ENTRIES = 8192
_FAILED = object()  # the source raised SyntaxError or ValueError


class _TreeCache:
    """LRU of parsed sources by their text, bounded by the total text held; thread-safe."""

    def __init__(self) -> None:
        self._data: OrderedDict = OrderedDict()
        self._chars = 0
        self._lock = threading.Lock()

    def get(self, source: str):
        with self._lock:
            hit = self._data.get(source)
            if hit is not None:
                self._data.move_to_end(source)
            return hit

    def put(self, source: str, value) -> None:
        if len(source) > _MAX_CHARS // 4:
            return
        with self._lock:
            if source not in self._data:
                self._chars += len(source)
            self._data[source] = value
            while self._chars > _MAX_CHARS or len(self._data) > _MAX_ENTRIES:
                old, _ = self._data.popitem(last=False)
                self._chars -= len(old)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self._chars = 0


_cache = _TreeCache()


def cached_tree(source: str) -> Optional[ast.Module]:
    """``ast.parse(source)``, remembered by text; None when it raises SyntaxError or ValueError.

    RecursionError and MemoryError propagate, as from ``ast.parse`` (and are not remembered).
    """
    hit = _cache.get(source)
    if hit is None:
        try:
            hit = ast.parse(source)
        except (SyntaxError, ValueError):
            hit = _FAILED
        _cache.put(source, hit)
    return None if hit is _FAILED else hit


def clear_cache() -> None:
    """Forget every remembered tree (tests)."""
    _cache.clear()
