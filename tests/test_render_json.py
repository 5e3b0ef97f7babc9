"""render_json writes evidence straight to text: it must equal json.dumps of the dict."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from csrscan.models import (
    Evidence,
    Indicator,
    IndicatorResult,
    Report,
    SourceInfo,
    Topic,
    TopicResult,
)
from csrscan.pipeline import scan
from csrscan.render.report import render_json, report_to_dict

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
ODD = ['引号"与\\反斜杠', "控制\x00\x1f\t\n\r字符", "行分隔\u2028\u2029", "表情😀", "", "x" * 500]


def reference(report: Report) -> str:
    return json.dumps(report_to_dict(report), ensure_ascii=False) + "\n"


def odd_report() -> Report:
    ind = Indicator(id="t.a", topic="t", name=ODD[0], name_en="", description="",
                    refs=("GRI 418", ODD[2]), patterns=())
    empty = Indicator(id="t.b", topic="t", name="空", name_en="", description="", refs=(),
                      patterns=())
    evidence = tuple(Evidence(indicator="t.a", page=i, line=10 ** i, text=text,
                              terms=tuple(ODD[: i % 3]), strength="measure",
                              origin="ocr" if i % 2 else "text")
                     for i, text in enumerate(ODD))
    topic = Topic(id="t", name=ODD[3], name_en="", refs=(), indicators=(ind, empty))
    results = (IndicatorResult(ind, evidence), IndicatorResult(empty, ()))
    topics = (TopicResult(topic=topic, level=1, score=0.333, indicators=results,
                          mentions=evidence[:2]),
              TopicResult(topic=topic, level=0, score=0.0, indicators=()))
    source = SourceInfo(path=ODD[1], sha256="0" * 64, format="pdf", pages=3, chars=12,
                        script="simplified", encoding=None)
    return Report(source=source, pack_id="p", pack_version="1", topics=topics,
                  warnings=("b", ODD[2], "a"))


def test_odd_strings_render_as_json_dumps_does() -> None:
    report = odd_report()
    assert render_json(report) == reference(report)
    assert json.loads(render_json(report)) == report_to_dict(report)


def test_no_topics() -> None:
    report = Report(source=odd_report().source, pack_id="p", pack_version="1", topics=())
    assert render_json(report) == reference(report)


@pytest.mark.parametrize("name", ["draft_thin.md", "tw_bank_report.txt"])
def test_samples_render_as_json_dumps_does(name: str) -> None:
    report = scan(SAMPLES / name)
    assert render_json(report) == reference(report)


def test_chunks_join_to_the_whole() -> None:
    from csrscan.render.report import EVIDENCE_PER_CHUNK, json_chunks

    report = odd_report()
    assert "".join(json_chunks(report)) == render_json(report)
    # a huge text's thousands of quotes: no piece holds more than a bounded share
    topic = report.topics[0]
    many = topic.indicators[0].evidence * (EVIDENCE_PER_CHUNK // 2)
    big = replace(report, topics=(replace(topic, indicators=(
        replace(topic.indicators[0], evidence=many), *topic.indicators[1:])),))
    chunks = list(json_chunks(big))
    assert "".join(chunks) == json.dumps(report_to_dict(big), ensure_ascii=False) + "\n"
    assert max(c.count('"ocr": ') for c in chunks) == EVIDENCE_PER_CHUNK
    assert sum(c.count('"ocr": ') for c in chunks) == len(many) + len(topic.mentions)


def test_without_quotes_only_the_quote_lists_are_empty() -> None:
    report = scan(SAMPLES / "draft_thin.md")
    full, slim = report_to_dict(report), report_to_dict(report, quotes=False)
    assert any(i["evidence"] for t in full["topics"] for i in t["indicators"])
    for topic in full["topics"]:
        topic["mentions"] = []
        for indicator in topic["indicators"]:
            indicator["evidence"] = []
    assert slim == full  # found, strength, levels and scores are all still there
