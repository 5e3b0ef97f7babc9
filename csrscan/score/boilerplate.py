"""Boilerplate in a batch: evidence sentences that other companies' reports repeat.

A sentence is compared after normalization (full-width to half-width,
traditional to simplified, lower case, everything but letters and digits
dropped) as the set of its character 3-grams (a text shorter than three
characters is one gram). Two sentences are near-identical when the Jaccard
similarity of their sets is at least 0.9 (`THRESHOLD`). A report's evidence
sentence is *boilerplate* when a near-identical sentence (itself included)
stands among the evidence of a report of another company; repeats within one
report, or between reports of one company (other years), do not count.
Exact, not sampled: candidates come from prefix filtering (a pair with
Jaccard ≥ t shares a gram among the first |S| − ⌈t·|S|⌉ + 1 grams of each set,
grams ordered rarest first), then each candidate's Jaccard is computed.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from csrscan.score.quality import share

THRESHOLD = 0.9
GRAM = 3
TOP = 20
_NOT_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True, slots=True)
class ReportSentences:
    """One report: who wrote it (the company; a report of unknown company is
    its own company) and its evidence sentences as (topic, text)."""

    company: str
    sentences: Sequence[tuple[str, str]]


@dataclass(frozen=True, slots=True)
class Repeated:
    text: str  # as the first report (in input order) wrote it
    companies: int  # companies whose reports hold it, or a near-identical sentence
    reports: int


@dataclass(frozen=True, slots=True)
class Boilerplate:
    report: tuple[float | None, ...]  # per input report: share of its distinct sentences
    topics: tuple[dict[str, float | None], ...]  # per input report: share per topic
    repeated: tuple[Repeated, ...]  # the most repeated across companies, most first
    flagged: tuple[frozenset[str], ...] = ()  # per input report: its boilerplate, normalized


def normalize(text: str) -> str:
    from csrscan.text.normalize import to_simplified

    folded = unicodedata.normalize("NFKC", text)
    return _NOT_WORD.sub("", to_simplified(folded).lower())


def grams(norm: str) -> frozenset[str]:
    if len(norm) < GRAM:
        return frozenset({norm})
    return frozenset(norm[i:i + GRAM] for i in range(len(norm) - GRAM + 1))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def near_pairs(texts: Sequence[str], threshold: float = THRESHOLD) -> list[tuple[int, int]]:
    """Pairs (i < j) of normalized texts whose gram sets have Jaccard ≥ threshold."""
    sets = [grams(t) for t in texts]
    freq = Counter(g for s in sets for g in s)
    index: dict[str, list[int]] = defaultdict(list)
    pairs: set[tuple[int, int]] = set()
    for j in sorted(range(len(sets)), key=lambda i: (len(sets[i]), i)):
        s = sets[j]
        ordered = sorted(s, key=lambda g: (freq[g], g))
        prefix = ordered[:len(s) - math.ceil(threshold * len(s)) + 1]
        seen: set[int] = set()
        for g in prefix:
            for i in index[g]:
                if i in seen:
                    continue
                seen.add(i)  # shorter or equal sets only (sorted by size): length filter
                if len(sets[i]) >= threshold * len(s) and jaccard(sets[i], s) >= threshold:
                    pairs.add((min(i, j), max(i, j)))
            index[g].append(j)
    return sorted(pairs)


def boilerplate(reports: Sequence[ReportSentences], threshold: float = THRESHOLD,
                top: int = TOP) -> Boilerplate:
    """Each report's boilerplate share, per report and per topic, and the most
    repeated sentences of the batch."""
    ids: dict[str, int] = {}  # normalized text -> id
    shown: list[str] = []
    per_report: list[dict[int, set[str]]] = []  # text id -> the topics it is evidence of
    for rep in reports:
        mine: dict[int, set[str]] = defaultdict(set)
        for topic, text in rep.sentences:
            norm = normalize(text)
            if not norm:
                continue
            if norm not in ids:
                ids[norm] = len(shown)
                shown.append(text.strip())
            mine[ids[norm]].add(topic)
        per_report.append(mine)
    near: dict[int, set[int]] = defaultdict(set)
    for i, j in near_pairs(list(ids), threshold):
        near[i].add(j)
        near[j].add(i)
    holders: dict[int, set[int]] = defaultdict(set)  # text id -> reports holding it
    for r, mine in enumerate(per_report):
        for t in mine:
            holders[t].add(r)

    def reports_of(t: int) -> set[int]:
        return set().union(holders[t], *(holders[v] for v in near[t]))

    norms = list(ids)  # by id
    shares, topic_shares, flagged_texts = [], [], []
    for r, mine in enumerate(per_report):
        company = reports[r].company
        flagged = {t for t in mine
                   if any(reports[o].company != company for o in reports_of(t))}
        shares.append(share(len(flagged), len(mine)))
        flagged_texts.append(frozenset(norms[t] for t in flagged))
        by_topic: dict[str, list[bool]] = defaultdict(list)
        for t, topics in mine.items():
            for topic in topics:
                by_topic[topic].append(t in flagged)
        topic_shares.append({k: share(sum(v), len(v)) for k, v in sorted(by_topic.items())})
    return Boilerplate(tuple(shares), tuple(topic_shares),
                       _most_repeated(reports, shown, near, reports_of, top),
                       tuple(flagged_texts))


def _most_repeated(reports: Sequence[ReportSentences], shown: list[str],
                   near: dict[int, set[int]], reports_of: Callable[[int], set[int]],
                   top: int) -> tuple[Repeated, ...]:
    counted = []
    for t in range(len(shown)):
        holding = reports_of(t)
        n_companies = len({reports[r].company for r in holding})
        if n_companies > 1:
            counted.append((-n_companies, -len(holding), t, n_companies, len(holding)))
    listed: list[Repeated] = []
    taken: set[int] = set()
    for _, _, t, companies, n in sorted(counted):
        if t in taken:
            continue
        taken.add(t)
        taken.update(near[t])  # one line for a sentence and its near-identical forms
        listed.append(Repeated(shown[t], companies, n))
        if len(listed) == top:
            break
    return tuple(listed)
