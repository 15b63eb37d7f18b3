"""The free answers of the class, read from the gradebook, and the answer groups of one item.

Students are known to the pages by an opaque id (a hash of the student id) and, while names are
hidden, by a number (their rank by that hash): the same for every TA, unrelated to the roster order.
A submission's answers are re-read only when its grading key changes (it was graded again).
"""
from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field

from grader.review.groups import Group, answer_groups, normalise


def opaque_id(student: str) -> str:
    return hashlib.sha256(f"rnngrade-review:{student}".encode()).hexdigest()[:12]


@dataclass
class Answer:
    student: str
    item: str
    text: str
    attachments: list = field(default_factory=list)
    status: str = ""

    @property
    def normalised(self) -> str:
        return normalise(self.text, self.attachments)


class ClassAnswers:
    """Every submission's free answers, refreshed from the gradebook on each call of ``refresh``."""

    def __init__(self, free_items: list[str]):
        self.free_items = list(free_items)
        self._lock = threading.Lock()
        self._keys: dict[str, str] = {}
        self._answers: dict[str, dict[str, Answer]] = {}
        self._groups: dict[tuple, list] = {}  # (item, threshold, split) -> groups, until an answer changes

    def refresh(self, store) -> None:
        with self._lock:
            current = store.grading_keys()
            for student in set(self._keys) - set(current):
                self._groups.clear()
                self._keys.pop(student)
                self._answers.pop(student, None)
            for student, key in current.items():
                if self._keys.get(student) == key:
                    continue
                d = store.result(student)
                if d is None:
                    continue
                # a submission that could not be loaded, or none at all, has nothing to read
                self._answers[student] = {} if d.get("status") != "graded" else {
                    it["item"]: Answer(student, it["item"], str((it.get("free") or {}).get("text") or ""),
                                       list((it.get("free") or {}).get("attachments") or []), it.get("status", ""))
                    for it in d.get("items", []) if it.get("kind") == "free" and it["item"] in self.free_items}
                self._keys[student] = key
                self._groups.clear()
            self.students = sorted(current)
            self.by_id = {opaque_id(s): s for s in self.students}
            ranked = sorted(self.students, key=opaque_id)
            self.number = {s: n for n, s in enumerate(ranked, start=1)}

    def of_item(self, item: str) -> dict[str, Answer]:
        with self._lock:
            return {s: a[item] for s, a in sorted(self._answers.items()) if item in a}

    def answer(self, student: str, item: str) -> Answer | None:
        with self._lock:
            return self._answers.get(student, {}).get(item)

    def order(self, item: str) -> list[str]:
        """The grading order of an item's answers: by anonymous number, so names do not sort them."""
        return sorted(self.of_item(item), key=lambda s: self.number.get(s, 0))

    def groups(self, item: str, threshold: float, split: set[str]) -> list[Group]:
        """The answer groups of an item (a fresh copy: callers may reorder the members)."""
        key = (item, threshold, frozenset(split))
        with self._lock:
            found = self._groups.get(key)
        if found is None:
            answers = {s: a.normalised for s, a in self.of_item(item).items()}
            found = answer_groups(answers, threshold, split)
            with self._lock:
                self._groups[key] = found
        return [Group(list(g.students), g.identical) for g in found]
