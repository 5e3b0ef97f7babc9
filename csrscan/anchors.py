"""Literal anchors of a regex: strings one of which every match must contain.

The matcher adds them to its Aho-Corasick automaton, so a rule's regex is
only run on sentences where the one-pass term search already saw an anchor,
instead of on every sentence (60 regex searches per sentence before).
"""

from __future__ import annotations

import importlib
import re
from typing import Any


def _sre() -> tuple[Any, Any]:
    """Python's own regex parser: `re._parser` from 3.11, `sre_parse` before."""
    try:
        return importlib.import_module("re._parser"), importlib.import_module("re._constants")
    except ImportError:  # pragma: no cover - Python 3.10
        return importlib.import_module("sre_parse"), importlib.import_module("sre_constants")


_p, _c = _sre()


def regex_anchors(pattern: str) -> frozenset[str] | None:
    """The anchors of `pattern`, or None when no such set can be proven."""
    try:
        parsed = _p.parse(pattern)
    except (re.error, RecursionError):
        return None
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
        return None
    found = _required(list(parsed))
    return frozenset(found) if found and all(found) else None


def _required(items: list[tuple[Any, Any]]) -> set[str] | None:
    """Every item of a sequence must match: the first one that yields anchors wins."""
    literal = ""
    for op, av in items:
        if op is _c.LITERAL:
            literal += chr(av)
            continue
        if literal:
            return {literal}
        found = _item(op, av)
        if found:
            return found
    return {literal} if literal else None


def _item(op: Any, av: Any) -> set[str] | None:
    if op is _c.SUBPATTERN:
        return _required(list(av[-1]))
    if op is _c.BRANCH:
        branches = [_required(list(b)) for b in av[1]]
        if any(b is None for b in branches):
            return None
        return set().union(*(b for b in branches if b))
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[0] >= 1:
        return _required(list(av[2]))
    return None
