"""Literal anchors of a regex: strings one of which every match must contain.

The matcher adds them to its Aho-Corasick automaton, so a rule's regex is
only run on sentences where the one-pass term search already saw an anchor,
instead of on every sentence (60 regex searches per sentence before).
Its guard (regex_guards) adds the other strings a match needs, so a regex
whose anchor is there but not the rest of its words is not run either.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any


def _sre() -> tuple[Any, Any]:
    """Python's own regex parser: `re._parser` from 3.11, `sre_parse` before."""
    try:
        return importlib.import_module("re._parser"), importlib.import_module("re._constants")
    except ImportError:  # pragma: no cover - Python 3.10
        return importlib.import_module("sre_parse"), importlib.import_module("sre_constants")


_p, _c = _sre()


@lru_cache(maxsize=512)
def _items(pattern: str) -> tuple[tuple[Any, Any], ...] | None:
    """The parsed top-level items of `pattern`; None when its literals prove nothing."""
    try:
        parsed = _p.parse(pattern)
    except (re.error, RecursionError):
        return None
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
        return None
    return tuple(parsed)


def regex_anchors(pattern: str) -> frozenset[str] | None:
    """The anchors of `pattern`, or None when no such set can be proven."""
    items = _items(pattern)
    found = None if items is None else _required(list(items))
    return frozenset(found) if found and all(found) else None


Guard = tuple[tuple[frozenset[str], ...], ...]


def regex_guards(pattern: str) -> Guard | None:
    """What a match needs, per top-level alternative: some alternative must
    find, for each of its sets, one of the set's strings in the text (a cheap
    test that rules most non-matching sentences out before the regex runs).

    `(投诉|客诉)[^。;]{0,15}(时限|时效)` → (({投诉, 客诉}, {时限, 时效}),).
    None when some alternative needs no literal at all.
    """
    items = _items(pattern)
    if items is None:
        return None
    branches = [list(b) for b in items[0][1][1]] \
        if len(items) == 1 and items[0][0] is _c.BRANCH else [list(items)]
    guard = tuple(tuple(frozenset(s) for s in _every_required(b)) for b in branches)
    return guard if all(guard) else None


def _every_required(items: list[tuple[Any, Any]]) -> list[set[str]]:
    """Every item of a sequence must match: the anchors of each one that has them."""
    return [found for found in _pieces(items) if found and all(found)]


def _required(items: list[tuple[Any, Any]]) -> set[str] | None:
    """Every item of a sequence must match: the first one that yields anchors wins."""
    return next((found for found in _pieces(items) if found), None)


def _pieces(items: list[tuple[Any, Any]]) -> Iterator[set[str] | None]:
    """In order, lazily: each run of literal characters as one string, and the
    anchors of every other item (None or empty when it has none)."""
    literal = ""
    for op, av in items:
        if op is _c.LITERAL:
            literal += chr(av)
            continue
        if literal:
            yield {literal}
            literal = ""
        yield _item(op, av)
    if literal:
        yield {literal}


def _item(op: Any, av: Any) -> set[str] | None:
    if op is _c.SUBPATTERN:  # (?i:…) folds case: its literals prove nothing
        return None if av[1] & re.IGNORECASE else _required(list(av[-1]))
    if op is _c.BRANCH:
        branches = [_required(list(b)) for b in av[1]]
        if any(b is None for b in branches):
            return None
        return set().union(*(b for b in branches if b))
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[0] >= 1:
        return _required(list(av[2]))
    return None
