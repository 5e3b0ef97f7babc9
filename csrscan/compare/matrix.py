"""Batch outcomes → the comparison matrix: rows, filters, sort order, trends.

A row is one scanned file: identity (company, year, industry), each topic's
level (0 missing, 1 partial, 2 covered), the overall score, the indicators
found per topic and the quoted evidence. Failures are kept beside the rows.
A trend compares each pair of consecutive years of one company, per topic.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import Any

from csrscan.compare.batch import Outcome
from csrscan.compare.identity import Identity, ManifestEntry, apply_manifest, canonical_name
from csrscan.errors import ConfigError
from csrscan.score.boilerplate import Repeated
from csrscan.score.quality import Quality

SORT_KEYS = ("company", "year", "score", "path")


@dataclass(frozen=True, slots=True)
class TopicCol:
    id: str
    name: str
    indicators: tuple[tuple[str, str], ...] = ()  # (id, name)


@dataclass(frozen=True, slots=True)
class EvidenceRow:
    topic: str
    indicator: str
    page: int
    line: int
    strength: str
    text: str


@dataclass(frozen=True, slots=True)
class PeerRank:
    """A report among the reports of its industry and year (compare --peers)."""

    industry: str
    peers: int  # reports in the group, this one included
    score_pct: float
    levels_pct: tuple[float, ...]  # per topic
    median_score: float
    median_levels: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class YearChange:
    """This report against its company's previous stored year (compare --trend)."""

    from_year: int
    run_id: int
    score_change: float
    level_changes: tuple[int | None, ...]  # per topic; None: the topic was not stored


@dataclass(frozen=True, slots=True)
class Row:
    path: str
    sha256: str
    format: str
    identity: Identity
    levels: tuple[int, ...]
    score: float
    found: tuple[tuple[str, ...], ...]  # indicator ids found, per topic
    evidence: tuple[EvidenceRow, ...] = ()
    # research fields (docs/research.md): indices per topic and of the report (None:
    # a journal line written before they existed), batch boilerplate, peers, history
    quality: tuple[Quality | None, ...] = ()
    report_quality: Quality | None = None
    boilerplate: tuple[float | None, ...] = ()
    report_boilerplate: float | None = None
    peers: PeerRank | None = None
    history: YearChange | None = None

    @property
    def company(self) -> str:
        return self.identity.company

    @property
    def year(self) -> int | None:
        return self.identity.year


@dataclass(frozen=True, slots=True)
class Failure:
    path: str
    sha256: str
    kind: str
    error: str


@dataclass(frozen=True, slots=True)
class Trend:
    company: str
    topic: str
    from_year: int
    to_year: int
    from_level: int
    to_level: int
    gained: tuple[str, ...]
    lost: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Matrix:
    pack_id: str
    pack_version: str
    topics: tuple[TopicCol, ...]
    rows: tuple[Row, ...]
    failures: tuple[Failure, ...]
    trends: tuple[Trend, ...] = ()
    repeated: tuple[Repeated, ...] = ()  # the batch's most repeated evidence sentences
    shows: frozenset[str] = frozenset()  # research parts the outputs show: quality, peers, trend


@dataclass(frozen=True, slots=True)
class Query:
    """`--sort/--reverse/--topic/--min-score/--max-score/--company/--year/--missing`."""

    sort: str = "company"
    reverse: bool = False
    topics: tuple[str, ...] = ()
    min_score: float | None = None
    max_score: float | None = None
    companies: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    missing: tuple[str, ...] = ()


def build_matrix(outcomes: Iterable[Outcome], pack_id: str, pack_version: str,
                 topics: Sequence[TopicCol],
                 manifest: dict[str, ManifestEntry] | None = None,
                 with_evidence: bool = True) -> Matrix:
    """`with_evidence`: keep every quote (the XLSX, HTML and database outputs show them;
    a batch has some 2,000 per report, so the other outputs skip them)."""
    rows, failures = [], []
    for o in outcomes:
        if o.data is None:
            failures.append(Failure(o.path, o.sha256, o.kind, o.error))
        else:
            rows.append(row_from_report(o.path, o.data, topics, manifest or {},
                                        with_evidence))
    return Matrix(pack_id, pack_version, tuple(topics),
                  tuple(sorted(rows, key=lambda r: r.path)),
                  tuple(sorted(failures, key=lambda f: f.path)))


def row_from_report(path: str, data: dict[str, Any], topics: Sequence[TopicCol],
                    manifest: dict[str, ManifestEntry], with_evidence: bool = True) -> Row:
    by_id = {t["id"]: t for t in data["topics"]}
    ident_d = data.get("identity") or {}
    ident = Identity(company=str(ident_d.get("company") or ""), year=ident_d.get("year"),
                     company_rule=str(ident_d.get("company_rule") or "unknown"),
                     year_rule=str(ident_d.get("year_rule") or "unknown"))
    ident = apply_manifest(ident, path, manifest)
    levels, found, evidence, quality = [], [], [], []
    for col in topics:
        t = by_id.get(col.id, {"level": 0, "indicators": []})
        levels.append(int(t["level"]))
        quality.append(_quality(t.get("quality")))
        found.append(tuple(i["id"] for i in t["indicators"] if i["found"]))
        if with_evidence:
            evidence += [EvidenceRow(col.id, i["id"], e["page"], e["line"], e["strength"],
                                     e["text"].strip())
                         for i in t["indicators"] for e in i["evidence"]]
    return Row(path=path, sha256=data["source"]["sha256"], format=data["source"]["format"],
               identity=ident, levels=tuple(levels), score=float(data["summary"]["score"]),
               found=tuple(found), evidence=tuple(evidence), quality=tuple(quality),
               report_quality=_quality(data["summary"].get("quality")))


def _quality(data: dict[str, Any] | None) -> Quality | None:
    return Quality(**data) if data else None


def select(matrix: Matrix, query: Query) -> Matrix:
    """Apply filters, topic selection and sort order; then compute trends."""
    ids = [t.id for t in matrix.topics]
    for tid in (*query.topics, *query.missing):
        if tid not in ids:
            raise ConfigError(f"no topic {tid!r} in pack {matrix.pack_id} "
                              f"(topics: {', '.join(ids)})")
    if query.sort not in (*SORT_KEYS, *ids):
        raise ConfigError(f"cannot sort by {query.sort!r}: use one of "
                          f"{', '.join(SORT_KEYS)} or a topic id")
    rows = [r for r in matrix.rows if _keep(r, query, ids)]
    rows.sort(key=_sort_key(query.sort, ids), reverse=query.reverse)
    keep = [ids.index(t) for t in query.topics] if query.topics else list(range(len(ids)))
    kept_ids = {ids[i] for i in keep}
    rows = [replace(r, levels=tuple(r.levels[i] for i in keep),
                    found=tuple(r.found[i] for i in keep),
                    evidence=tuple(e for e in r.evidence if e.topic in kept_ids),
                    **_kept_research(r, keep))
            for r in rows]
    topics = tuple(matrix.topics[i] for i in keep)
    return replace(matrix, topics=topics, rows=tuple(rows),
                   trends=compute_trends(rows, topics))


def _kept_research(r: Row, keep: list[int]) -> dict[str, Any]:
    """The per-topic research fields of the kept topic columns."""
    def pick(values: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(values[i] for i in keep) if values else ()
    peers = r.peers and replace(r.peers, levels_pct=pick(r.peers.levels_pct),
                                median_levels=pick(r.peers.median_levels))
    history = r.history and replace(r.history, level_changes=pick(r.history.level_changes))
    return {"quality": pick(r.quality), "boilerplate": pick(r.boilerplate), "peers": peers,
            "history": history}


def _keep(row: Row, q: Query, ids: list[str]) -> bool:
    if q.min_score is not None and row.score < q.min_score:
        return False
    if q.max_score is not None and row.score > q.max_score:
        return False
    if q.companies and not any(_fold(c) in _fold(row.company) for c in q.companies):
        return False
    if q.years and row.year not in q.years:
        return False
    return all(row.levels[ids.index(t)] == 0 for t in q.missing)


def _fold(name: str) -> str:
    # `--company (集团)` finds 平安（集团）: both sides in one spelling, any case.
    return canonical_name(name).casefold()


def _sort_key(sort: str, ids: list[str]) -> Any:
    def base(r: Row) -> tuple[Any, ...]:
        return (r.company, r.year or 0, r.path)
    if sort == "year":
        return lambda r: (r.year or 0, r.company, r.path)
    if sort == "score":
        return lambda r: (-r.score, *base(r))
    if sort == "path":
        return lambda r: r.path
    if sort in ids:
        i = ids.index(sort)
        return lambda r: (-r.levels[i], *base(r))
    return base


def company_years(rows: Iterable[Row]) -> dict[str, list[Row]]:
    """Per company, one row per year (the best score, then the first path)."""
    # one company spelt （集团） in one year's report and (集团) in the next is
    # one company: rows group by the folded name, shown as first spelt
    best: dict[tuple[str, int], Row] = {}
    for r in sorted(rows, key=lambda r: (-r.score, r.path)):
        if r.company and r.year is not None:
            best.setdefault((_fold(r.company), r.year), r)
    out: dict[str, list[Row]] = {}
    label: dict[str, str] = {}
    for (key, _), r in sorted(best.items()):
        out.setdefault(label.setdefault(key, r.company), []).append(r)
    return out


def compute_trends(rows: Iterable[Row], topics: Sequence[TopicCol]) -> tuple[Trend, ...]:
    trends = []
    for company, years in company_years(rows).items():
        for a, b in pairwise(years):
            for i, col in enumerate(topics):
                gained = tuple(sorted(set(b.found[i]) - set(a.found[i])))
                lost = tuple(sorted(set(a.found[i]) - set(b.found[i])))
                trends.append(Trend(company, col.id, a.year or 0, b.year or 0,
                                    a.levels[i], b.levels[i], gained, lost))
    return tuple(trends)


def topic_columns(pack: Any) -> tuple[TopicCol, ...]:
    return tuple(TopicCol(t.id, t.name, tuple((i.id, i.name) for i in t.indicators))
                 for t in pack.topics)
