"""Sentences + rule pack → evidence, in one automaton pass per sentence."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from operator import itemgetter

from csrscan.match.compiled import (
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
from csrscan.match.memo import Memo, Shared
from csrscan.match.words import whole_word_hits
from csrscan.models import Evidence, Pack, Sentence, Strength
from csrscan.score import grade as grading
from csrscan.text.normalize import normalize_term

__all__ = ["CompiledPack", "compile_pack", "mention_indicators", "sentences_to_evidence",
           "warm_matcher", "with_variants"]

COUNTED_CONTEXTS = ("body", "table")
LIST_MIN_TOPICS = 4  # a sentence naming this many topics …
LIST_CHARS_PER_TOPIC = 12  # … in fewer characters each is a list
Finding = tuple[str, tuple[str, ...], Strength]  # indicator id, matched terms, strength
# a finding, and the context words (term indices) its paragraph must hold for it
# to count: None when it needs none or its sentence holds one
Match = tuple[Finding, frozenset[int] | None]
SentenceMatches = tuple[tuple[Match, ...], frozenset[int]]  # …, context words it holds
RegexHits = dict[LazyRegex, re.Match[str]]
Pending = tuple[Evidence, frozenset[int] | None]  # evidence, the context words it needs
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
    # repeated is matched once (within a bounded memo: match/memo.py)
    seen: Memo[SentenceMatches] = Memo(_weight)
    found: list[Evidence] = []
    # the paragraph so far, as evidence (what it would keep anyway, not its
    # sentences): a one-line text is one paragraph however long it is
    paragraph: list[Pending] = []
    near: set[int] = set()  # the context words the paragraph holds so far
    last: Sentence | None = None
    terms = Shared()  # a huge text has millions of pieces of evidence, few sets of terms
    for sentence in sentences:
        if last is not None and not same_paragraph(last, sentence):
            found += _resolved(paragraph, near)
            paragraph, near = [], set()
        last = sentence
        if sentence.context in COUNTED_CONTEXTS:
            if (hit := seen.get(sentence.norm)) is None:
                hit = sentence_matches(sentence.norm, cp, subjects)
                seen.put(sentence.norm, hit)
            if hit[0]:
                paragraph += _pending(sentence, hit[0], terms)
            near.update(hit[1])
    found += _resolved(paragraph, near)
    return tuple(found)


def _weight(norm: str, hit: SentenceMatches) -> int:
    # about the bytes a memo entry holds: its text, and a few tuples a finding
    return 100 + len(norm) + 200 * len(hit[0])


def same_paragraph(before: Sentence, after: Sentence) -> bool:
    """Sentences of one paragraph follow each other with nothing between them;
    a line break (or a space after the full stop) starts a new one."""
    return after.page == before.page and after.start == before.end


def _pending(sentence: Sentence, matches: tuple[Match, ...], shared: Shared
             ) -> list[Pending]:
    """A sentence's findings as evidence, each with the context words its
    paragraph must hold for it to count (None: none)."""
    page, line, text, origin = sentence.page, sentence.line, sentence.text, sentence.origin
    return [(Evidence(indicator, page, line, text, shared(terms), strength, origin), need)
            for (indicator, terms, strength), need in matches]


def _resolved(paragraph: list[Pending], near: set[int]) -> list[Evidence]:
    """The paragraph's evidence: findings whose context words it holds."""
    return [ev for ev, need in paragraph if need is None or not need.isdisjoint(near)]


def drop_topic_lists(findings: tuple[Finding, ...], norm: str) -> tuple[Finding, ...]:
    """A materiality list or topic enumeration names topics; it discloses nothing."""
    if len(findings) < LIST_MIN_TOPICS:  # too few to name that many topics
        return findings
    topics = {f[0].split(".", 1)[0] for f in findings}
    if len(topics) >= LIST_MIN_TOPICS and len(norm) < LIST_CHARS_PER_TOPIC * len(topics):
        return ()
    return findings


def sentence_matches(text: str, cp: CompiledPack, subjects: Sequence[str] = ()
                     ) -> SentenceMatches:
    """The normalized sentence's matches (topic lists dropped), and the
    context words it holds for its paragraph."""
    raw = cp.automaton.find_matches_as_indexes(text, overlapping=True) if cp.automaton else []
    ids = set(map(_first, raw))  # the terms found
    near = cp.context_ids.intersection(ids)
    matches = _matches(text, raw, ids, cp, subjects)
    if not drop_topic_lists(tuple(f for f, _ in matches), text):
        return (), near
    return matches, near


def _matches(text: str, raw: list[tuple[int, int, int]], ids: set[int], cp: CompiledPack,
             subjects: Sequence[str]) -> tuple[Match, ...]:
    if not raw and not cp.unanchored:
        return ()
    regex_hits, with_regex = _regex_hits(text, ids, cp)
    # no trigger word and no regex hit: no candidate, whatever the tokens say
    if not with_regex and cp.trigger_ids.isdisjoint(ids):
        return ()
    spans = whole_word_hits(text, raw, cp)
    candidates = _candidates(spans, cp).union(with_regex)
    results: list[Match] = []
    figure = None
    strengths: dict[str, Strength] = {}
    for k in sorted(candidates):
        if not cp.exclude_ids[k].isdisjoint(ids):
            continue
        need = _need(cp, k, ids)
        if need is False:
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
        # the grade depends on the sentence and the clauses holding the terms:
        # indicators whose terms share clauses share it, judged once
        clauses = grading.clauses_of(text, found)
        if clauses not in strengths:
            strengths[clauses] = grading.grade(text, cp.pack.grading, subjects or cp.subjects,
                                               figure, clauses=clauses)
        strength = strengths[clauses]
        results.append(((ind.indicator.id, found, strength),
                        None if isinstance(need, bool) else need))
    return tuple(results)


def _need(cp: CompiledPack, k: int, ids: set[int]) -> frozenset[int] | bool:
    """What context indicator k still needs: True (none, or the sentence holds
    it), False (sentence scope and the sentence lacks it), or the words its
    paragraph must hold."""
    need = cp.needs[k]
    if need is None or not need[0].isdisjoint(ids):
        return True
    return need[0] if need[1] else False


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
