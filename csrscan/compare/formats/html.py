"""Matrix → one self-contained HTML page for analysts.

A coverage-by-topic chart across the batch, the heatmap (Chinese topic
headers, sticky first column and header, scrolling sideways on a laptop),
filters by company, industry and year, sorting by any column, export of the
visible rows to CSV, and a drill-down per company (html_drill.py) listing its
missing indicators and the evidence behind every found one.

Works offline: CSS and JS are inlined from csrscan/render/assets/, nothing is
fetched.  Every text from a report or file name is escaped.  The table is
rendered here and the script reads its `data-v` values, so a column added to
`columns()` is sorted, filtered and exported with no change to the script.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from csrscan.compare.formats.html_drill import company_ids, drilldown, failures, trends
from csrscan.compare.formats.html_research import peers, repeated
from csrscan.compare.matrix import Matrix, Row, TopicCol
from csrscan.render.html_common import (
    LEVEL_STATUS,
    STATUS_COLOUR,
    STATUS_ZH,
    asset,
    bar_chart,
    label,
)

LEVEL_MARK = ("○", "◐", "●")


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # the column's name in the exported CSV (the JSON/CSV field name)
    head: str  # header HTML
    value: Callable[[int, Row], object]  # what sorting, filtering and export read
    cell: Callable[[int, Row], str]  # the cell's HTML
    numeric: bool = False
    css: str = ""


def columns(matrix: Matrix) -> list[Column]:
    """The heatmap's columns, first to last (the first stays put when scrolling)."""
    ids = company_ids(matrix)
    cols = [Column("company", label("company"), lambda n, r: r.company,
                   lambda n, r: f'<a href="#{ids[r.company]}">'
                   f"{escape(r.company or '?')}</a>"
                   + (' <span class="muted" title="由后备规则推测 guessed by a fallback '
                      'rule">(推测 guessed)</span>' if r.identity.guessed else ""), css="first"),
            Column("industry", label("industry"), lambda n, r: r.identity.industry,
                   lambda n, r: escape(r.identity.industry or "—"), css="industry"),
            Column("year", label("year"), lambda n, r: "" if r.year is None else r.year,
                   lambda n, r: str(r.year or "?"), numeric=True)]
    cols += [_topic_column(i, t) for i, t in enumerate(matrix.topics)]
    cols += [Column("score", label("score"), lambda n, r: f"{r.score:.3f}",
                    lambda n, r: f"{r.score:.3f}", numeric=True),
             Column("missing_indicators", label("missing"),
                    lambda n, r: missing_count(matrix, r),
                    lambda n, r: str(missing_count(matrix, r)), numeric=True),
             Column("path", label("path"), lambda n, r: r.path,
                    lambda n, r: escape(r.path), css="path")]
    if "quality" in matrix.shows:  # the report's indices, before the path (docs/research.md)
        cols[-1:-1] = [_share_column(k, head) for k, head in QUALITY_HEADS]
    return cols


QUALITY_HEADS = (("specificity", "具体性 specificity"), ("quantitative", "量化 quantitative"),
                 ("cheap_talk", "空谈 cheap_talk"), ("boilerplate", "套话 boilerplate"))


def _share_column(key: str, head: str) -> Column:
    def value(n: int, r: Row) -> object:
        if key == "boilerplate":
            v = r.report_boilerplate
        else:
            v = getattr(r.report_quality, key) if r.report_quality is not None else None
        return "" if v is None else f"{v:.3f}"
    return Column(key, head, value, lambda n, r: str(value(n, r)) or "—", numeric=True)


def _topic_column(i: int, t: TopicCol) -> Column:
    def cell(n: int, r: Row) -> str:
        status = LEVEL_STATUS[r.levels[i]]
        return (f'<a href="#r{n}-{escape(t.id)}" title="{escape(t.name)} {escape(t.id)}: '
                f'{STATUS_ZH[status]} {status}">{LEVEL_MARK[r.levels[i]]}</a>')
    return Column(t.id, f'{escape(t.name)}<br><span class="id">{escape(t.id)}</span>',
                  lambda n, r: r.levels[i], cell, numeric=True, css="topic")


def missing_count(matrix: Matrix, row: Row) -> int:
    return sum(len(t.indicators) - len(f) for t, f in zip(matrix.topics, row.found, strict=True))


def render_html(matrix: Matrix) -> str:
    parts = [
        "<!doctype html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>csrscan compare · {escape(matrix.pack_id)}</title>",
        f"<style>{asset('page.css')}{asset('compare.css')}</style></head><body>",
        '<h1>报告对比 <span class="id">csrscan compare</span></h1>',
        f'<p class="muted">规则包 pack {escape(matrix.pack_id)} {escape(matrix.pack_version)} · '
        f"已扫描 scanned {len(matrix.rows)} · 失败 failed {len(matrix.failures)}</p>",
        *_heatmap(matrix), *_chart(matrix), *peers(matrix), *repeated(matrix),
        *failures(matrix), *trends(matrix),
        *drilldown(matrix), f"<script>{asset('compare.js')}</script>", "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _chart(matrix: Matrix) -> list[str]:
    if not matrix.rows:
        return []
    rows = []
    total = len(matrix.rows)
    for i, t in enumerate(matrix.topics):
        counts = [sum(r.levels[i] == lv for r in matrix.rows) for lv in (2, 1, 0)]
        rows.append((t.name, f"#h-{t.id}",
                     [(c / total, STATUS_COLOUR[s])
                      for c, s in zip(counts, ("covered", "partial", "missing"), strict=True)],
                     f"{counts[0]} / {counts[1]} / {counts[2]}"))
    legend = " ".join(f'<span class="l{lv}">{STATUS_ZH[s]} {s}</span>'
                      for lv, s in ((2, "covered"), (1, "partial"), (0, "missing")))
    return ['<h2>各议题覆盖情况 <span class="id">coverage by topic</span></h2>',
            bar_chart(rows, "各议题覆盖情况 coverage by topic"),
            f'<p class="legend">{legend} · 右侧数字 covered / partial / missing</p>']


def _heatmap(matrix: Matrix) -> list[str]:
    cols = columns(matrix)
    if not any(r.identity.industry for r in matrix.rows):  # no manifest named one
        cols = [c for c in cols if c.key != "industry"]
    head = "".join(
        f'<th class="{c.css}" data-key="{escape(c.key)}" data-type='
        f'"{"num" if c.numeric else "text"}"'
        + (f' id="h-{escape(c.key)}"' if c.css == "topic" else "")
        + f'><button type="button" title="排序 sort">{c.head}</button></th>' for c in cols)
    out = ['<h2>热力图 <span class="id">heatmap</span></h2>', *_filters(matrix),
           f'<div class="heatwrap"><table id="heat"><thead><tr>{head}</tr></thead><tbody>']
    for n, r in enumerate(matrix.rows):
        cells = "".join(
            f'<td class="{c.css}{" lv l" + str(c.value(n, r)) if c.css == "topic" else ""}" '
            f'data-v="{escape(str(c.value(n, r)))}">{c.cell(n, r)}</td>' for c in cols)
        out.append(f'<tr data-company="{escape(r.company)}" '
                   f'data-industry="{escape(r.identity.industry)}" '
                   f'data-year="{r.year or ""}">{cells}</tr>')
    out.append("</tbody></table></div>")
    out.append('<p class="legend">' + " ".join(
        f'<span class="l{lv}">{LEVEL_MARK[lv]} {STATUS_ZH[s]} {s}</span>'
        for lv, s in enumerate(LEVEL_STATUS)) + " · 点击单元格查看证据 click a cell for its "
        "evidence</p>")
    return out


def _filters(matrix: Matrix) -> list[str]:
    industries = sorted({r.identity.industry for r in matrix.rows if r.identity.industry})
    years = sorted({r.year for r in matrix.rows if r.year is not None})

    def options(values: list[str]) -> str:
        return '<option value="">全部 all</option>' + "".join(
            f'<option value="{escape(v)}">{escape(v)}</option>' for v in values)
    return ['<div class="filters noprint">',
            '<label>公司 company <input id="f-company" type="search" '
            'placeholder="名称包含 name contains"></label>',
            f'<label{"" if industries else " hidden"}>行业 industry <select id="f-industry">'
            f"{options(industries)}</select></label>",
            f'<label>年度 year <select id="f-year">{options([str(y) for y in years])}</select>'
            "</label>",
            f'<span>显示 shown <b id="shown">{len(matrix.rows)}</b> / {len(matrix.rows)}</span>',
            '<button type="button" id="export">导出可见行 CSV export visible rows</button>',
            "</div>"]
