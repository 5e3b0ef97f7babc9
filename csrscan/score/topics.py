"""Evidence → indicator results → topic levels.

The documented rule (docs/scoring.md):
- an indicator is *substantive* when it has evidence graded measure,
  performance or target; *mentioned* when its evidence is statements only;
- a topic is covered (2) when at least two indicators are substantive and
  its measure-or-better evidence comes from at least the pack's
  `grading.covered_sentences` different sentences (2 in the zh base; the
  topic's own mention sentences count among them): one sentence alone,
  however many indicators it names, then never makes a topic covered;
  partial (1) when at least one indicator has any evidence, missing (0) else;
- an indicator scores 1.0 if substantive, 0.5 if mentioned, 0 if absent; a
  topic's score is the mean over its indicators; the report's score is the
  mean over topics;
- a topic whose indicators found nothing but whose own name is mentioned in
  body text (its `mentions` words) is partial: a passing mention.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable

from csrscan.models import STRENGTHS, Evidence, IndicatorResult, Pack, TopicResult

SUBSTANTIVE = frozenset(STRENGTHS[1:])
COVERED_MIN_INDICATORS = 2


def evidence_to_topics(evidence: Iterable[Evidence], pack: Pack) -> tuple[TopicResult, ...]:
    """Group evidence by indicator and grade every topic of the pack."""
    by_indicator: dict[str, list[Evidence]] = defaultdict(list)
    for ev in evidence:
        by_indicator[ev.indicator].append(ev)
    topics = []
    for topic in pack.topics:
        results = tuple(
            IndicatorResult(ind, tuple(sorted(by_indicator.get(ind.id, ()),
                                              key=lambda e: (e.page, e.line, e.text))))
            for ind in topic.indicators)
        mentions = tuple(by_indicator.get(topic.id, ()))
        level = max(topic_level(results, mentions, pack.grading.covered_sentences),
                    1 if mentions else 0)
        topics.append(TopicResult(topic=topic, level=level, score=topic_score(results),
                                  indicators=results, mentions=mentions))
    return tuple(topics)


def is_substantive(result: IndicatorResult) -> bool:
    return any(e.strength in SUBSTANTIVE for e in result.evidence)


def topic_level(results: tuple[IndicatorResult, ...], mentions: tuple[Evidence, ...] = (),
                min_sentences: int = 1) -> int:
    """2 (covered), 1 (partial) or 0; `min_sentences`: Grading.covered_sentences."""
    substantive = [r for r in results if is_substantive(r)]
    if len(substantive) >= COVERED_MIN_INDICATORS \
            and len(substantive_sentences(substantive, mentions)) >= min_sentences:
        return 2
    return 1 if any(r.found for r in results) else 0


def substantive_sentences(results: Iterable[IndicatorResult], mentions: Iterable[Evidence]
                          ) -> set[str]:
    """The distinct sentences (by their words: a repeated boilerplate sentence is
    one) with measure-or-better evidence for the topic."""
    evidence = itertools.chain(mentions, (e for r in results for e in r.evidence))
    return {e.text for e in evidence if e.strength in SUBSTANTIVE}


def topic_score(results: tuple[IndicatorResult, ...]) -> float:
    if not results:
        return 0.0
    points = sum(1.0 if is_substantive(r) else 0.5 if r.found else 0.0 for r in results)
    return round(points / len(results), 3)
