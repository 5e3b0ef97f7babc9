"""Sentences + rule pack → evidence, in one automaton pass per sentence."""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from operator import itemgetter
from typing import Any

from csrscan.match.compiled import (
    ANCHOR,
    ASCII_WORD,
    CompiledIndicator,
    CompiledPack,
    CompiledPattern,
    IdGuard,
    LazyRegex,
    compile_pack,
    mention_indicators,
    warm_matcher,
    with_variants,
)
from csrscan.models import Evidence, Pack, Sentence, Strength
from csrscan.score import grade as grading
from csrscan.text.normalize import normalize_term
from csrscan.text.segment import token_starts

__all__ = ["CompiledPack", "compile_pack", "mention_indicators", "sentences_to_evidence",
           "warm_matcher", "with_variants"]

COUNTED_CONTEXTS = ("body", "table")
LIST_MIN_TOPICS = 4  # a sentence naming this many topics …
LIST_CHARS_PER_TOPIC = 12  # … in fewer characters each is a list
Finding = tuple[str, tuple[str, ...], Strength]  # indicator id, matched terms, strength
RegexHits = dict[LazyRegex, re.Match[str]]
_first = itemgetter(0)


def sentences_to_evidence(sentences: Iterable[Sentence], pack: Pack,
                          own_names: Sequence[str] = ()) -> tuple[Evidence, ...]:
    """Every piece of evidence the pack finds, in document order.

    `own_names` are the report's names for its own company (its short name),
    which count like 本公司 when telling action from normative talk.
    """
    cp = compile_pack(pack)
    subjects = cp.subjects + tuple(normalize_term(n) for n in own_names)
    # what a sentence yields depends on its normalized text alone: a sentence
    # repeated (boilerplate, a template) is matched once
    seen: dict[str, tuple[Finding, ...]] = {}
    found: list[Evidence] = []
    for sentence in sentences:
        if sentence.context in COUNTED_CONTEXTS:
            if (findings := seen.get(sentence.norm)) is None:
                findings = seen[sentence.norm] = drop_topic_lists(
                    sentence_findings(sentence.norm, cp, subjects), sentence.norm)
            if findings:
                found += _evidence(sentence, findings)
    return tuple(found)


def drop_topic_lists(findings: tuple[Finding, ...], norm: str) -> tuple[Finding, ...]:
    """A materiality list or topic enumeration names topics; it discloses nothing."""
    if len(findings) < LIST_MIN_TOPICS:  # too few to name that many topics
        return findings
    topics = {f[0].split(".", 1)[0] for f in findings}
    if len(topics) >= LIST_MIN_TOPICS and len(norm) < LIST_CHARS_PER_TOPIC * len(topics):
        return ()
    return findings


def _evidence(sentence: Sentence, findings: tuple[Finding, ...]) -> list[Evidence]:
    page, line, text, origin = sentence.page, sentence.line, sentence.text, sentence.origin
    return [Evidence(indicator, page, line, text, terms, strength, origin)
            for indicator, terms, strength in findings]


def sentence_findings(text: str, cp: CompiledPack, subjects: Sequence[str] = ()
                      ) -> tuple[Finding, ...]:
    """(indicator id, matched terms, strength) for every indicator the
    normalized sentence `text` satisfies."""
    raw = cp.automaton.find_matches_as_indexes(text, overlapping=True) if cp.automaton else []
    if not raw and not cp.unanchored:
        return ()
    ids = set(map(_first, raw))  # the terms found
    regex_hits, with_regex = _regex_hits(text, ids, cp)
    # no trigger word and no regex hit: no candidate, whatever the tokens say
    if not with_regex and cp.trigger_ids.isdisjoint(ids):
        return ()
    spans = _whole_word_hits(text, raw, cp)
    candidates = _candidates(spans, cp).union(with_regex)
    results: list[Finding] = []
    figure = strength = None
    for k in sorted(candidates):
        if not cp.exclude_ids[k].isdisjoint(ids):
            continue
        ind = cp.indicators[k]
        found = _satisfied_terms(ind, spans, regex_hits)
        if found is None:
            continue
        if figure is None:  # first satisfied indicator: judge the sentence once
            if grading.is_gap(text, cp.pack.grading):
                return ()  # "not yet in place" is no evidence for any indicator
            figure = grading.has_figure(text, cp.pack.grading)
        if ind.indicator.quantitative and not figure:
            continue
        strength = strength or grading.grade(text, cp.pack.grading, subjects or cp.subjects,
                                             figure)
        results.append((ind.indicator.id, found, strength))
    return tuple(results)


def _candidates(spans: dict[str, list[int]], cp: CompiledPack) -> set[int]:
    """Indicators with an any-pattern word found, or with every word of an all-pattern."""
    found = spans.keys()
    candidates = {k for t in spans for k in cp.any_triggers.get(t, ())}
    candidates.update(k for t in spans for k, needs in cp.all_triggers.get(t, ())
                      if found >= needs)
    return candidates


def _regex_hits(text: str, ids: set[int], cp: CompiledPack) -> tuple[RegexHits, set[int]]:
    """Rule regexes that match, run only where the automaton saw one of their
    anchors and the strings their guard needs."""
    maybe = {j for i in cp.anchor_ids.intersection(ids) for j in cp.anchored[i]}
    regex_hits: RegexHits = {}
    with_regex: set[int] = set()
    for j in maybe.union(cp.unanchored):
        k, rx = cp.regexes[j]
        if (m := regex_hits.get(rx)) is None:
            guard = cp.guards[j]
            if guard is not None and not _may_match(guard, ids):
                continue
            if (m := rx.search(text)) is None:
                continue
        regex_hits[rx] = m
        with_regex.add(k)
    return regex_hits, with_regex


def _may_match(guard: IdGuard, ids: set[int]) -> bool:
    """Some alternative of the guard has a string of each of its sets among `ids`."""
    for alternative in guard:
        for need in alternative:
            if need.isdisjoint(ids):
                break
        else:
            return True
    return False


def _whole_word_hits(text: str, raw: list[tuple[int, int, int]], cp: CompiledPack
                     ) -> dict[str, list[int]]:
    """Term → token positions, for pattern-word hits that are whole words here.

    A hit is dropped when one of its ends cuts through a dictionary word that
    is not a pack term: 绿色 in 绿色通道, 停催 in 暂停|催收, 合规部 in 合规|部署.
    Cutting a pack term (数据 in 数据安全) or a word jieba only guessed (an
    out-of-vocabulary token such as 工作日内) keeps the hit.
    """
    engine = cp.engine()
    words, starts = token_starts(engine, text)
    at = dict(zip(starts, itertools.count()))  # token boundary → token index
    terms, kinds, known = cp.terms, cp.kinds, cp.by_term
    spans: dict[str, list[int]] = {}
    for i, s, e in raw:
        kind = kinds[i]
        if kind == ANCHOR or (kind == ASCII_WORD and _glued_ascii(text, terms[i], s, e)):
            continue
        first = at.get(s)
        if first is None:  # starts inside a token
            first = bisect_right(starts, s) - 1
            if _cuts(words[first], known, engine):
                continue
        if e not in at and _cuts(words[bisect_right(starts, e - 1) - 1], known, engine):
            continue  # ends inside a token
        if (at_term := spans.get(terms[i])) is None:
            spans[terms[i]] = [first]
        else:
            at_term.append(first)
    return spans


def _cuts(word: str, known: dict[str, tuple[int, ...]], engine: Any) -> bool:
    """A hit may not cut through a dictionary word that is not a pack term."""
    return word not in known and bool(engine.has_word(word))


def _glued_ascii(text: str, term: str, start: int, end: int) -> bool:
    """An ASCII term (12386, iso) must not run on into letters or digits (1238600)."""
    before = text[start - 1:start]
    after = text[end:end + 1]
    return (term[:1].isascii() and term[:1].isalnum() and before.isascii() and before.isalnum()) \
        or (term[-1:].isascii() and term[-1:].isalnum() and after.isascii() and after.isalnum())


def _satisfied_terms(ind: CompiledIndicator, spans: dict[str, list[int]],
                     regex_hits: RegexHits) -> tuple[str, ...] | None:
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
