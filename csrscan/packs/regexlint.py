"""Warn about rule regexes that can backtrack without end (`rules validate`).

A quantifier inside a quantified group — `(a+)+`, `(\\w|\\w\\w)*`, `(x*y?)+` —
lets the engine split one run of text among the repetitions in exponentially
many ways when a match fails. A user pack's searches have a time budget
(match/compiled.py, and text/guard.py for the grading's) so a scan cannot hang
on one; this warning names the rule or grading key before a report ever meets it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from csrscan.models import Pack


def _parser() -> Any:
    """The parser of `re` (moved to re._parser in 3.11; both spell the same tree)."""
    import importlib

    try:
        return importlib.import_module("re._parser")
    except ImportError:  # Python 3.10
        return importlib.import_module("sre_parse")


_REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")


def nested_quantifier(pattern: str) -> bool:
    """Whether a repetition (upper bound > 1) holds another one, or an alternation
    of several branches that can each repeat."""
    try:
        tree = _parser().parse(pattern)
    except (re.error, RecursionError):
        return False  # load.py words a bad regex
    return any(_nested(item, 0) for item in tree)


def _nested(item: tuple[Any, Any], depth: int) -> bool:
    op, arg = item
    name = str(op)
    if name in _REPEATS:
        low, high, body = arg
        varies = high is _parser().MAXREPEAT or high > max(low, 1)  # a{2} is one fixed length
        inner = depth + (1 if varies else 0)
        if inner >= 2:
            return True
        return any(_nested(sub, inner) for sub in body)
    if name == "BRANCH" and depth >= 1 and _overlap(arg[1]):  # (a|aa)+: splits as a repeat
        return True
    return any(_nested(sub, depth) for sub in _children(name, arg))


def _overlap(branches: list[Any]) -> bool:
    """Two branches that begin alike, or an empty one (the parser factors `a|aa`
    into `a(|a)`): a repetition can take one or the other."""
    firsts = [repr(b[0]) if len(b) else "" for b in branches]
    if "" in firsts:
        return True
    return len(set(firsts)) < len(firsts)


def _children(name: str, arg: Any) -> Iterator[tuple[Any, Any]]:
    if name == "SUBPATTERN":
        yield from arg[-1]
    elif name == "BRANCH":
        for branch in arg[1]:
            yield from branch
    elif name in ("ASSERT", "ASSERT_NOT"):
        yield from arg[1]
    elif name == "ATOMIC_GROUP":
        yield from arg


_WARNING = ("nests a quantifier in a repeated group (may backtrack without end on a long "
            "line; a scan stops it after its time budget)")


def pack_warnings(pack: Pack) -> list[str]:
    """One line per indicator regex, and per regex of the pack's own grading
    keys (not the built-in base's), with a nested quantifier."""
    rules = [f"{pack.path}: rule {ind.id}: regex {p.regex!r} {_WARNING}"
             for ind in pack.indicators for p in ind.patterns
             if p.regex and nested_quantifier(p.regex)]
    grading = pack.grading
    return rules + [f"{grading.guarded_by}: key 'grading.{key}': regex {pattern!r} {_WARNING}"
                    for key in grading.guarded for pattern in getattr(grading, key)
                    if nested_quantifier(pattern.replace("{unit}", "u"))]
