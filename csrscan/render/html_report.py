"""Report → one self-contained HTML page an analyst can read, print and send.

Header (source, pages, script, warnings), an inline-SVG chart of every
topic's coverage and depth, one card per topic (status, found and missing
indicators with their standard references, evidence quoted with page:line,
grade and highlighted terms) and the gaps: every missing indicator with what
it asks for.  Offline: the CSS is inlined from render/assets/, the page has
no script and fetches nothing.  Chinese labels first, ids second.
"""

from __future__ import annotations

from html import escape

from csrscan.models import (
    STRENGTHS,
    Evidence,
    Indicator,
    IndicatorResult,
    Report,
    TopicResult,
)
from csrscan.render.html_common import (
    STATUS_COLOUR,
    STATUS_ZH,
    STRENGTH_ZH,
    asset,
    highlight,
    label,
    status_badge,
    strength_label,
)
from csrscan.render.report import QUOTES_PER_INDICATOR, strongest

MENTIONS_SHOWN = 3


def render_html(report: Report, evidence: bool = True, all_evidence: bool = False) -> str:
    """The page; it always quotes evidence (`evidence` is the table's switch, an HTML
    page without quotes would hide its reason to exist): up to three a finding,
    every one with `all_evidence`."""
    src = report.source
    limit = None if all_evidence else QUOTES_PER_INDICATOR
    parts = ["<!doctype html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>csrscan · {escape(src.path)}</title>",
             f"<style>{asset('page.css')}{asset('report.css')}</style></head><body>",
             *_header(report), *_chart(report), '<h2 id="topics">议题 <span class="id">topics'
             "</span></h2>", *(_card(t, limit) for t in report.topics), *_gaps(report),
             '<footer class="muted">csrscan · 规则包 pack '
             f"{escape(report.pack_id)} {escape(report.pack_version)}</footer>",
             "</body></html>"]
    return "\n".join(parts) + "\n"


def _header(report: Report) -> list[str]:
    src, levels = report.source, [t.level for t in report.topics]
    facts = [("来源 source", escape(src.path)), ("格式 format", escape(src.format)),
             ("页数 pages", str(src.pages)), ("字数 chars", str(src.chars)),
             ("字形 script", escape(src.script)),
             ("规则包 pack", f"{escape(report.pack_id)} {escape(report.pack_version)}"),
             ("总分 score", f"{report.score:.3f}")]
    out = ["<header>", "<h1>社会责任报告披露检查 <span class=\"id\">csrscan report</span></h1>",
           '<dl class="facts">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts)
           + "</dl>",
           '<p class="summary">' + " · ".join(
               f'<span class="s-{s}">{STATUS_ZH[s]} {s}: {levels.count(lv)}</span>'
               for lv, s in ((2, "covered"), (1, "partial"), (0, "missing")))
           + f" / {len(levels)} 议题 topics</p>"]
    if report.warnings:
        out.append('<ul class="warnings">' + "".join(
            f"<li>警告 warning: {escape(w)}</li>" for w in sorted(report.warnings)) + "</ul>")
    out.append("</header>")
    return out


def _chart(report: Report) -> list[str]:
    """Coverage (the topic's score, coloured by status) and depth (its strongest
    grade, four steps) of each topic, one row each."""
    label_w, bar_w, row_h, width = 220, 360, 26, 820
    height = row_h * len(report.topics) + 30
    svg = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
           'aria-label="议题覆盖度与深度 coverage and depth" xmlns="http://www.w3.org/2000/svg">',
           "<title>议题覆盖度与深度 coverage and depth</title>",
           f'<text x="{label_w}" y="14" class="note">覆盖度 score</text>',
           f'<text x="{label_w + bar_w + 20}" y="14" class="note">深度 strength</text>']
    for n, t in enumerate(report.topics):
        y = 22 + n * row_h
        depth = strongest(t)
        steps = STRENGTHS.index(depth) + 1 if depth in STRENGTHS else 0
        found = sum(r.found for r in t.indicators)
        svg += [f'<a href="#t-{escape(t.topic.id)}"><text x="{label_w - 8}" y="{y + 15}" '
                f'text-anchor="end">{escape(t.topic.name)}</text></a>',
                f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" height="15" fill="#eee"/>',
                f'<rect x="{label_w}" y="{y + 3}" width="{t.score * bar_w:.1f}" height="15" '
                f'fill="{STATUS_COLOUR[t.status]}"><title>{escape(t.topic.id)}: '
                f"{t.score:.3f}</title></rect>"]
        for step in range(4):
            fill = "#3b5b92" if step < steps else "#dde"
            svg.append(f'<rect x="{label_w + bar_w + 20 + step * 22}" y="{y + 3}" width="18" '
                       f'height="15" fill="{fill}"/>')
        svg.append(f'<text x="{label_w + bar_w + 116}" y="{y + 15}" class="note">'
                   f"{found}/{len(t.indicators)} · {STRENGTH_ZH.get(depth, '—')}</text>")
    svg.append("</svg>")
    return ['<section class="overview"><h2>概览 <span class="id">overview</span></h2>',
            "".join(svg), "</section>"]


def _card(t: TopicResult, limit: int | None) -> str:
    found = sum(r.found for r in t.indicators)
    head = (f'<section class="card s-{t.status}" id="t-{escape(t.topic.id)}">'
            f"<h3>{escape(t.topic.name)} <span class=\"id\">{escape(t.topic.id)}</span> "
            f"{status_badge(t.status)}</h3>"
            f'<p class="muted">{label("found")} {found}/{len(t.indicators)} · '
            f"{label('score')} {t.score:.3f} · {label('strength')} "
            f"{strength_label(strongest(t) if found else None)}"
            + (f" · {label('refs')} {escape(', '.join(t.topic.refs))}" if t.topic.refs else "")
            + "</p><ul class=\"indicators\">")
    items = [_indicator(r, limit) for r in t.indicators]
    mentions = ""
    if t.mentions and not found:  # the mentions alone made it partial: show why
        mentions = ('<p class="muted">仅提及议题 mentions only:</p>'
                    + "".join(_quote(e) for e in t.mentions[:MENTIONS_SHOWN]))
    return head + "".join(items) + "</ul>" + mentions + "</section>"


def _indicator(r: IndicatorResult, limit: int | None) -> str:
    ind = r.indicator
    refs = f' <span class="refs">{escape(", ".join(ind.refs))}</span>' if ind.refs else ""
    if not r.found:
        return (f'<li class="missing"><span class="mark">✗</span> {escape(ind.name)} '
                f'<span class="id">{escape(ind.id)}</span>{refs} '
                f'<a class="muted" href="#gap-{escape(ind.id)}">缺失 missing</a></li>')
    shown = r.evidence if limit is None else r.evidence[:limit]
    more = len(r.evidence) - len(shown)
    tail = (f'<p class="muted more">… 另有 {more} 条 more (--all-evidence)</p>' if more else "")
    return (f'<li class="found"><span class="mark">✓</span> {escape(ind.name)} '
            f'<span class="id">{escape(ind.id)}</span>{refs} '
            f'<span class="grade">{strength_label(r.strength)}</span>'
            + "".join(_quote(e) for e in shown) + tail + "</li>")


def _quote(e: Evidence) -> str:
    ocr = ' <span class="muted">OCR</span>' if e.origin == "ocr" else ""
    return (f'<blockquote><span class="loc">p.{e.page}:{e.line}</span> '
            f'<span class="grade g-{e.strength}">{strength_label(e.strength)}</span>{ocr} '
            f"<q>{highlight(e.text.strip(), e.terms)}</q></blockquote>")


def _asks(ind: Indicator) -> str:
    """What a missing indicator asks for: its guidance where the pack writes one
    (a field rule packs may gain), else its description."""
    guidance = getattr(ind, "guidance", None)
    return str(guidance or ind.description).strip()


def _gaps(report: Report) -> list[str]:
    rows = [(t, r) for t in report.topics for r in t.indicators if not r.found]
    out = [f'<section class="gaps"><h2 id="gaps">缺口 <span class="id">gaps</span> '
           f"({len(rows)})</h2>"]
    if not rows:
        out.append("<p>每个指标都有证据 every indicator has evidence.</p></section>")
        return out
    out.append(f"<table><thead><tr><th>{label('topic')}</th><th>{label('indicator')}</th>"
               f"<th>{label('description')}</th><th>{label('refs')}</th></tr></thead><tbody>")
    for t, r in rows:
        ind = r.indicator
        out.append(f'<tr id="gap-{escape(ind.id)}"><td>{escape(t.topic.name)} '
                   f'<span class="id">{escape(t.topic.id)}</span></td>'
                   f'<td>{escape(ind.name)} <span class="id">{escape(ind.id)}</span></td>'
                   f"<td>{escape(_asks(ind)) or '—'}</td>"
                   f"<td>{escape(', '.join(ind.refs)) or '—'}</td></tr>")
    out.append("</tbody></table></section>")
    return out
