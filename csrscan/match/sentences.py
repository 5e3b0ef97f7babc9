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
from csrscan.match.memo import Memo, Shared
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
    spans = _whole_word_hits(text, raw, cp)
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


def _whole_word_hits(text: str, raw: list[tuple[int, int, int]], cp: CompiledPack
                     ) -> dict[str, list[int]]:
    """Term → token positions, for pattern-word hits that are whole words here.

    A hit whose end cuts through a dictionary word that is not a pack term is
    dropped where that word changes what the term means (_changes_meaning):
    绿色 in 绿色通道, 停催 in 暂停|催收, 合规部 in 合规|部署. Cutting a pack term
    (数据 in 数据安全), a word jieba only guessed (an out-of-vocabulary token
    such as 工作日内) or a word that only adds a modifier in front or a
    one-character suffix (隐私保护 in 个人隐私|保护, 承销 in 承销商) keeps it.
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
            if _cuts(words[first], starts[first], s, e, known, engine):
                continue
        if e not in at:  # ends inside a token
            last = bisect_right(starts, e - 1) - 1
            if _cuts(words[last], starts[last], s, e, known, engine):
                continue
        if (at_term := spans.get(terms[i])) is None:
            spans[terms[i]] = [first]
        else:
            at_term.append(first)
    return spans


def _cuts(word: str, at: int, s: int, e: int, known: dict[str, tuple[int, ...]],
          engine: Any) -> bool:
    """Whether the hit text[s:e] may not cut the token `word` starting at `at`:
    a dictionary word that is not a pack term and changes the term's meaning."""
    return (word not in known and _changes_meaning(at, at + len(word), s, e)
            and bool(engine.has_word(word)))


def _changes_meaning(tok_start: int, tok_end: int, s: int, e: int) -> bool:
    """A word cut by a term changes its meaning when the two share a single
    character (the term's edge belongs to another word: 暂停|催收 for 停催) or
    when the word runs on two or more characters past the term's end (Chinese
    compounds put the head last, so 绿色通道 is a kind of 通道, not of 绿色).
    A modifier in front (个人隐私 for 隐私保护) or a one-character suffix
    (承销商 for 承销) leaves the term's meaning."""
    shared = min(e, tok_end) - max(s, tok_start)
    return shared <= 1 or tok_end - e >= 2


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
