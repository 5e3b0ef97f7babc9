"""A regex with a cheap guard: one character class that every match needs.

The grading patterns and index markers are pack data and run on many
sentences. Python's regex engine skips ahead only to a literal first
character; a pattern that starts with a group, a class or an assertion is
tried at every position (10–18 µs a sentence). A character class that every
match must contain rules most sentences out first (~1 µs), so the guard is
derived from the parsed pattern, never written by hand: a guard can only be
a necessary condition, and test_grade checks guard + regex = regex.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

from csrscan import regexcache
from csrscan.errors import RuleError

try:  # Python's own regex parser: `re._parser` from 3.11, `sre_parse` before
    _p, _c = importlib.import_module("re._parser"), importlib.import_module("re._constants")
except ImportError:  # pragma: no cover - Python 3.10
    _p, _c = importlib.import_module("sre_parse"), importlib.import_module("sre_constants")

MAX_GUARD_CHARS = 16  # a wider class rules little out: the regex runs alone
DIGIT = "\\d"  # \d in a class: a figure's pattern needs a digit
Chars = frozenset[str]


REGEX_BUDGET = 1.0  # seconds one search of a user pack's regex may take (docs/writing-rules.md)
Budget = tuple[str, str]  # a user pack's file and key, named when a search runs out of time


class Guarded:
    """`search(text)`: the regex matches; its guard is tried first.

    With a `budget` (a user pack's pattern: its file and key) the regex runs
    on the `regex` module with a timeout: `(a+)+$` backtracks exponentially on
    a long line, and past REGEX_BUDGET the scan stops with a RuleError naming
    the file, key and pattern. The built-in pack's patterns run on `re`."""

    __slots__ = ("_guard", "_regex", "budget", "guard", "pattern", "regex")

    def __init__(self, pattern: str, flags: int = 0, budget: Budget | None = None) -> None:
        self.pattern = pattern
        self.budget = budget
        # the pack's vocabulary: slow to compile, kept compiled on disk (regexcache)
        self.regex: Any = regexcache.compile(pattern, flags) if budget is None \
            else budgeted_compile(pattern, flags)
        chars = guard_chars(pattern)
        self.guard = None if chars is None else regexcache.compile(_char_class(chars), flags)
        # bound methods: this runs on every graded sentence
        self._regex = self.regex.search if budget is None else self._budgeted
        self._guard = self.guard.search if self.guard is not None else None

    def search(self, text: str) -> bool:
        guard = self._guard
        if guard is not None and guard(text) is None:
            return False
        return self._regex(text) is not None

    def _budgeted(self, text: str) -> Any:
        try:
            return self.regex.search(text, timeout=REGEX_BUDGET)
        except TimeoutError:
            raise over_budget(self.pattern, self.budget or ("", ""), text) from None


def budgeted_compile(pattern: str, flags: int = 0) -> Any:
    """`pattern` on the `regex` module, whose searches take a timeout."""
    import regex  # lazy: only user packs' patterns use it

    return regex.compile(pattern, flags | regex.VERSION0)  # VERSION0: the syntax of `re`


def over_budget(pattern: str, budget: Budget, text: str) -> RuleError:
    file, key = budget
    return RuleError(f"regex {pattern!r} ran past its budget of {REGEX_BUDGET:g} s on one "
                     f"sentence of {len(text)} characters (nested quantifiers such as (a+)+ "
                     "backtrack without end; rewrite it)", path=file or None, key=key or None)


def _char_class(chars: Chars) -> str:
    """`[…]` of the characters; \\d stays a class escape."""
    return "[" + "".join(c if c == DIGIT else re.escape(c) for c in sorted(chars)) + "]"


def guard_chars(pattern: str) -> Chars | None:
    """Characters one of which every match of `pattern` contains, or None.

    None when no such small set can be proven (a branch without a literal,
    inline flags that fold case differently, a class too wide).
    """
    try:
        parsed = _p.parse(pattern)
    except (re.error, RecursionError):
        return None
    if parsed.state.flags & (re.VERBOSE | re.IGNORECASE):
        return None  # pass IGNORECASE as `flags`: the guard then folds case alike
    chars = _sequence(list(parsed))
    return chars if chars and len(chars) <= MAX_GUARD_CHARS else None


def _sequence(items: list[tuple[Any, Any]]) -> Chars | None:
    """Every item of a sequence matches: the smallest set among them (a literal
    character wins a tie over \\d, which most table sentences contain)."""
    best: Chars | None = None
    for op, av in items:
        found = _item(op, av)
        if found and (best is None or (len(found), DIGIT in found) < (len(best), DIGIT in best)):
            best = found
    return best


def _item(op: Any, av: Any) -> Chars | None:
    if op is _c.LITERAL:
        return frozenset(chr(av))
    if op is _c.SUBPATTERN:  # (?i:…) folds case where the guard would not
        return None if av[1] & re.IGNORECASE else _sequence(list(av[-1]))
    if op is _c.BRANCH:
        union: set[str] = set()
        for branch in av[1]:
            found = _sequence(list(branch))
            if not found:
                return None
            union |= found
        return frozenset(union)
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[0] >= 1:
        return _sequence(list(av[2]))
    if op is _c.IN:
        return _in_class(av)
    return None


def _in_class(av: list[tuple[Any, Any]]) -> Chars | None:
    """A class of literals or \\d (no negation, ranges or other categories)."""
    out: set[str] = set()
    for op, arg in av:
        if op is _c.LITERAL:
            out.add(chr(arg))
        elif op is _c.CATEGORY and arg is _c.CATEGORY_DIGIT:
            out.add(DIGIT)
        else:
            return None
    return frozenset(out)
