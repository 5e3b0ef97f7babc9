"""What the HTML pages share: their assets, Chinese labels, escaping with
highlighted terms, and small inline-SVG charts.

Both pages (the scan report, `render/html_report.py`, and compare's batch
page) are single offline files: the CSS and JS come from `render/assets/`
through importlib.resources and are inlined, nothing is fetched.  Every text
taken from a report goes through html.escape; data handed to a script is
JSON with <, > and & escaped (`script_json`).
"""

from __future__ import annotations

import json
from functools import cache
from html import escape
from importlib import resources
from typing import Any

# Chinese first, the JSON word second (docs/json.md, "One vocabulary").
STATUS_ZH = {"covered": "已覆盖", "partial": "部分", "missing": "缺失"}
STRENGTH_ZH = {"statement": "表态", "measure": "措施", "performance": "绩效", "target": "目标"}
FIELD_ZH = {"status": "状态", "found": "已披露指标", "score": "覆盖度", "strength": "最强等级",
            "missing": "缺失指标", "refs": "标准", "evidence": "证据", "level": "等级",
            "description": "要求", "company": "公司", "industry": "行业", "year": "年度",
            "path": "文件", "topic": "议题", "indicator": "指标"}
STATUS_COLOUR = {"covered": "#2e9d57", "partial": "#e0a800", "missing": "#d64545"}
LEVEL_STATUS = ("missing", "partial", "covered")


@cache
def asset(name: str) -> str:
    """The text of a file under csrscan/render/assets/."""
    folder = resources.files("csrscan.render").joinpath("assets")
    return folder.joinpath(name).read_text(encoding="utf-8")


def label(field: str) -> str:
    """A column or field label: 覆盖度 <small>score</small>."""
    return f'{FIELD_ZH.get(field, field)} <span class="id">{escape(field)}</span>'


def status_badge(status: str) -> str:
    return (f'<span class="badge s-{escape(status)}">{STATUS_ZH.get(status, status)} '
            f'<span class="id">{escape(status)}</span></span>')


def strength_label(strength: str | None) -> str:
    if not strength:
        return "—"
    return f'{STRENGTH_ZH.get(strength, strength)} <span class="id">{escape(strength)}</span>'


def script_json(data: Any) -> str:
    """JSON to embed in <script type="application/json">: no tag can end the block."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def term_spans(text: str, terms: tuple[str, ...] | list[str]) -> list[tuple[int, int]]:
    """Where the (normalized) matched terms stand in the quote as written,
    merged and sorted; none when normalizing changed the quote's length (the
    offsets would not line up)."""
    from csrscan.text.normalize import fold_width, to_simplified

    norm = to_simplified(fold_width(text)).lower()
    if len(norm) != len(text):
        return []
    spans = []
    for term in terms:
        if not term:
            continue
        start = norm.find(term)
        while start >= 0:
            spans.append((start, start + len(term)))
            start = norm.find(term, start + len(term))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, terms: tuple[str, ...] | list[str]) -> str:
    """The quote escaped, its matched terms in <mark>."""
    out, pos = [], 0
    for start, end in term_spans(text, terms):
        out.append(escape(text[pos:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        pos = end
    out.append(escape(text[pos:]))
    return "".join(out)


def bar_chart(rows: list[tuple[str, str, list[tuple[float, str]], str]], title: str,
              width: int = 760) -> str:
    """A horizontal bar chart as inline SVG: each row is (label, link, segments, note),
    segments are (share 0..1, colour) laid end to end."""
    label_w, note_w, row_h = 210, 150, 20
    bar_w = width - label_w - note_w
    height = row_h * len(rows) + 8
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" '
             f'role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{escape(title)}</title>"]
    for n, (text, link, segments, note) in enumerate(rows):
        y = 4 + n * row_h
        parts.append(f'<a href="{escape(link)}"><text x="{label_w - 8}" y="{y + 15}" '
                     f'text-anchor="end">{escape(text)}</text></a>')
        parts.append(f'<rect x="{label_w}" y="{y + 4}" width="{bar_w}" height="13" '
                     'fill="#eee"/>')
        x = float(label_w)
        for share, colour in segments:
            w = max(0.0, min(1.0, share)) * bar_w
            if w > 0:
                parts.append(f'<rect x="{x:.1f}" y="{y + 4}" width="{w:.1f}" height="13" '
                             f'fill="{colour}"/>')
            x += w
        parts.append(f'<text x="{label_w + bar_w + 8}" y="{y + 15}" class="note">'
                     f"{escape(note)}</text>")
    parts.append("</svg>")
    return "".join(parts)
