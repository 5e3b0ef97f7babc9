"""Rule pack → what the matcher runs: an automaton over every term, the term
and trigger index, and rule regexes compiled on first use."""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from csrscan import regexcache
from csrscan.errors import RuleError
from csrscan.match.anchors import regex_anchors, regex_guards
from csrscan.models import Indicator, Pack, Pattern, RuleContext
from csrscan.text.guard import REGEX_BUDGET, budgeted_compile
from csrscan.text.lexicon_store import pack_tokenizer
from csrscan.text.normalize import normalize_term
from csrscan.text.tokens import PackTokenizer

Variants = tuple[tuple[str, tuple[str, ...]], ...]
IdGuard = tuple[tuple[frozenset[int], ...], ...]
NeedIds = tuple[frozenset[int], bool]  # context words as term indices; paragraph scope?
ANCHOR, WORD, ASCII_WORD = 0, 1, 2  # what an automaton term is (CompiledPack.kinds)
HAN = regexcache.compile("[\u4e00-\u9fff]")  # the ideographs of jieba's dictionary (match/words.py)


class LazyRegex:
    """A rule regex compiled on its first search: most never run, since a regex
    runs only where the automaton saw one of its anchors (anchors.py).

    The built-in packs' regexes run on `re` (reviewed, and 5× cheaper than the
    alternative with a timeout). A user pack's (`guarded`) run on the `regex`
    module, whose searches take a timeout: a pattern such as `(a+)+$` backtracks
    exponentially on a long line, and without a budget one sentence hangs the
    scan; past REGEX_BUDGET the scan stops with a RuleError naming the pattern."""

    __slots__ = ("_compiled", "guarded", "pattern")

    def __init__(self, pattern: str, guarded: str = "") -> None:
        self.pattern = pattern
        self.guarded = guarded  # a user pack's path (named in its errors); "": built-in
        self._compiled: Any = None

    def __getstate__(self) -> tuple[str, str]:  # kept on disk (packcache), never compiled
        return self.pattern, self.guarded

    def __setstate__(self, state: tuple[str, str]) -> None:
        self.pattern, self.guarded = state
        self._compiled = None

    def search(self, text: str) -> re.Match[str] | None:
        if self._compiled is None:
            self._compiled = budgeted_compile(self.pattern) if self.guarded \
                else re.compile(self.pattern)
        if not self.guarded:
            return self._compiled.search(text)  # type: ignore[no-any-return]
        try:
            return self._compiled.search(text, timeout=REGEX_BUDGET)  # type: ignore[no-any-return]
        except TimeoutError:
            raise RuleError(f"regex {self.pattern!r} ran past its budget of {REGEX_BUDGET:g} s "
                            f"on one sentence of {len(text)} characters (nested quantifiers "
                            "such as (a+)+ backtrack without end; rewrite it)",
                            path=self.guarded) from None


def _is_builtin(pack: Pack) -> bool:
    from csrscan.packs.load import builtin_rules_dir

    try:
        return Path(pack.path).resolve().is_relative_to(builtin_rules_dir().resolve())
    except (OSError, ValueError, RuleError):
        return False


@dataclass(frozen=True, slots=True)
class CompiledPattern:
    kind: str
    terms: tuple[str, ...]
    within: int | None
    regex: LazyRegex | None
    term_set: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "term_set", frozenset(self.terms))


@dataclass(frozen=True, slots=True)
class CompiledIndicator:
    indicator: Indicator
    patterns: tuple[CompiledPattern, ...]
    exclude: frozenset[str]
    context: frozenset[str] = frozenset()  # empty: no context needed
    paragraph: bool = False  # the context may stand anywhere in the paragraph


@dataclass(frozen=True, slots=True)
class CompiledPack:
    pack: Pack
    terms: tuple[str, ...]  # what the automaton finds: pattern words and regex anchors
    words: tuple[str, ...]  # pattern and exclusion words: the tokenizer's extra vocabulary
    automaton: Any
    by_term: dict[str, tuple[int, ...]]
    any_triggers: dict[str, tuple[int, ...]]  # term → indicators with it in an any-pattern
    all_triggers: dict[str, tuple[tuple[int, frozenset[str]], ...]]  # … as the trigger of
    # an all-pattern, with the pattern's terms: satisfiable only when all are found
    regexes: tuple[tuple[int, LazyRegex], ...]
    anchored: dict[int, tuple[int, ...]]  # automaton term index → indices into regexes
    unanchored: tuple[int, ...]
    indicators: tuple[CompiledIndicator, ...]
    subjects: tuple[str, ...]
    kinds: tuple[int, ...]  # per automaton term: ANCHOR, WORD or ASCII_WORD
    # the same as sets of automaton term indices, to test against a sentence's hits at once
    trigger_ids: frozenset[int]  # the any- and all-pattern triggers
    anchor_ids: frozenset[int]  # the regex anchors
    guards: tuple[IdGuard | None, ...]  # per regex: anchors.regex_guards as term indices
    exclude_ids: tuple[frozenset[int], ...]  # per indicator: its exclusion words
    needs: tuple[NeedIds | None, ...]  # per indicator: the context it needs, if any
    context_ids: frozenset[int]  # every context word
    within: tuple[frozenset[str], ...]  # the terms of each pattern with `within` (in tokens)
    hanless_words: tuple[str, ...]  # the tokenizer's extra words without Han (words.py)
    # the tokenizer, once built (see engine)
    _engine: list[PackTokenizer] = field(default_factory=list, compare=False, repr=False)

    def engine(self) -> PackTokenizer:
        """The pack's tokenizer (text/tokens.py), made on first use and held
        here, with the compiled pack it belongs to."""
        if not self._engine:
            self._engine.append(pack_tokenizer(self.words))
        return self._engine[0]


@lru_cache(maxsize=8)
def compile_pack(pack: Pack) -> CompiledPack:
    """The pack's automaton and term index, once per process (the index is also
    kept on disk by packcache; the automaton is rebuilt from its terms, 3 ms)."""
    from csrscan.packs.cache import load_or_build

    index = load_or_build("compiled", pack, _compile_index, CompiledPack)
    return dataclasses.replace(index, automaton=_automaton(index.terms))


def _automaton(terms: tuple[str, ...]) -> Any:
    import ahocorasick_rs  # lazy: matching is the only user

    return ahocorasick_rs.AhoCorasick(
        terms, matchkind=ahocorasick_rs.MATCHKIND_STANDARD) if terms else None


def _compile_index(pack: Pack) -> CompiledPack:
    """Everything compile_pack returns but the automaton (a Rust object: not picklable)."""
    variants = tuple((normalize_term(k), tuple(normalize_term(x) for x in v))
                     for k, v in pack.variants)

    @cache  # a term recurs across patterns and exclusions (2,800 uses, 2,400 terms)
    def expand(term: str) -> tuple[str, ...]:
        return tuple(with_variants(normalize_term(term), variants))

    guarded = "" if _is_builtin(pack) else pack.path
    # one object per pattern string: regex hits are keyed on it
    regex_of = cache(lambda pattern: LazyRegex(pattern, guarded))
    topic_context = {t.id: t.context for t in pack.topics}
    compiled = tuple(_compile_indicator(i, expand, regex_of, i.context or topic_context[i.topic])
                     for i in (*pack.indicators, *mention_indicators(pack)))
    subjects = tuple(normalize_term(s) for s in pack.subjects)  # the grading's subjects
    by_term, any_triggers, all_triggers = _term_index(compiled)
    words = tuple(sorted(set(by_term) | {t for c in compiled for t in c.exclude}))
    regexes = tuple((k, p.regex) for k, c in enumerate(compiled)
                    for p in c.patterns if p.regex is not None)
    anchored, unanchored = _anchor_index(regexes)
    guards = tuple(regex_guards(rx.pattern) for _, rx in regexes)
    # the automaton also finds regex anchors, guard strings and context words;
    # only pattern words go to the tokenizer
    terms = tuple(sorted({*words, *anchored, *(t for g in guards if g for alt in g
                                                 for need in alt for t in need),
                          *(t for c in compiled for t in c.context)}))
    index = {t: i for i, t in enumerate(terms)}
    return CompiledPack(
        pack=pack, terms=terms, words=words, automaton=None, by_term=by_term,
        any_triggers=any_triggers, all_triggers=all_triggers, regexes=regexes,
        anchored={index[a]: js for a, js in anchored.items()}, unanchored=unanchored,
        anchor_ids=frozenset(index[a] for a in anchored),
        guards=tuple(None if g is None else tuple(
            tuple(frozenset(index[t] for t in need) for need in alt) for alt in g)
            for g in guards),
        indicators=compiled, subjects=subjects, kinds=tuple(_kind(t, by_term) for t in terms),
        trigger_ids=frozenset(index[t] for t in (*any_triggers, *all_triggers)),
        exclude_ids=tuple(frozenset(index[t] for t in c.exclude) for c in compiled),
        needs=tuple((frozenset(index[t] for t in c.context), c.paragraph) if c.context
                    else None for c in compiled),
        context_ids=frozenset(index[t] for c in compiled for t in c.context),
        within=tuple(sorted({p.term_set for c in compiled for p in c.patterns
                             if p.within is not None}, key=sorted)),
        # segment.pack_words adds only words that are not all ASCII
        hanless_words=tuple(w for w in words if not w.isascii() and not HAN.search(w)))


def _anchor_index(regexes: tuple[tuple[int, LazyRegex], ...]
                  ) -> tuple[dict[str, tuple[int, ...]], tuple[int, ...]]:
    """Anchor → indices of the regexes it anchors, and the regexes without anchors."""
    anchored: dict[str, list[int]] = defaultdict(list)
    unanchored: list[int] = []
    for j, (_, rx) in enumerate(regexes):
        anchors = regex_anchors(rx.pattern)
        for anchor in sorted(anchors or ()):
            anchored[anchor].append(j)
        if anchors is None:
            unanchored.append(j)
    return {a: tuple(js) for a, js in anchored.items()}, tuple(unanchored)


def _term_index(compiled: tuple[CompiledIndicator, ...]
                ) -> tuple[dict[str, tuple[int, ...]], dict[str, tuple[int, ...]],
                           dict[str, tuple[tuple[int, frozenset[str]], ...]]]:
    """Term → indicators using it; the any- and all-pattern trigger indexes."""
    by_term: dict[str, set[int]] = defaultdict(set)
    any_triggers: dict[str, set[int]] = defaultdict(set)
    all_triggers: dict[str, dict[tuple[int, frozenset[str]], None]] = defaultdict(dict)
    for k, ind in enumerate(compiled):
        for pat in ind.patterns:
            for term in pat.terms:
                by_term[term].add(k)
            if pat.kind == "any":
                for term in pat.terms:
                    any_triggers[term].add(k)
            elif pat.terms:  # an all-pattern needs every term: its longest (rarest) one
                all_triggers[sorted(pat.terms, key=len)[-1]][k, pat.term_set] = None
    return ({t: tuple(sorted(ks)) for t, ks in by_term.items()},
            {t: tuple(sorted(ks)) for t, ks in any_triggers.items()},
            {t: tuple(needs) for t, needs in all_triggers.items()})


def _kind(term: str, by_term: dict[str, tuple[int, ...]]) -> int:
    if term not in by_term:
        return ANCHOR
    return ASCII_WORD if _ascii_alnum(term[:1]) or _ascii_alnum(term[-1:]) else WORD


def _ascii_alnum(char: str) -> bool:
    return char.isascii() and char.isalnum()


def warm_matcher(pack: Pack, *, tokens: bool = True) -> None:
    """Build the pack's automaton, and its full tokenizer unless `tokens` is
    False, now (both are cached): for what will cut many texts (a long PDF's
    parts, a batch's workers), which would outgrow the partial one."""
    cp = compile_pack(pack)
    if tokens:
        cp.engine().full()


def mention_indicators(pack: Pack) -> tuple[Indicator, ...]:
    """A topic's mention words act as one pseudo-indicator whose id is the topic id."""
    return tuple(Indicator(id=t.id, topic=t.id, name=t.name, name_en=t.name_en, description="",
                           refs=(), patterns=(Pattern(kind="any", terms=t.mentions),),
                           context=t.context)
                 for t in pack.topics if t.mentions)


def _compile_indicator(ind: Indicator, expand: Callable[[str], tuple[str, ...]],
                       regex_of: Callable[[str], LazyRegex],
                       context: RuleContext | None) -> CompiledIndicator:
    """`expand`: a rule term → its normalized form and regional wordings;
    `context`: the indicator's own, else its topic's."""
    pats: list[CompiledPattern] = []
    for p in ind.patterns:
        regex = regex_of(p.regex) if p.regex else None
        if p.kind == "any":
            terms = tuple(dict.fromkeys(v for t in p.terms for v in expand(t)))
            pats.append(CompiledPattern(p.kind, terms, p.within, regex))
        else:  # each combination of regional wordings is its own all-pattern
            for combo in itertools.product(*map(expand, p.terms)):
                pats.append(CompiledPattern(p.kind, combo, p.within, regex))
    exclude = frozenset(v for t in ind.exclude for v in expand(t))
    if context is None:
        return CompiledIndicator(ind, tuple(pats), exclude)
    return CompiledIndicator(ind, tuple(pats), exclude,
                             frozenset(v for t in context.terms for v in expand(t)),
                             context.scope == "paragraph")


def with_variants(term: str, variants: Variants) -> list[str]:
    """The term plus its regional wordings (信息 → 资讯 …)."""
    out = [term]
    for key, alts in variants:
        if key in term or len(out) > 1:  # most terms have no regional wording
            out += [t.replace(key, alt) for t in list(out) if key in t for alt in alts]
    return out
