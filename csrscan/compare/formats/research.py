"""The matrix's research fields (compare --quality, --peers, --trend) in every
output but HTML: extra CSV/XLSX columns, JSON keys, XLSX sheets, console tables.

Nothing is added unless the option asked for it, so the default outputs keep
their exact columns (docs/compare.md, docs/research.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from csrscan.compare.matrix import Matrix, Row
from csrscan.score.quality import Quality

INDICES = ("specificity", "quantitative", "cheap_talk")


def header(matrix: Matrix) -> list[str]:
    ids = [t.id for t in matrix.topics]
    cols: list[str] = []
    if "quality" in matrix.shows:
        cols += [*INDICES, "boilerplate"]
        cols += [f"{t}:{k}" for t in ids for k in (*INDICES, "boilerplate")]
    if "peers" in matrix.shows:
        cols += ["industry", "peers", "score_pct", "median_score", *(f"{t}:pct" for t in ids)]
    if "trend" in matrix.shows:
        cols += ["prev_year", "score_change", *(f"{t}:change" for t in ids)]
    return cols


def cells(matrix: Matrix, row: Row) -> list[Any]:
    """The row's values under header(matrix); an unknown value is empty."""
    out: list[Any] = []
    n = len(matrix.topics)
    if "quality" in matrix.shows:
        out += [*_indices(row.report_quality), _blank(row.report_boilerplate)]
        for i in range(n):
            q = row.quality[i] if row.quality else None
            out += [*_indices(q), _blank(row.boilerplate[i] if row.boilerplate else None)]
    if "peers" in matrix.shows:
        p = row.peers
        out += ([p.industry, p.peers, p.score_pct, p.median_score, *p.levels_pct] if p
                else [row.identity.industry, "", "", "", *[""] * n])
    if "trend" in matrix.shows:
        h = row.history
        out += ([h.from_year, h.score_change, *map(_blank, h.level_changes)] if h
                else ["", "", *[""] * n])
    return out


def _indices(q: Quality | None) -> list[Any]:
    return [_blank(getattr(q, k)) if q else "" for k in INDICES]


def _blank(value: Any) -> Any:
    return "" if value is None else value


def row_json(matrix: Matrix, row: Row) -> dict[str, Any]:
    ids = [t.id for t in matrix.topics]
    out: dict[str, Any] = {}
    if "quality" in matrix.shows:
        topics = {}
        for i, t in enumerate(ids):
            q = row.quality[i] if row.quality else None
            topics[t] = {**(q.to_dict() if q else {}),
                         "boilerplate": row.boilerplate[i] if row.boilerplate else None}
        out["quality"] = {**(row.report_quality.to_dict() if row.report_quality else {}),
                          "boilerplate": row.report_boilerplate, "topics": topics}
    if "peers" in matrix.shows:
        p = row.peers
        out["peers"] = None if p is None else {
            "industry": p.industry, "peers": p.peers, "score_pct": p.score_pct,
            "median_score": p.median_score,
            "levels_pct": dict(zip(ids, p.levels_pct, strict=True)),
            "median_levels": dict(zip(ids, p.median_levels, strict=True))}
    if "trend" in matrix.shows:
        h = row.history
        out["history"] = None if h is None else {
            "from_year": h.from_year, "run_id": h.run_id, "score_change": h.score_change,
            "level_changes": dict(zip(ids, h.level_changes, strict=True))}
    return out


def matrix_json(matrix: Matrix) -> dict[str, Any]:
    if "quality" not in matrix.shows:
        return {}
    return {"boilerplate": [{"text": r.text, "companies": r.companies, "reports": r.reports}
                            for r in matrix.repeated]}


def sheets(matrix: Matrix) -> Iterator[tuple[str, list[str], list[list[Any]]]]:
    """XLSX sheets: (title, header, rows)."""
    ids = [t.id for t in matrix.topics]
    if "quality" in matrix.shows:
        rows = []
        for r in matrix.rows:
            rows.append([r.path, r.company, r.year, "", *_quality_cells(r.report_quality),
                         _blank(r.report_boilerplate)])
            for i, t in enumerate(ids):
                rows.append([r.path, r.company, r.year, t,
                             *_quality_cells(r.quality[i] if r.quality else None),
                             _blank(r.boilerplate[i] if r.boilerplate else None)])
        yield ("quality", ["path", "company", "year", "topic", "sentences", *INDICES[:2],
                           "indicators", "cheap_talk", "boilerplate"], rows)
        yield ("boilerplate", ["text", "companies", "reports"],
               [[x.text, x.companies, x.reports] for x in matrix.repeated])
    if "peers" in matrix.shows:
        yield ("peers", ["path", "company", "year", "industry", "peers", "score",
                         "score_pct", "median_score", *(f"{t}:pct" for t in ids)],
               [[r.path, r.company, r.year, r.peers.industry, r.peers.peers, r.score,
                 r.peers.score_pct, r.peers.median_score, *r.peers.levels_pct]
                for r in matrix.rows if r.peers])
    if "trend" in matrix.shows:
        yield ("history", ["path", "company", "year", "from_year", "run_id", "score_change",
                           *(f"{t}:change" for t in ids)],
               [[r.path, r.company, r.year, r.history.from_year, r.history.run_id,
                 r.history.score_change, *map(_blank, r.history.level_changes)]
                for r in matrix.rows if r.history])


def _quality_cells(q: Quality | None) -> list[Any]:
    if q is None:
        return [""] * 5
    return [q.sentences, _blank(q.specificity), _blank(q.quantitative), q.indicators,
            _blank(q.cheap_talk)]


def print_research(matrix: Matrix, console: Any) -> None:
    """Console tables after the matrix: quality, peers, year-over-year change."""
    from rich.markup import escape
    from rich.table import Table

    from csrscan.render.table import percent as pct

    if "quality" in matrix.shows:
        table = Table(title="disclosure quality", title_justify="left")
        for c in ("company", "year", "sentences", *INDICES, "boilerplate"):  # JSON names
            table.add_column(c, justify="left" if c == "company" else "right")
        for r in matrix.rows:
            q = r.report_quality
            table.add_row(escape(r.company or "?"), str(r.year or "?"),
                          str(q.sentences) if q else "—",
                          pct(q.specificity if q else None),
                          pct(q.quantitative if q else None),
                          pct(q.cheap_talk if q else None), pct(r.report_boilerplate))
        console.print(table)
    if "peers" in matrix.shows:
        table = Table(title="peers (percentile within industry and year)",
                      title_justify="left")
        for c in ("company", "year", "industry", "peers", "score", "pct", "median"):
            table.add_column(c, justify="left" if c in ("company", "industry") else "right")
        for r in matrix.rows:
            p = r.peers
            table.add_row(escape(r.company or "?"), str(r.year or "?"),
                          escape(p.industry if p else r.identity.industry or "—"),
                          str(p.peers) if p else "—", f"{r.score:.2f}",
                          f"{p.score_pct:.0f}" if p else "—",
                          f"{p.median_score:.2f}" if p else "—")
        console.print(table)
    if "trend" in matrix.shows:
        changed = [r for r in matrix.rows if r.history]
        console.print(f"\n[bold]Year over year[/] (from --db, {len(changed)} reports)")
        for r in changed:
            h = r.history
            assert h is not None
            console.print(f"  {escape(r.company)} {h.from_year}→{r.year}: score "
                          f"{h.score_change:+.3f}", highlight=False)
