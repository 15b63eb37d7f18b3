"""Answer groups: answers a TA can grade at once.

Two answers are in one group when their normalised texts are equal (case folded, every space and
punctuation or symbol character removed, attached images compared by content), or when they are
near-identical: the Jaccard index of their character 4-gram shingles, ``|A ∩ B| / |A ∪ B|``, is at
least the threshold. Character shingles of the normalised text work the same for Chinese (no spaces
between words) and English; a set intersection is fast enough to compare a class on each page load
(difflib's ratio took seconds for a few hundred answers). A group is built greedily: each bucket of
equal answers joins the first group whose first bucket is similar enough, so a group never chains
through a run of answers that each differ a little from the next. Answers a TA split out stay alone.
"""
from __future__ import annotations

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


SHINGLE = 4


def shingles(text: str) -> frozenset:
    """The character 4-grams of a normalised text (the text itself when shorter)."""
    if len(text) <= SHINGLE:
        return frozenset([text])
    return frozenset(text[k:k + SHINGLE] for k in range(len(text) - SHINGLE + 1))


def similarity(a: str, b: str) -> float:
    """Jaccard index of the shingles of two normalised texts: 1.0 for equal texts."""
    if a == b:
        return 1.0
    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / len(sa | sb)


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
    merged: list[tuple[frozenset, list[list[str]]]] = []  # (first bucket's shingles, buckets)
    for text, students in sorted(buckets.items(), key=lambda kv: (-len(kv[1]), kv[1][0])):
        mine = shingles(text)
        for head, members in merged:
            if threshold < 1.0 and _close(head, mine, threshold):
                members.append(students)
                break
        else:
            merged.append((mine, [students]))
    groups = [Group(sorted(s for b in members for s in b), len(members) == 1) for _, members in merged]
    return sorted(groups + alone, key=lambda g: (-g.size, g.students[0]))


def _close(a: frozenset, b: frozenset, threshold: float) -> bool:
    # |A ∩ B| / |A ∪ B| <= min / max: sets of very different sizes are never compared
    small, large = sorted((len(a), len(b)))
    if small < threshold * large:
        return False
    common = len(a & b)
    return common >= threshold * (len(a) + len(b) - common)
