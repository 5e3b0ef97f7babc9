"""Sentences + rule pack → evidence, in one automaton pass per sentence."""

from __future__ import annotations

import bisect
import itertools
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from . import grade as grading
from .anchors import regex_anchors
from .models import Evidence, Indicator, Pack, Pattern, Sentence
from .normalize import normalize_term
from .segment import token_starts, tokenizer

COUNTED_CONTEXTS = ("body", "table")
LIST_MIN_TOPICS = 4  # a sentence naming this many topics …
LIST_CHARS_PER_TOPIC = 12  # … in fewer characters each is a list
Variants = tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True, slots=True)
class CompiledPattern:
    kind: str
    terms: tuple[str, ...]
    within: int | None
    regex: re.Pattern[str] | None
    term_set: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "term_set", frozenset(self.terms))


@dataclass(frozen=True, slots=True)
class CompiledIndicator:
    indicator: Indicator
    patterns: tuple[CompiledPattern, ...]
    exclude: frozenset[str]


@dataclass(frozen=True, slots=True)
class CompiledPack:
    pack: Pack
    terms: tuple[str, ...]  # what the automaton finds: pattern words and regex anchors
    words: tuple[str, ...]  # pattern and exclusion words: the tokenizer's extra vocabulary
    automaton: Any
    by_term: dict[str, tuple[int, ...]]
    triggers: dict[str, tuple[int, ...]]
    regexes: tuple[tuple[int, re.Pattern[str]], ...]
    anchored: dict[str, tuple[int, ...]]  # anchor → indices into regexes
    unanchored: tuple[int, ...]
    indicators: tuple[CompiledIndicator, ...]
    subjects: tuple[str, ...]
    is_word: tuple[bool, ...] = ()  # per automaton term: a pattern word (not only an anchor)
    ascii_edged: frozenset[str] = frozenset()  # words that start or end with a letter/digit

    def __post_init__(self) -> None:
        object.__setattr__(self, "is_word", tuple(t in self.by_term for t in self.terms))
        object.__setattr__(self, "ascii_edged", frozenset(
            t for t in self.by_term if _ascii_alnum(t[:1]) or _ascii_alnum(t[-1:])))


@lru_cache(maxsize=8)
def compile_pack(pack: Pack) -> CompiledPack:
    """Build the pack's automaton and term index once."""
    import ahocorasick_rs  # lazy: matching is the only user

    variants = tuple((normalize_term(k), tuple(normalize_term(x) for x in v))
                     for k, v in pack.variants)
    compiled = tuple(_compile_indicator(i, variants)
                     for i in (*pack.indicators, *mention_indicators(pack)))
    subjects = tuple(normalize_term(s) for s in pack.subjects) or grading.DEFAULT_SUBJECTS
    by_term: dict[str, set[int]] = defaultdict(set)
    triggers: dict[str, set[int]] = defaultdict(set)
    for k, ind in enumerate(compiled):
        for pat in ind.patterns:
            for term in pat.terms:
                by_term[term].add(k)
            # an all-pattern needs every term: its longest (rarest) one is trigger enough
            for term in pat.terms if pat.kind == "any" else sorted(pat.terms, key=len)[-1:]:
                triggers[term].add(k)
    words = tuple(sorted(set(by_term) | {t for c in compiled for t in c.exclude}))
    regexes = tuple((k, p.regex) for k, c in enumerate(compiled)
                    for p in c.patterns if p.regex is not None)
    anchored: dict[str, set[int]] = defaultdict(set)
    unanchored: list[int] = []
    for j, (_, rx) in enumerate(regexes):
        anchors = regex_anchors(rx.pattern)
        for anchor in anchors or ():
            anchored[anchor].add(j)
        if anchors is None:
            unanchored.append(j)
    # the automaton also finds regex anchors; only pattern words go to the tokenizer
    terms = tuple(sorted(set(words) | set(anchored)))
    automaton = ahocorasick_rs.AhoCorasick(
        terms, matchkind=ahocorasick_rs.MATCHKIND_STANDARD) if terms else None
    return CompiledPack(
        pack=pack, terms=terms, words=words, automaton=automaton,
        by_term={t: tuple(sorted(ks)) for t, ks in by_term.items()},
        triggers={t: tuple(sorted(ks)) for t, ks in triggers.items()},
        regexes=regexes, anchored={a: tuple(sorted(js)) for a, js in anchored.items()},
        unanchored=tuple(unanchored), indicators=compiled, subjects=subjects)


def _ascii_alnum(char: str) -> bool:
    return char.isascii() and char.isalnum()


def warm_matcher(pack: Pack) -> None:
    """Build the pack's automaton and tokenizer now (both are cached)."""
    tokenizer(compile_pack(pack).words)


def mention_indicators(pack: Pack) -> tuple[Indicator, ...]:
    """A topic's mention words act as one pseudo-indicator whose id is the topic id."""
    return tuple(Indicator(id=t.id, topic=t.id, name=t.name, name_en=t.name_en, description="",
                           refs=(), patterns=(Pattern(kind="any", terms=t.mentions),))
                 for t in pack.topics if t.mentions)


def _compile_indicator(ind: Indicator, variants: Variants) -> CompiledIndicator:
    pats: list[CompiledPattern] = []
    for p in ind.patterns:
        terms = tuple(normalize_term(t) for t in p.terms)
        regex = re.compile(p.regex) if p.regex else None
        if p.kind == "any":
            terms = tuple(dict.fromkeys(v for t in terms for v in with_variants(t, variants)))
            pats.append(CompiledPattern(p.kind, terms, p.within, regex))
        else:  # each combination of regional wordings is its own all-pattern
            for combo in itertools.product(*(with_variants(t, variants) for t in terms)):
                pats.append(CompiledPattern(p.kind, combo, p.within, regex))
    exclude = frozenset(v for t in ind.exclude for v in with_variants(normalize_term(t), variants))
    return CompiledIndicator(ind, tuple(pats), exclude)


def with_variants(term: str, variants: Variants) -> list[str]:
    """The term plus its regional wordings (信息 → 资讯 …)."""
    out = [term]
    for key, alts in variants:
        out += [t.replace(key, alt) for t in list(out) if key in t for alt in alts]
    return out


def sentences_to_evidence(sentences: Iterable[Sentence], pack: Pack,
                          own_names: Sequence[str] = ()) -> tuple[Evidence, ...]:
    """Every piece of evidence the pack finds, in document order.

    `own_names` are the report's names for its own company (its short name),
    which count like 本公司 when telling action from normative talk.
    """
    cp = compile_pack(pack)
    subjects = cp.subjects + tuple(normalize_term(n) for n in own_names)
    found: list[Evidence] = []
    for sentence in sentences:
        if sentence.context in COUNTED_CONTEXTS:
            found.extend(drop_topic_lists(sentence_to_evidence(sentence, cp, subjects),
                                          sentence, cp))
    return tuple(found)


def drop_topic_lists(found: list[Evidence], sentence: Sentence, cp: CompiledPack
                     ) -> list[Evidence]:
    """A materiality list or topic enumeration names topics; it discloses nothing."""
    topics = {e.indicator.split(".", 1)[0] for e in found}
    if len(topics) >= LIST_MIN_TOPICS and len(sentence.norm) < LIST_CHARS_PER_TOPIC * len(topics):
        return []
    return found


def sentence_to_evidence(sentence: Sentence, cp: CompiledPack,
                         subjects: Sequence[str] = ()) -> list[Evidence]:
    """Evidence from one sentence, for every indicator it satisfies."""
    text = sentence.norm
    raw = cp.automaton.find_matches_as_indexes(text, overlapping=True) if cp.automaton else []
    present_all = {cp.terms[i] for i, _, _ in raw}
    # a rule regex runs only where the automaton saw one of its anchors
    maybe = {j for t in present_all for j in cp.anchored.get(t, ())}.union(cp.unanchored)
    regex_hits: dict[re.Pattern[str], re.Match[str]] = {}
    with_regex: set[int] = set()
    for j in maybe:
        k, rx = cp.regexes[j]
        if (m := regex_hits.get(rx) or rx.search(text)) is not None:
            regex_hits[rx] = m
            with_regex.add(k)
    if not raw and not regex_hits:
        return []
    words = cp.is_word
    spans = _whole_word_hits(text, [(cp.terms[i], s, e) for i, s, e in raw if words[i]], cp)
    candidates = {k for t in spans for k in cp.triggers.get(t, ())}.union(with_regex)
    results: list[Evidence] = []
    figure = strength = None
    for k in sorted(candidates):
        ind = cp.indicators[k]
        if not ind.exclude.isdisjoint(present_all):
            continue
        terms = _satisfied_terms(ind, spans, regex_hits)
        if terms is None:
            continue
        if figure is None:  # first satisfied indicator: judge the sentence once
            if grading.is_gap(text):
                return []  # "not yet in place" is no evidence for any indicator
            figure = grading.has_figure(text)
        if ind.indicator.quantitative and not figure:
            continue
        strength = strength or grading.grade(text, subjects or cp.subjects, figure)
        results.append(Evidence(indicator=ind.indicator.id, page=sentence.page,
                                line=sentence.line, text=sentence.text, terms=terms,
                                strength=strength, origin=sentence.origin))
    return results


def _whole_word_hits(text: str, hits: list[tuple[str, int, int]], cp: CompiledPack
                     ) -> dict[str, list[int]]:
    """Term → token positions, for hits that are whole words in this sentence.

    A hit is dropped when one of its ends cuts through a dictionary word that
    is not a pack term: 绿色 in 绿色通道, 停催 in 暂停|催收, 合规部 in 合规|部署.
    Cutting a pack term (数据 in 数据安全) or a word jieba only guessed (an
    out-of-vocabulary token such as 工作日内) keeps the hit.
    """
    if not hits:
        return {}
    engine = tokenizer(cp.words)
    words, starts = token_starts(engine, text)
    at = {s: i for i, s in enumerate(starts)}  # token boundary → token index
    known = cp.by_term
    spans: dict[str, list[int]] = defaultdict(list)
    for term, s, e in hits:
        if term in cp.ascii_edged and _glued_ascii(text, term, s, e):
            continue
        first = at.get(s)
        if first is not None and e in at:  # both ends on token boundaries: most hits
            spans[term].append(first)
            continue
        first = bisect.bisect_right(starts, s) - 1
        last = bisect.bisect_right(starts, e - 1) - 1
        cut = [words[first]] if starts[first] < s else []
        cut += [words[last]] if starts[last + 1] > e else []
        if not any(w not in known and engine.has_word(w) for w in cut):
            spans[term].append(first)
    return spans


def _glued_ascii(text: str, term: str, start: int, end: int) -> bool:
    """An ASCII term (12386, iso) must not run on into letters or digits (1238600)."""
    before = text[start - 1:start]
    after = text[end:end + 1]
    return (term[:1].isascii() and term[:1].isalnum() and before.isascii() and before.isalnum()) \
        or (term[-1:].isascii() and term[-1:].isalnum() and after.isascii() and after.isalnum())


def _satisfied_terms(ind: CompiledIndicator, spans: dict[str, list[int]],
                     regex_hits: dict[re.Pattern[str], re.Match[str]]
                     ) -> tuple[str, ...] | None:
    """The matched terms of the first satisfied pattern, or None."""
    present = spans.keys()
    for pat in ind.patterns:
        if pat.kind == "any":
            if not pat.term_set.isdisjoint(present):
                return tuple(sorted(pat.term_set.intersection(present)))
        elif pat.kind == "all":
            if present >= pat.term_set and _within(pat, spans):
                return tuple(sorted(pat.term_set))
        elif pat.regex is not None and pat.regex in regex_hits:
            return (regex_hits[pat.regex].group(0),)
    return None


def _within(pat: CompiledPattern, spans: dict[str, list[int]]) -> bool:
    if pat.within is None:
        return True
    choices = [spans[t][:8] for t in pat.terms]
    return any(max(c) - min(c) <= pat.within for c in itertools.product(*choices))
