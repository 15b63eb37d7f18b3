"""Answer groups: answers a TA can grade at once.

Two answers are in one group when their normalised texts are equal (case folded, every space and
punctuation or symbol character removed, attached images compared by content), or when they are
near-identical: the Jaccard index of their character 4-gram shingles, ``|A ∩ B| / |A ∪ B|``, is at
least the threshold. Character shingles of the normalised text work the same for Chinese (no spaces
between words) and English (difflib's ratio took seconds for a few hundred answers). A group is built
greedily: each bucket of equal answers joins the first group whose first bucket is similar enough, so a
group never chains through a run of answers that each differ a little from the next. Answers a TA split
out stay alone. Only heads that share a rare shingle with the bucket are compared (prefix filtering,
``_prefix``): the same groups as comparing every pair, with a fraction of the comparisons (2,000
different answers of 60 words took 56 s that way, 3 s of CPU now; 300 answers of the model answer's
length, a third of them copies, 0.2 s).
"""
from __future__ import annotations

import hashlib
import math
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
    ordered = sorted(buckets.items(), key=lambda kv: (-len(kv[1]), kv[1][0]))
    sets = [shingles(text) for text, _ in ordered]
    rank = _rarity(sets)
    merged: list[tuple[frozenset, list[list[str]]]] = []  # (first bucket's shingles, buckets)
    index: dict[str, list[int]] = {}  # a shingle of a head's prefix -> the groups (in creation order)
    for (_, students), mine in zip(ordered, sets):
        target = None
        if threshold < 1.0:
            prefix = _prefix(mine, threshold, rank)
            candidates = sorted({k for sh in prefix for k in index.get(sh, ())})
            target = next((k for k in candidates if _close(merged[k][0], mine, threshold)), None)
        if target is not None:
            merged[target][1].append(students)
            continue
        merged.append((mine, [students]))
        if threshold < 1.0:
            for sh in prefix:
                index.setdefault(sh, []).append(len(merged) - 1)
    groups = [Group(sorted(s for b in members for s in b), len(members) == 1) for _, members in merged]
    return sorted(groups + alone, key=lambda g: (-g.size, g.students[0]))


def _rarity(sets: list) -> dict:
    """Each shingle's rank, rarest first (ties by the shingle): the global order of prefix filtering."""
    counts: dict[str, int] = {}
    for s in sets:
        for sh in s:
            counts[sh] = counts.get(sh, 0) + 1
    return {sh: n for n, sh in enumerate(sorted(counts, key=lambda sh: (counts[sh], sh)))}


def _prefix(s: frozenset, threshold: float, rank: dict) -> list:
    """The rarest ``|s| - ceil(t|s|) + 1`` shingles of ``s`` (prefix filtering, Chaudhuri et al. 2006).

    ``J(A, B) >= t`` needs ``|A ∩ B| >= t max(|A|, |B|)``; two sets sharing that many shingles share one
    among the rarest ``|A| - ceil(t|A|) + 1`` of A and of B (in one global order). So a head that
    shares no shingle of the prefixes is never close: only heads found through the prefix index are
    compared, and the first of them that is close is the group the full scan would have chosen. One
    shingle more than the bound keeps rounding of ``t|s|`` on the safe side.
    """
    keep = min(len(s), len(s) - math.ceil(threshold * len(s)) + 2)
    return sorted(s, key=rank.__getitem__)[:max(keep, 1)]


def _close(a: frozenset, b: frozenset, threshold: float) -> bool:
    # |A ∩ B| / |A ∪ B| <= min / max: sets of very different sizes are never compared
    small, large = sorted((len(a), len(b)))
    if small < threshold * large:
        return False
    common = len(a & b)
    return common >= threshold * (len(a) + len(b) - common)
