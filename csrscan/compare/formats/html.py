"""Matrix → one self-contained HTML file: heatmap, failures, trends, drill-down.

Works offline: inline CSS and JS, no external resource. Every text from a
report or file name is escaped (html.escape in markup; the drill-down data is
JSON in a `<script type="application/json">` block with <, > and & escaped,
and the script inserts it with textContent only).
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from csrscan.compare.formats.matrix import LEVEL_NAME, trend_change
from csrscan.compare.matrix import Matrix, Row

MAX_QUOTES_PER_INDICATOR = 3

CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;
margin:1.5em;color:#1d1d1f}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em}
table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:3px 6px;text-align:left}
th{background:#f3f3f3}td.l0{background:#f8c9ce}td.l1{background:#fbe7a1}td.l2{background:#c3e9cc}
td.lv{text-align:center;min-width:2.2em}tr.hidden{display:none}
.legend span{display:inline-block;padding:0 .6em;margin-right:.4em}
details.company{border:1px solid #ddd;border-radius:6px;margin:.5em 0;padding:.4em .8em}
details.company summary{cursor:pointer;font-weight:600}
blockquote{margin:.2em 0 .4em 1.2em;padding-left:.6em;border-left:3px solid #9bb}
.muted{color:#777}.up{color:#17803d}.down{color:#b3261e}
"""

JS = r"""
(function () {
  var data = JSON.parse(document.getElementById('csrscan-data').textContent);
  var LEVEL = ['missing', 'partial', 'covered'];
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  var root = document.getElementById('drilldown');
  data.companies.forEach(function (co) {
    var d = el('details', 'company'); d.id = co.id;
    d.appendChild(el('summary', '', co.name + ' · ' + co.reports.length + ' report(s)'));
    co.trends.forEach(function (t) {
      var p = el('p', t.change === 'up' ? 'up' : (t.change === 'down' ? 'down' : 'muted'));
      p.textContent = t.from_year + '→' + t.to_year + ' ' + t.topic + ': ' +
        LEVEL[t.from_level] + ' → ' + LEVEL[t.to_level] +
        (t.gained.length ? '  gained ' + t.gained.join(', ') : '') +
        (t.lost.length ? '  lost ' + t.lost.join(', ') : '');
      d.appendChild(p);
    });
    co.reports.forEach(function (r) {
      d.appendChild(el('h3', '', (r.year || '?') + ' · ' + r.path + ' · score ' + r.score));
      data.topics.forEach(function (topic, i) {
        var quotes = r.evidence.filter(function (e) { return e.topic === topic.id; });
        var h = el('h4', 'lvl-' + r.levels[i], topic.name + ' (' + topic.id + '): ' +
                   LEVEL[r.levels[i]]);
        d.appendChild(h);
        quotes.forEach(function (e) {
          var item = el('div', 'quote');
          item.appendChild(el('span', 'muted', (topic.indicators[e.indicator] || e.indicator) +
            ' · p.' + e.page + ':' + e.line + ' [' + e.strength + ']'));
          item.appendChild(el('blockquote', 'evidence', e.text));
          d.appendChild(item);
        });
      });
    });
    root.appendChild(d);
  });
  function openHash() {
    var target = location.hash && document.getElementById(location.hash.slice(1));
    if (target && target.tagName === 'DETAILS') { target.open = true; }
  }
  window.addEventListener('hashchange', openHash); openHash();
  var filter = document.getElementById('filter');
  filter.addEventListener('input', function () {
    var q = filter.value.toLowerCase();
    document.querySelectorAll('#heat tbody tr').forEach(function (tr) {
      var hit = tr.getAttribute('data-company').toLowerCase().indexOf(q) >= 0;
      tr.classList.toggle('hidden', !hit);
    });
  });
  document.body.setAttribute('data-ready', '1');
})();
"""


def render_html(matrix: Matrix) -> str:
    ids = _company_ids(matrix)
    parts = [
        "<!doctype html>", '<html lang="zh"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>csrscan compare · {escape(matrix.pack_id)}</title>",
        f"<style>{CSS}</style></head><body>",
        "<h1>csrscan compare</h1>",
        f'<p class="muted">pack {escape(matrix.pack_id)} {escape(matrix.pack_version)} · '
        f"{len(matrix.rows)} scanned · {len(matrix.failures)} failed</p>",
        *_heatmap(matrix, ids), *_failures(matrix), *_trends(matrix),
        '<h2>Companies</h2><div id="drilldown"><noscript>The drill-down needs JavaScript; '
        "the CSV/XLSX outputs hold the same evidence.</noscript></div>",
        f'<script type="application/json" id="csrscan-data">{_data_json(matrix, ids)}</script>',
        f"<script>{JS}</script>", "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _company_ids(matrix: Matrix) -> dict[str, str]:
    names = sorted({r.company for r in matrix.rows})
    return {name: f"co-{n}" for n, name in enumerate(names)}


def _heatmap(matrix: Matrix, ids: dict[str, str]) -> list[str]:
    head = "".join(f'<th title="{escape(t.name)}">{escape(t.id)}</th>' for t in matrix.topics)
    out = ["<h2>Heatmap</h2>",
           '<p><input id="filter" type="search" placeholder="filter by company"></p>',
           f'<table id="heat"><thead><tr><th>company</th><th>year</th>{head}'
           "<th>score</th><th>path</th></tr></thead><tbody>"]
    for r in matrix.rows:
        cells = "".join(
            f'<td class="lv l{lv}" title="{escape(t.id)}: {LEVEL_NAME[lv]}">{lv}</td>'
            for t, lv in zip(matrix.topics, r.levels, strict=True))
        guess = (' <span class="muted" title="company or year guessed by a fallback rule">'
                 "(guessed)</span>" if r.identity.guessed else "")
        out.append(f'<tr data-company="{escape(r.company)}"><td><a href="#{ids[r.company]}">'
                   f"{escape(r.company or '?')}</a>{guess}</td><td>{r.year or '?'}</td>{cells}"
                   f"<td>{r.score:.3f}</td><td>{escape(r.path)}</td></tr>")
    out.append("</tbody></table>")
    out.append('<p class="legend">' + "".join(
        f'<span class="l{lv}" style="background:{c}">{lv} {LEVEL_NAME[lv]}</span>'
        for lv, c in ((0, "#f8c9ce"), (1, "#fbe7a1"), (2, "#c3e9cc"))) + "</p>")
    return out


def _failures(matrix: Matrix) -> list[str]:
    if not matrix.failures:
        return []
    rows = "".join(f"<tr><td>{escape(f.path)}</td><td>{escape(f.kind)}</td>"
                   f"<td>{escape(f.error)}</td></tr>" for f in matrix.failures)
    return ['<h2>Failed files</h2><table id="failures"><thead><tr><th>path</th><th>kind</th>'
            f"<th>reason</th></tr></thead><tbody>{rows}</tbody></table>"]


def _trends(matrix: Matrix) -> list[str]:
    changed = [t for t in matrix.trends if t.gained or t.lost or t.from_level != t.to_level]
    if not matrix.trends:
        return []
    rows = "".join(
        f'<tr class="{trend_change(t)}"><td>{escape(t.company)}</td><td>{t.from_year}→'
        f"{t.to_year}</td><td>{escape(t.topic)}</td><td>{LEVEL_NAME[t.from_level]} → "
        f"{LEVEL_NAME[t.to_level]}</td><td>{escape(' '.join(t.gained))}</td>"
        f"<td>{escape(' '.join(t.lost))}</td></tr>" for t in changed)
    return ['<h2>Trends</h2><table id="trends"><thead><tr><th>company</th><th>years</th>'
            "<th>topic</th><th>level</th><th>gained</th><th>lost</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"]


def _data_json(matrix: Matrix, ids: dict[str, str]) -> str:
    by_company: dict[str, list[Row]] = {}
    for r in sorted(matrix.rows, key=lambda r: (r.company, r.year or 0, r.path)):
        by_company.setdefault(r.company, []).append(r)
    company_trends: dict[str, list[dict[str, Any]]] = {}
    for t in matrix.trends:
        company_trends.setdefault(t.company, []).append(
            {"from_year": t.from_year, "to_year": t.to_year, "topic": t.topic,
             "from_level": t.from_level, "to_level": t.to_level, "change": trend_change(t),
             "gained": list(t.gained), "lost": list(t.lost)})
    data = {
        "topics": [{"id": t.id, "name": t.name, "indicators": dict(t.indicators)}
                   for t in matrix.topics],
        "companies": [{"id": ids[name], "name": name or "?",
                       "trends": company_trends.get(name, []),
                       "reports": [_report_data(r) for r in rows]}
                      for name, rows in by_company.items()],
    }
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _report_data(row: Row) -> dict[str, Any]:
    seen: dict[str, int] = {}
    quotes = []
    for e in row.evidence:
        seen[e.indicator] = seen.get(e.indicator, 0) + 1
        if seen[e.indicator] <= MAX_QUOTES_PER_INDICATOR:
            quotes.append({"topic": e.topic, "indicator": e.indicator, "page": e.page,
                           "line": e.line, "strength": e.strength, "text": e.text})
    return {"path": row.path, "year": row.year, "identity_guessed": row.identity.guessed,
            "score": row.score,
            "levels": list(row.levels), "evidence": quotes}
