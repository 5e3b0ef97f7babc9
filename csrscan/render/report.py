"""Report → plain data, JSON and Markdown (the stable machine contract)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from json.encoder import encode_basestring as _quote  # what dumps uses, in C
from typing import Any

from csrscan.models import STRENGTHS, Evidence, IndicatorResult, Report, TopicResult
from csrscan.score.quality import report_quality, topic_quality

SCHEMA = "csrscan.report/1"


def report_to_dict(report: Report, quotes: bool = True) -> dict[str, Any]:
    """The `csrscan.report/1` contract (docs/json.md); `quotes=False` leaves every
    evidence and mentions list empty (compare, when no output shows them)."""
    return {**_report_head(report),
            "topics": [topic_to_dict(t, quotes) for t in report.topics],
            **_report_tail(report)}


def _report_head(report: Report) -> dict[str, Any]:
    src = report.source
    return {"schema": SCHEMA,
            "source": {"path": src.path, "sha256": src.sha256, "format": src.format,
                       "pages": src.pages, "chars": src.chars, "script": src.script,
                       "encoding": src.encoding},
            "pack": {"id": report.pack_id, "version": report.pack_version}}


def _report_tail(report: Report) -> dict[str, Any]:
    levels = [t.level for t in report.topics]
    return {"summary": {"covered": levels.count(2), "partial": levels.count(1),
                        "missing": levels.count(0), "score": report.score,
                        "quality": report_quality(report.topics).to_dict()},
            "warnings": sorted(report.warnings)}


def topic_to_dict(topic: TopicResult, quotes: bool = True) -> dict[str, Any]:
    return {**_topic_head(topic),
            "indicators": [indicator_to_dict(r, quotes) for r in topic.indicators],
            "mentions": [evidence_to_dict(e) for e in topic.mentions] if quotes else []}


def _topic_head(topic: TopicResult) -> dict[str, Any]:
    return {"id": topic.topic.id, "name": topic.topic.name, "level": topic.level,
            "status": topic.status, "score": topic.score,
            "quality": topic_quality(topic).to_dict()}


def indicator_to_dict(result: IndicatorResult, quotes: bool = True) -> dict[str, Any]:
    return {**_indicator_head(result),
            "evidence": [evidence_to_dict(e) for e in result.evidence] if quotes else []}


def _indicator_head(result: IndicatorResult) -> dict[str, Any]:
    ind = result.indicator
    return {"id": ind.id, "name": ind.name, "found": result.found,
            "quantitative": result.quantitative, "strength": result.strength,
            "refs": list(ind.refs)}


def evidence_to_dict(ev: Evidence) -> dict[str, Any]:
    return {"page": ev.page, "line": ev.line, "text": ev.text, "terms": list(ev.terms),
            "strength": ev.strength, "ocr": ev.origin == "ocr"}


def render_json(report: Report) -> str:
    """json.dumps(report_to_dict(report), ensure_ascii=False), one line.

    Written part by part: the small heads through json.dumps, the tens of
    thousands of evidence items straight to text, which skips a dict per item
    (2× faster, 30 % less memory); test_render_json checks the two agree.
    """
    return "".join(json_chunks(report))


def json_chunks(report: Report, evidence: bool = True, all_evidence: bool = True
                ) -> Iterator[str]:
    """render_json's text in pieces of at most EVIDENCE_PER_CHUNK quotes: a writer
    that sends them on one by one never holds the whole report text (a huge
    text's evidence is several times its size).

    The JSON contract always carries every quote: the flags, which scan's
    other formats take, change nothing here."""
    yield f'{_dumps(_report_head(report))[:-1]}, "topics": ['
    for i, topic in enumerate(report.topics):
        if i:
            yield ", "
        yield from _topic_chunks(topic)
    yield f'], {_dumps(_report_tail(report))[1:]}\n'


EVIDENCE_PER_CHUNK = 1000


def _dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False)


def _topic_chunks(topic: TopicResult) -> Iterator[str]:
    yield f'{_dumps(_topic_head(topic))[:-1]}, "indicators": ['
    for i, result in enumerate(topic.indicators):
        yield f'{", " if i else ""}{_dumps(_indicator_head(result))[:-1]}, "evidence": ['
        yield from _evidence_chunks(result.evidence)
        yield "]}"
    yield '], "mentions": ['
    yield from _evidence_chunks(topic.mentions)
    yield "]}"


def _evidence_chunks(evidence: tuple[Evidence, ...]) -> Iterator[str]:
    for at in range(0, len(evidence), EVIDENCE_PER_CHUNK):
        part = ", ".join(map(_evidence_json, evidence[at:at + EVIDENCE_PER_CHUNK]))
        yield f", {part}" if at else part


def _evidence_json(ev: Evidence) -> str:
    """evidence_to_dict(ev) as json.dumps writes it."""
    return (f'{{"page": {int.__repr__(ev.page)}, "line": {int.__repr__(ev.line)}, '
            f'"text": {_quote(ev.text)}, "terms": [{", ".join(map(_quote, ev.terms))}], '
            f'"strength": {_quote(ev.strength)}, '
            f'"ocr": {"true" if ev.origin == "ocr" else "false"}}}')


# -e quotes this many pieces of evidence a finding in every format; --all-evidence all
QUOTES_PER_INDICATOR = 3
STATUS_MARK = {"covered": "✅ covered", "partial": "🟡 partial", "missing": "❌ missing"}


def render_markdown(report: Report, evidence: bool = False, all_evidence: bool = False) -> str:
    """The gap table as GitHub-flavoured Markdown."""
    src = report.source
    rows = [f"# csrscan: {src.path}", "",
            f"Pack `{report.pack_id}` {report.pack_version} · {src.format}, "
            f"{src.pages} page(s), {src.chars} chars, {src.script}", "",
            # the JSON field names (docs/json.md, "One vocabulary")
            "| topic | status | found | score | strength | missing |",
            "| --- | --- | --- | --- | --- | --- |"]
    for t in report.topics:
        found = sum(r.found for r in t.indicators)
        missing = ", ".join(r.indicator.name for r in t.indicators if not r.found) or "—"
        rows.append(f"| {t.topic.name} `{t.topic.id}` | {STATUS_MARK[t.status]} | "
                    f"{found}/{len(t.indicators)} | {t.score:.3f} | {strongest(t)} | "
                    f"{missing} |")
    rows += ["", summary_line(report)]
    if evidence:
        rows += ["", "## Evidence", "", *_markdown_evidence(report, all_evidence)]
    for w in sorted(report.warnings):
        rows.append(f"\n> warning: {w}")
    return "\n".join(rows) + "\n"


def _markdown_evidence(report: Report, all_evidence: bool = False) -> list[str]:
    out = []
    for t in report.topics:
        for r in t.indicators:
            shown = r.evidence if all_evidence else r.evidence[:QUOTES_PER_INDICATOR]
            for e in shown:
                out.append(f"- `{r.indicator.id}` p.{e.page}:{e.line} [{e.strength}] "
                           f"{e.text.strip()}")
            if len(shown) < len(r.evidence):
                out.append(f"- `{r.indicator.id}` … {len(r.evidence) - len(shown)} more "
                           "(--all-evidence shows all)")
    return out


def strongest(topic: TopicResult) -> str:
    grades = [r.strength for r in topic.indicators if r.strength]
    return max(grades, key=STRENGTHS.index) if grades else "—"


def summary_line(report: Report) -> str:
    levels = [t.level for t in report.topics]
    return (f"{levels.count(2)} covered, {levels.count(1)} partial, "
            f"{levels.count(0)} missing of {len(levels)} topics; score {report.score:.2f}")
