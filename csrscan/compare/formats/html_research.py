"""The compare page's research sections (docs/research.md): each report against
its industry's median (`--peers`) and the sentences most repeated across
companies (`--quality`). Rendered in Python and escaped, like html_drill."""

from __future__ import annotations

from html import escape

from csrscan.compare.matrix import Matrix
from csrscan.render.html_common import label


def peers(matrix: Matrix) -> list[str]:
    """One row per report with peers, by industry, year, then score (best first)."""
    ranked = sorted((r for r in matrix.rows if r.peers is not None),
                    key=lambda r: (r.peers.industry if r.peers else "", r.year or 0,
                                   -r.score, r.company, r.path))
    if not ranked:
        return []
    rows = []
    for r in ranked:
        p = r.peers
        assert p is not None  # filtered above
        diff = r.score - p.median_score
        rows.append(f"<tr><td>{escape(p.industry)}</td><td>{r.year}</td>"
                    f"<td>{escape(r.company or '?')}</td><td>{r.score:.3f}</td>"
                    f"<td>{p.median_score:.3f}</td><td>{diff:+.3f}</td>"
                    f"<td>{p.score_pct:.1f}</td><td>{p.peers}</td></tr>")
    return ['<h2>同业对比 <span class="id">peers</span></h2>',
            '<p class="muted">得分与同行业同年度中位数比较 score against the median of its '
            "industry and year; 百分位 percentile = 100 × (below + ½ · equal) / n</p>",
            '<table id="peers"><thead><tr><th>行业 industry</th>'
            f"<th>{label('year')}</th><th>{label('company')}</th><th>{label('score')}</th>"
            "<th>行业中位数 median</th><th>差 vs median</th><th>百分位 percentile</th>"
            f"<th>同业数 peers</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"]


def repeated(matrix: Matrix) -> list[str]:
    """The batch's most repeated evidence sentences across companies."""
    if "quality" not in matrix.shows or not matrix.repeated:
        return []
    rows = "".join(f"<tr><td>{escape(s.text)}</td><td>{s.companies}</td><td>{s.reports}</td>"
                   "</tr>" for s in matrix.repeated)
    return ['<h2>套话 <span class="id">boilerplate</span></h2>',
            '<p class="muted">多家公司报告中相同或近似的证据句 evidence sentences that reports '
            "of several companies repeat (near-identical: docs/scoring.md)</p>",
            '<table id="boilerplate"><thead><tr><th>句子 sentence</th>'
            "<th>公司数 companies</th><th>报告数 reports</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"]
