"""Text made from one item's view, remembered for the rest of the process.

The reports of one class repeat most items word for word (every correct function shows the same
passed cases), so an item's HTML article and its plain-text feedback are rendered once per distinct
view. A view (``views.item_view``) holds only plain values and ``Markup``, so its ``repr`` determines
what is rendered from it; together with the language, the template and the renderer, it is the key.
"""
from __future__ import annotations

from typing import Callable, NamedTuple, Optional

from grader.model import ItemResult

MAX_ENTRIES = 2048  # the memo is emptied when full: a class has far fewer distinct items
MAX_KEY_LENGTH = 50_000  # larger views (embedded images, long output) are rendered each time
# Characters held (keys and texts): escaping makes an article up to ~5x its key, so 2,048 entries
# of long printed output would hold hundreds of MB per worker; the shared views are a few KB each.
MAX_CHARS = 20_000_000

_MEMO: dict = {}
_held = 0  # characters in _MEMO


class ShownItem(NamedTuple):
    """An item as a report shows it: the (redacted) item, the status of the forward function its
    consistency sentence refers to, its view, and the view's memo key (``None``: not memoised)."""

    item: ItemResult
    forward_status: Optional[str]
    view: dict
    key: Optional[str]


def view_key(view: dict) -> Optional[str]:
    key = repr(view)
    return key if len(key) <= MAX_KEY_LENGTH else None


def remembered(kind: object, lang: str, key: Optional[str], make: Callable[[], str]) -> str:
    """``make()``, or what it returned before for the same ``kind`` (the renderer: a template, a
    function), language and view key."""
    if key is None:
        return make()
    global _held
    k = (kind, lang, key)
    text = _MEMO.get(k)
    if text is None:
        text = make()
        size = len(key) + len(text)
        if len(_MEMO) >= MAX_ENTRIES or _held + size > MAX_CHARS:
            _MEMO.clear()
            _held = 0
        _MEMO[k] = text
        _held += size
    return text


def clear() -> None:
    """Forget every remembered text (tests)."""
    global _held
    _MEMO.clear()
    _held = 0
