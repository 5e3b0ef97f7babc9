"""Bounded memory for the matcher on a huge text: its memo and shared tuples.

A sentence repeated (boilerplate, a template) is matched once; a text of
100 MB has millions of sentences, so the memo keeps only what fits a budget,
letting go of the sentences least recently seen. Evidence of one set of
matched terms shares one tuple of them.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

V = TypeVar("V")
MEMO_WEIGHT = 4 << 20  # about the bytes of the values remembered
SHARED_MAX = 1 << 12  # distinct tuples shared


class Memo(Generic[V]):
    """A str-keyed memo holding at most about `budget` of `weight`."""

    def __init__(self, weight: Callable[[str, V], int], budget: int = MEMO_WEIGHT) -> None:
        self._seen: OrderedDict[str, V] = OrderedDict()  # least recently seen first
        self._weight, self._budget, self._held = weight, budget, 0

    def get(self, key: str) -> V | None:
        value = self._seen.get(key)
        if value is not None:
            self._seen.move_to_end(key)  # kept longest: what repeats most
        return value

    def put(self, key: str, value: V) -> None:
        self._held += self._weight(key, value)
        while self._seen and self._held > self._budget:  # in O(1) each
            self._held -= self._weight(*self._seen.popitem(last=False))
        self._seen[key] = value


class Shared:
    """One tuple for each set of strings, up to SHARED_MAX sets (a regex's
    matched text makes a set of its own: those past the limit are not kept)."""

    def __init__(self) -> None:
        self._tuples: dict[tuple[str, ...], tuple[str, ...]] = {}

    def __call__(self, terms: tuple[str, ...]) -> tuple[str, ...]:
        if (got := self._tuples.get(terms)) is not None:
            return got
        if len(self._tuples) < SHARED_MAX:
            self._tuples[terms] = terms
        return terms
