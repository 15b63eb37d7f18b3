"""Answer groups: answers a TA can grade at once.

Two answers are in one group when their normalised texts are equal (case folded, every space and
punctuation or symbol character removed, attached images compared by content), or when they are
near-identical: ``difflib.SequenceMatcher(None, a, b).ratio() >= threshold`` on the normalised texts
(ratio = 2·M / (|a| + |b|), M the matched characters). A group is built greedily: each bucket of equal
answers joins the first group whose first bucket is similar enough, so a group never chains
through a run of answers that each differ a little from the next. Answers a TA split out stay alone.
"""
from __future__ import annotations

import difflib
import hashlib
import unicodedata
from dataclasses import dataclass


def normalise(text: str, attachments: list | None = None) -> str:
    """The text compared: case folded, spaces, punctuation and symbols removed; images by hash."""
    kept = "".join(ch for ch in unicodedata.normalize("NFKC", text or "").casefold()
                   if not (ch.isspace() or unicodedata.category(ch)[0] in "PSZC"))
    images = sorted(hashlib.sha256(str(a.get("data_b64", "")).encode()).hexdigest()[:16]
                    for a in attachments or [])
    return kept + ("|" + ",".join(images) if images else "")


def similarity(a: str, b: str) -> float:
    """difflib's ratio of two normalised texts, 1.0 for two empty ones."""
    if a == b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


@dataclass
class Group:
    students: list[str]          # sorted by student id
    identical: bool              # every answer normalises to the same text

    @property
    def size(self) -> int:
        return len(self.students)


def answer_groups(answers: dict[str, str], threshold: float, split: set[str] = frozenset()) -> list[Group]:
    """Group ``answers`` (student -> normalised text); order: largest group first, then by student."""
    buckets: dict[str, list[str]] = {}
    alone = []
    for student in sorted(answers):
        if student in split:
            alone.append(Group([student], True))
        else:
            buckets.setdefault(answers[student], []).append(student)
    merged: list[tuple[str, list[list[str]]]] = []  # (first bucket's text, buckets)
    for text, students in sorted(buckets.items(), key=lambda kv: (-len(kv[1]), kv[1][0])):
        for head, members in merged:
            if threshold < 1.0 and _close(head, text, threshold):
                members.append(students)
                break
        else:
            merged.append((text, [students]))
    groups = [Group(sorted(s for b in members for s in b), len(members) == 1) for _, members in merged]
    return sorted(groups + alone, key=lambda g: (-g.size, g.students[0]))


def _close(a: str, b: str, threshold: float) -> bool:
    m = difflib.SequenceMatcher(None, a, b, autojunk=False)
    # the cheap upper bounds first: most pairs of a class's answers are far apart
    return m.real_quick_ratio() >= threshold and m.quick_ratio() >= threshold and m.ratio() >= threshold
