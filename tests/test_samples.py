"""The bundled samples get the levels written down in samples/README.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from csrscan.pipeline import scan_path

ROOT = Path(__file__).resolve().parent.parent
TOPICS = ("data_security", "complaint_handling", "black_market", "green_finance",
          "consumer_protection", "financial_education", "inclusive_finance", "vulnerable_groups",
          "aml", "collection_conduct", "compliance_risk", "public_welfare")
EXPECTED = {  # samples/README.md, "Intended levels"
    "huixin_consumer_finance_2024.pdf": "2 2 2 1 2 2 2 2 2 2 2 2",
    "src/huixin_consumer_finance_2024.md": "2 2 2 1 2 2 2 2 2 2 2 2",
    "draft_thin.md": "2 1 0 0 1 1 1 0 0 0 1 1",
    "tw_bank_report.txt": "2 2 2 2 2 1 1 2 2 0 2 1",
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_levels(name: str, pack) -> None:  # type: ignore[no-untyped-def]
    report = scan_path(ROOT / "samples" / name, pack)
    got = {t.topic.id: t.level for t in report.topics}
    want = dict(zip(TOPICS, map(int, EXPECTED[name].split()), strict=True))
    assert got == want


def test_sample_pdf_quotes_evidence_with_pages_and_no_furniture(pack) -> None:  # type: ignore[no-untyped-def]
    report = scan_path(ROOT / "samples" / "huixin_consumer_finance_2024.pdf", pack)
    assert report.source.pages == 11
    evidence = [e for t in report.topics for r in t.indicators for e in r.evidence]
    assert {e.page for e in evidence} >= set(range(3, 11))
    assert not any("2024年社会责任报告 汇信消金" in e.text for e in evidence)


def test_traditional_sample_is_quoted_as_written(pack) -> None:  # type: ignore[no-untyped-def]
    report = scan_path(ROOT / "samples" / "tw_bank_report.txt", pack)
    assert report.source.script == "traditional"
    quotes = [e.text for t in report.topics for r in t.indicators for e in r.evidence]
    assert any("資訊安全" in q or "個人資料" in q for q in quotes)
