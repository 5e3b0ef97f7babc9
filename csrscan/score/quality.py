"""Disclosure-quality indices of one report, per topic and overall (docs/scoring.md).

Pure functions of the evidence; nothing here changes a level or a score.

- *sentences*: the distinct evidence sentences of a topic's indicators, by
  their words (a sentence repeated word for word is one, as for the covered
  rule; mentions, which only name the topic, are not counted);
  a sentence's grade for the topic is the strongest grade of its evidence
  there;
- *specificity*: share of those sentences graded measure or better;
- *quantitative*: share of those sentences with performance evidence (a
  figure reached, as `indicators[].quantitative` says);
- *cheap talk*: share of the topic's found indicators whose evidence is
  statements only (commitments and attitudes with nothing done or measured).

The report's indices pool every topic: its distinct evidence sentences
(a sentence that is evidence for two topics counts once, at its strongest)
and its found indicators. An index with an empty denominator is None.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from csrscan.models import STRENGTHS, Evidence, IndicatorResult, Strength, TopicResult

SPECIFIC = frozenset(STRENGTHS[1:])  # measure, performance, target
DIGITS = 3


@dataclass(frozen=True, slots=True)
class Quality:
    sentences: int
    specificity: float | None
    quantitative: float | None
    indicators: int  # found indicators: cheap talk's denominator
    cheap_talk: float | None

    def to_dict(self) -> dict[str, int | float | None]:
        return {"sentences": self.sentences, "specificity": self.specificity,
                "quantitative": self.quantitative, "indicators": self.indicators,
                "cheap_talk": self.cheap_talk}


def share(part: int, whole: int) -> float | None:
    return round(part / whole, DIGITS) if whole else None


def sentence_grades(evidence: Iterable[Evidence]) -> dict[str, set[Strength]]:
    """The grades each distinct sentence (by its words) received."""
    grades: dict[str, set[Strength]] = {}
    for ev in evidence:
        grades.setdefault(ev.text.strip(), set()).add(ev.strength)
    return grades


def quality_of(results: Sequence[IndicatorResult]) -> Quality:
    """The indices over these indicator results (one topic's, or a report's)."""
    grades = sentence_grades(e for r in results for e in r.evidence)
    specific = sum(1 for g in grades.values() if g & SPECIFIC)
    figures = sum(1 for g in grades.values() if "performance" in g)
    found = [r for r in results if r.found]
    talk = sum(1 for r in found if all(e.strength == "statement" for e in r.evidence))
    return Quality(sentences=len(grades), specificity=share(specific, len(grades)),
                   quantitative=share(figures, len(grades)), indicators=len(found),
                   cheap_talk=share(talk, len(found)))


def topic_quality(topic: TopicResult) -> Quality:
    return quality_of(topic.indicators)


def report_quality(topics: Iterable[TopicResult]) -> Quality:
    return quality_of([r for t in topics for r in t.indicators])
