"""Grade a sentence: statement < measure < performance < target; spot gaps.

What counts is pack data (the `grading` block, models.Grading: subjects,
units, figure, zero, measure, normative, gap and target patterns); this
module compiles it once per Grading and applies it. Patterns work on
normalized (simplified, half-width, lower-case) text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from csrscan import regexcache
from csrscan.models import Grading, Strength
from csrscan.text.guard import REGEX_BUDGET, Budget, Guarded, budgeted_compile, over_budget

_SHORT_NAME = regexcache.compile(
    r"[(（]\s*(?:以下)?简称\s*[:：]?\s*[“\"'「『]([^”\"'」』]{2,12})[”\"'」』]")


Rules = tuple[Guarded, ...]


@dataclass(frozen=True, slots=True)
class Grader:
    """A Grading compiled: each pattern list as guarded regexes, any of which
    matches (empty: never)."""

    subjects: tuple[str, ...]
    figures: Rules
    zero: Rules
    measure: Rules
    normative: Rules
    gap: Rules
    target: Rules
    past: Rules
    others: Rules
    other_names: re.Pattern[str] | _BudgetedNames | None


def _one(patterns: Sequence[str], budget: Budget | None = None) -> Rules:
    """The patterns as one guarded alternation; or each on its own when the
    alternation has no guard but its parts do (an anchored ^… pattern among
    others would make every sentence run all of them). A user pack's
    (`budget`) each on its own, under the time budget: an error names the
    pattern at fault."""
    if budget is not None:
        return tuple(Guarded(p, budget=budget) for p in patterns)
    if len(patterns) <= 1:
        return tuple(map(Guarded, patterns))
    joined = Guarded("|".join(f"(?:{p})" for p in patterns))
    return (joined,) if joined.guard is not None else tuple(map(Guarded, patterns))


def _words(words: Sequence[str]) -> str:
    """Literal words as one alternation (order is no matter: only whether one is there)."""
    return "|".join(map(re.escape, words))


_BY_IDENTITY: dict[int, tuple[Grading, Grader]] = {}


def grader(grading: Grading) -> Grader:
    """The compiled form of a pack's grading, once per process.

    Looked up by identity first: hashing a Grading (some 200 words) would
    cost more than a sentence's grading, and a scan passes the same object.
    """
    hit = _BY_IDENTITY.get(id(grading))
    if hit is not None and hit[0] is grading:
        return hit[1]
    if len(_BY_IDENTITY) > 32:  # packs come and go in long test runs
        _BY_IDENTITY.clear()
    compiled = _compile(grading)
    _BY_IDENTITY[id(grading)] = (grading, compiled)  # the reference keeps the id unique
    return compiled


@lru_cache(maxsize=16)
def _compile(grading: Grading) -> Grader:
    unit = f"(?:{_words(grading.units)})" if grading.units else "(?!)"

    def budget(key: str) -> Budget | None:  # a user pack's key: under the time budget
        return (grading.guarded_by, f"grading.{key}") if key in grading.guarded else None
    return Grader(
        subjects=grading.subjects,
        # each on its own: each starts with its own characters or has its own guard
        figures=tuple(Guarded(p.replace("{unit}", unit), budget=budget("figures"))
                      for p in grading.figures),
        zero=_one(grading.zero, budget("zero")),
        measure=_one([_words(grading.measure)] if grading.measure else ()),
        normative=_one(grading.normative, budget("normative")),
        gap=_one(grading.gap, budget("gap")),
        target=_one(grading.target, budget("target")),
        past=_one(grading.past, budget("past")),
        others=_one(grading.others, budget("others")),
        other_names=_other_names(grading.other_names, budget("other_names")))


class _BudgetedNames:
    """A user pack's `other_names` alternation: `sub` under the time budget."""

    def __init__(self, pattern: str, budget: Budget) -> None:
        self.pattern, self.budget = pattern, budget
        self.regex = budgeted_compile(pattern)

    def sub(self, repl: str, text: str) -> str:
        try:
            return str(self.regex.sub(repl, text, timeout=REGEX_BUDGET))
        except TimeoutError:
            raise over_budget(self.pattern, self.budget, text) from None


def _other_names(patterns: Sequence[str], budget: Budget | None
                 ) -> re.Pattern[str] | _BudgetedNames | None:
    if not patterns:
        return None
    if budget is not None:  # one alternation still: `sub` marks every name at once
        return _BudgetedNames("|".join(f"(?:{p})" for p in patterns), budget)
    return regexcache.compile("|".join(f"(?:{p})" for p in patterns))


# a short name given to a document or a rule (以下简称“报告”, “指引”) is not
# the company's: as a subject it would make every sentence citing it "own"
_DOCUMENT_WORD = regexcache.compile("报告|指引|办法|规定|准则|标准|通知|意见|方案|规划|条例|制度")


_CLAUSE = regexcache.compile(r"[^,，;；:：]+[,，;；:：]?")


def own_names(norm: str) -> tuple[str, ...]:
    """Short names a report gives itself: …有限公司（以下简称“汇信消金”）."""
    return tuple(sorted({name for name in _SHORT_NAME.findall(norm)
                         if not _DOCUMENT_WORD.search(name)}))


def _found(rules: Rules, norm: str) -> bool:
    return any(rule.search(norm) for rule in rules)


def _own(g: Grader, norm: str, subjects: Sequence[str]) -> bool:
    """The company names itself: a subject word, not inside another's name
    (公司 in 保险公司 or 子公司 is someone else)."""
    if not any(s in norm for s in subjects):
        return False
    if g.other_names is None:
        return True
    rest = g.other_names.sub("\0", norm)  # a mark, so no new word forms across it
    return any(s in rest for s in subjects)


def clauses_of(norm: str, terms: Sequence[str]) -> str:
    """The clauses of a sentence that hold the first place of each term (the
    whole sentence when no term is given or found): in 完善投诉处理机制：建立
    投诉处理机制，……，监管部门要加强分析 the 要 is the regulator's, not the
    mechanism's."""
    spans = [(m.start(), m.end()) for m in _CLAUSE.finditer(norm)]
    starts = [norm.find(t) for t in terms]
    held = [f"{norm[a:b]}" for a, b in spans if any(a <= i < b for i in starts if i >= 0)]
    return "\n".join(held) if held else norm


def is_gap(norm: str, grading: Grading) -> bool:
    """A sentence that says something is *not* in place."""
    return _found(grader(grading).gap, norm)


def is_normative(norm: str, grading: Grading) -> bool:
    """Rule talk anywhere in the sentence (应当, 须, 要求): `csrscan tag`'s flag."""
    return _found(grader(grading).normative, norm)


def states_zero(norm: str, grading: Grading) -> bool:
    """A zero stated in words (未发生…, 零投诉): `csrscan tag`'s zero-incident flag."""
    return _found(grader(grading).zero, norm)


def has_figure(norm: str, grading: Grading) -> bool:
    """A quantity, or a zero stated in words (未发生, 零投诉)."""
    g = grader(grading)
    return _found(g.figures, norm) or _found(g.zero, norm)


def grade(norm: str, grading: Grading, subjects: Sequence[str] | None = None,
          figure: bool | None = None, terms: Sequence[str] = (),
          clauses: str | None = None) -> Strength:
    """How strong a piece of evidence is, from its own sentence.

    `subjects`: the company's names (default: the grading's); `figure`:
    has_figure(norm) when the caller already knows it; `terms`: the matched
    words, whose clauses say whether the evidence is rule talk (`clauses`:
    clauses_of(norm, terms) when the caller already knows it).
    """
    g = grader(grading)
    own = g.subjects if subjects is None else subjects
    # rule talk in the evidence's own clauses, a third party's figure, the
    # industry or a regulator: what others do or should do, unless the
    # company names itself in the sentence
    if clauses is None:
        clauses = clauses_of(norm, terms)
    talk = _found(g.normative, clauses) or _found(g.others, norm)
    if talk and not _own(g, norm, own):
        return "statement"
    # a goal looks ahead: 截至2024年末 / 已 date a figure already reached
    if _found(g.target, norm) and not _found(g.past, norm):
        return "target"
    if has_figure(norm, grading) if figure is None else figure:
        return "performance"
    if _found(g.measure, norm):
        return "measure"
    return "statement"
