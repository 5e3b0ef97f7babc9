"""The documented company/year rules of csrscan.compare.identity, and the manifest."""

from __future__ import annotations

from pathlib import Path

import pytest

from csrscan.compare.identity import (
    Identity,
    apply_manifest,
    company_from_filename,
    identify,
    read_manifest,
)
from csrscan.errors import InputError
from csrscan.models import Document, Page

INTRO = "目录\n致辞\n关于我们\n责任管理\n\n绿色运营\n"  # five title lines without a year


def doc(text: str, path: str = "x.txt", *more: str) -> Document:
    pages = (Page(1, text), *(Page(n, t) for n, t in enumerate(more, start=2)))
    return Document(path=path, format="txt", sha256="0" * 64, pages=pages)


def test_legal_name_and_title_year() -> None:
    got = identify(doc("青禾消费金融股份有限公司\n2023年度社会责任报告\n"))
    assert got == Identity("青禾消费金融股份有限公司", 2023, "legal-name", "title")


def test_legal_name_ignores_spaces_and_lead_in_words() -> None:
    got = identify(doc("本报告由 远帆 小额贷款 有限公司 编制\n2024 年 环境、社会及管治报告"))
    assert got.company == "远帆小额贷款有限公司"
    assert got.year == 2024 and got.year_rule == "title"


def test_short_name_when_no_legal_name() -> None:
    got = identify(doc("关于本报告\n白鹭金融（以下简称“白鹭”）披露年度进展。", "r.txt"))
    assert (got.company, got.company_rule) == ("白鹭", "short-name")


def test_year_from_file_name_before_body_and_company_from_file_name() -> None:
    got = identify(doc(INTRO + "过去一年我们回顾了2019年度工作。",
                       "澄湖银行_2022_ESG报告.pdf"))
    assert (got.year, got.year_rule) == (2022, "file-name")
    assert (got.company, got.company_rule) == ("澄湖银行", "file-name")


def test_year_from_first_page_body_last() -> None:
    got = identify(doc(INTRO + "本公司在2021年度持续经营。", "plain.txt"))
    assert (got.year, got.year_rule) == (2021, "first-page")


def test_unknown_when_nothing_matches() -> None:
    got = identify(doc("hello", "report.txt"))
    assert got == Identity("", None, "unknown", "unknown")


def test_short_first_page_reads_page_two() -> None:
    got = identify(doc("封面", "a.pdf", "嘉穗保险经纪股份有限公司 2023年度可持续发展报告"))
    assert got.company == "嘉穗保险经纪股份有限公司" and got.year == 2023


@pytest.mark.parametrize("name,company", [
    ("松石网络小贷-2023-社会责任报告.pdf", "松石网络小贷"),
    ("2024_明川数字_CSR_report_final.docx", "明川数字"),
    ("2024.pdf", ""),
])
def test_company_from_filename(name: str, company: str) -> None:
    assert company_from_filename(name) == company


def test_manifest_overrides_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.csv").write_text("path,company,year,industry\nin/a.txt,甲公司,2020,bank\n"
                                    "in/b.txt,,,\n", encoding="utf-8")
    manifest = read_manifest(tmp_path / "m.csv")
    found = Identity("乙", 2024, "legal-name", "title")
    assert apply_manifest(found, "in/a.txt", manifest) == Identity(
        "甲公司", 2020, "manifest", "manifest", "bank")
    assert apply_manifest(found, "in/b.txt", manifest) == found
    assert apply_manifest(found, "in/c.txt", manifest) == found


def test_manifest_errors(tmp_path: Path) -> None:
    (tmp_path / "bad.csv").write_text("file,company\nx,y\n", encoding="utf-8")
    with pytest.raises(InputError, match="path"):
        read_manifest(tmp_path / "bad.csv")
    (tmp_path / "year.csv").write_text("path,company,year\nx,y,24\n", encoding="utf-8")
    with pytest.raises(InputError, match="4-digit"):
        read_manifest(tmp_path / "year.csv")


def test_year_in_a_traditional_chinese_title() -> None:
    from csrscan.compare.identity import year_of

    title = "泓景商業銀行股份有限公司\n2024年永續報告書（摘要版）\n"
    assert year_of(title, "x.txt") == (2024, "title")
