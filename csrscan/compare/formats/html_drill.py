"""The compare page's lower half: a drill-down per company (missing
indicators, then each topic's evidence, which the heatmap's cells link to),
the failed files and the year-on-year trends.  Rendered in Python, escaped,
so it reads without JavaScript too (the script only opens what a link targets)."""

from __future__ import annotations

from html import escape

from csrscan.compare.formats.matrix import trend_change
from csrscan.compare.matrix import EvidenceRow, Matrix, Row
from csrscan.render.html_common import LEVEL_STATUS, STATUS_ZH, label, status_badge, strength_label

MAX_QUOTES_PER_INDICATOR = 3


def company_ids(matrix: Matrix) -> dict[str, str]:
    """An anchor id per company, in name order."""
    return {name: f"co-{n}" for n, name in enumerate(sorted({r.company for r in matrix.rows}))}


def drilldown(matrix: Matrix) -> list[str]:
    if not matrix.rows:
        return []
    ids = company_ids(matrix)
    numbered = sorted(enumerate(matrix.rows), key=lambda p: (p[1].company, p[1].year or 0,
                                                              p[1].path))
    out = ['<h2>公司明细 <span class="id">companies</span></h2><div id="drilldown">']
    for name, anchor in ids.items():
        reports = [(n, r) for n, r in numbered if r.company == name]
        industry = reports[0][1].identity.industry
        out.append(f'<details class="company" id="{anchor}"><summary>{escape(name or "?")}'
                   + (f" · {escape(industry)}" if industry else "")
                   + f" · {len(reports)} 份报告 report(s)</summary>")
        out += [_report(matrix, n, r) for n, r in reports]
        out.append("</details>")
    out.append("</div>")
    return out


def _report(matrix: Matrix, n: int, row: Row) -> str:
    quotes: dict[str, list[EvidenceRow]] = {}
    for e in row.evidence:
        quotes.setdefault(e.indicator, []).append(e)
    missing, topics = [], []
    for i, t in enumerate(matrix.topics):
        found = set(row.found[i])
        gone = [(iid, name) for iid, name in t.indicators if iid not in found]
        if gone:
            missing.append(f'<li><a href="#r{n}-{escape(t.id)}">{escape(t.name)}</a> '
                           f'<span class="id">{escape(t.id)}</span>: ' + "、".join(
                               f'{escape(name)} <span class="id">{escape(iid)}</span>'
                               for iid, name in gone) + "</li>")
        items = [_indicator(iid, name, quotes.get(iid, []))
                 for iid, name in t.indicators if iid in found]
        topics.append(f'<div class="topic" id="r{n}-{escape(t.id)}"><h4>{escape(t.name)} '
                      f'<span class="id">{escape(t.id)}</span> '
                      f"{status_badge(LEVEL_STATUS[row.levels[i]])}</h4>{''.join(items)}</div>")
    head = (f'<section class="report" id="r{n}"><h3>{row.year or "?"} · {escape(row.path)} · '
            f"{label('score')} {row.score:.3f}</h3>")
    count = sum(len(t.indicators) for t in matrix.topics) - sum(map(len, row.found))
    gaps = (f"<h4>{label('missing')} ({count})</h4>"
            f'<ul class="missing">{"".join(missing)}</ul>' if missing
            else "<p>每个指标都有证据 every indicator has evidence.</p>")
    return head + gaps + f"<h4>{label('evidence')}</h4>" + "".join(topics) + "</section>"


def _indicator(iid: str, name: str, quotes: list[EvidenceRow]) -> str:
    shown = quotes[:MAX_QUOTES_PER_INDICATOR]
    more = (f'<p class="muted">… 另有 {len(quotes) - len(shown)} 条 more (XLSX: evidence)</p>'
            if len(quotes) > len(shown) else "")
    return (f'<p class="ind">✓ {escape(name)} <span class="id">{escape(iid)}</span></p>'
            + "".join(f'<blockquote><span class="loc">p.{e.page}:{e.line}</span> '
                      f'<span class="grade">{strength_label(e.strength)}</span> '
                      f"{escape(e.text)}</blockquote>" for e in shown) + more)


def failures(matrix: Matrix) -> list[str]:
    if not matrix.failures:
        return []
    rows = "".join(f"<tr><td>{escape(f.path)}</td><td>{escape(f.kind)}</td>"
                   f"<td>{escape(f.error)}</td></tr>" for f in matrix.failures)
    return ['<h2>失败文件 <span class="id">failed files</span></h2><table id="failures">'
            f"<thead><tr><th>{label('path')}</th><th>类型 kind</th><th>原因 error</th></tr>"
            f"</thead><tbody>{rows}</tbody></table>"]


def trends(matrix: Matrix) -> list[str]:
    if not matrix.trends:
        return []
    names = {t.id: t.name for t in matrix.topics}
    changed = [t for t in matrix.trends if t.gained or t.lost or t.from_level != t.to_level]
    rows = "".join(
        f'<tr class="{trend_change(t)}"><td>{escape(t.company)}</td><td>{t.from_year}→'
        f"{t.to_year}</td><td>{escape(names.get(t.topic, t.topic))} "
        f'<span class="id">{escape(t.topic)}</span></td>'
        f"<td>{STATUS_ZH[LEVEL_STATUS[t.from_level]]} → {STATUS_ZH[LEVEL_STATUS[t.to_level]]} "
        f'<span class="id">{LEVEL_STATUS[t.from_level]} → {LEVEL_STATUS[t.to_level]}</span>'
        f"</td><td>{escape(' '.join(t.gained))}</td><td>{escape(' '.join(t.lost))}</td></tr>"
        for t in changed)
    return ['<h2>年度变化 <span class="id">trends</span></h2><table id="trends"><thead><tr>'
            f"<th>{label('company')}</th><th>{label('year')}</th><th>{label('topic')}</th>"
            "<th>等级 level</th><th>新增 gained</th><th>减少 lost</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"]
