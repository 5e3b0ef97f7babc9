"""Batch-level research fields of the matrix (docs/research.md): boilerplate,
peer percentiles within industry and year, and the change from each company's
previous year stored in the database.

Each function takes a built matrix and returns it with the fields filled in;
they see every row of the batch (before filters), so a filter never changes a
report's boilerplate share or its peers.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from csrscan.compare.matrix import Matrix, PeerRank, Row, YearChange
from csrscan.errors import ConfigError
from csrscan.score.boilerplate import ReportSentences, boilerplate

PCT_DIGITS = 1


def add_boilerplate(matrix: Matrix) -> Matrix:
    """Each row's boilerplate share, overall and per topic; the batch's most
    repeated sentences. Needs the rows' evidence (build_matrix with_evidence)."""
    ids = [t.id for t in matrix.topics]
    reports = [ReportSentences(r.company or f"\0{r.path}", [(e.topic, e.text) for e in r.evidence])
               for r in matrix.rows]
    found = boilerplate(reports)
    rows = tuple(replace(r, report_boilerplate=share,
                         boilerplate=tuple(topics.get(t) for t in ids))
                 for r, share, topics in zip(matrix.rows, found.report, found.topics,
                                             strict=True))
    return replace(matrix, rows=rows, repeated=found.repeated)


def parse_industry_rules(rules: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """`--industry WORD=NAME`: a company whose name contains WORD is in industry NAME."""
    out = []
    for rule in rules:
        word, sep, name = rule.partition("=")
        if not sep or not word.strip() or not name.strip():
            raise ConfigError(f"--industry {rule!r}: write WORD=NAME, e.g. 银行=banking")
        out.append((word.strip(), name.strip()))
    return tuple(out)


def industry_of(row: Row, rules: Sequence[tuple[str, str]]) -> str:
    return industry_for(row.company, row.identity.industry, rules)


def industry_for(company: str, industry: str, rules: Sequence[tuple[str, str]]) -> str:
    """The manifest's industry, else the first rule whose word the company holds."""
    if industry:
        return industry
    return next((name for word, name in rules if word in company), "")


def percentile(value: float, group: Sequence[float]) -> float:
    """Percentile rank with ties at mid-rank: 100 × (below + ½ · equal) / n
    (the group includes the value itself)."""
    below = sum(1 for v in group if v < value)
    equal = sum(1 for v in group if v == value)
    return round(100 * (below + 0.5 * equal) / len(group), PCT_DIGITS)


def add_peers(matrix: Matrix, rules: Sequence[tuple[str, str]] = ()) -> Matrix:
    """Percentiles of each report's score and topic levels within the reports of
    its industry and year; a report without an industry or a year has none."""
    groups: dict[tuple[str, int], list[int]] = defaultdict(list)
    industries = [industry_of(r, rules) for r in matrix.rows]
    for n, (r, industry) in enumerate(zip(matrix.rows, industries, strict=True)):
        if industry and r.year is not None:
            groups[(industry, r.year)].append(n)
    rows = list(matrix.rows)
    for (industry, _), members in groups.items():
        scores = [rows[n].score for n in members]
        levels = [[rows[n].levels[i] for n in members] for i in range(len(matrix.topics))]
        for n in members:
            r = rows[n]
            rows[n] = replace(r, peers=PeerRank(
                industry=industry, peers=len(members), score_pct=percentile(r.score, scores),
                levels_pct=tuple(percentile(lv, col) for lv, col in zip(r.levels, levels,
                                                                        strict=True)),
                median_score=round(statistics.median(scores), 3),
                median_levels=tuple(float(statistics.median(col)) for col in levels)))
    return replace(matrix, rows=tuple(rows))


def add_history(matrix: Matrix, db: Path) -> Matrix:
    """Each row against its company's latest stored report of an earlier year (the
    latest run of the nearest year); rows without a company or year, or whose
    company has no earlier year stored, have none."""
    if not db.is_file():  # the first run of a database: no history yet
        return matrix
    from csrscan.compare.db import HistoryRow, history

    ids = [t.id for t in matrix.topics]
    stored: dict[str, list[HistoryRow]] = {}
    rows = []
    for r in matrix.rows:
        if not r.company or r.year is None:
            rows.append(r)
            continue
        if r.company not in stored:
            stored[r.company] = [h for h in history(db, r.company) if h.company == r.company]
        earlier = [h for h in stored[r.company] if h.year is not None and h.year < r.year]
        if not earlier:
            rows.append(r)
            continue
        prev = max(earlier, key=lambda h: (h.year or 0, h.run_id))
        levels = dict(prev.levels)
        rows.append(replace(r, history=YearChange(
            from_year=prev.year or 0, run_id=prev.run_id,
            score_change=round(r.score - prev.score, 3),
            level_changes=tuple(lv - levels[t] if t in levels else None
                                for t, lv in zip(ids, r.levels, strict=True)))))
    return replace(matrix, rows=tuple(rows))
