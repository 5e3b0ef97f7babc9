"""The documented company/year rules of csrscan.compare.identity, and the manifest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from csrscan.compare.identity import (
    Identity,
    apply_manifest,
    company_from_filename,
    identify,
    read_manifest,
    year_of,
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


def test_a_short_name_of_a_document_is_not_a_company() -> None:
    got = identify(doc("依据《绿色信贷管理办法》（以下简称“办法”）编制。\n", "8d1f0c2a.txt"))
    assert got.company == ""


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


def test_a_data_set_manifest_names_files_and_accepted_years(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.csv").write_text(
        "file,sector,company,year,industry\n"
        "in/a.txt,bank,甲公司,2015|2016,banking\n"
        "in/b.txt,bank,乙公司,2015|2016,banking\n"
        "in/c.txt,bank,,2019,\n", encoding="utf-8")
    manifest = read_manifest(tmp_path / "m.csv")
    found = Identity("丙", 2016, "legal-name", "title")
    # the rules' year is one of the accepted ones: kept (and no longer a guess)
    assert apply_manifest(found, "in/a.txt", manifest) == Identity(
        "甲公司", 2016, "manifest", "manifest", "banking")
    # the rules found another year, or none: the first accepted one
    assert apply_manifest(Identity("丙", 2018, "legal-name", "title"), "in/b.txt",
                          manifest).year == 2015
    assert apply_manifest(Identity("丙", None, "", ""), "in/b.txt", manifest).year == 2015
    assert apply_manifest(found, "in/c.txt", manifest) == Identity(
        "丙", 2019, "legal-name", "manifest", "")


def test_manifest_errors(tmp_path: Path) -> None:
    (tmp_path / "bad.csv").write_text("name,company\nx,y\n", encoding="utf-8")
    with pytest.raises(InputError, match="path"):
        read_manifest(tmp_path / "bad.csv")
    (tmp_path / "year.csv").write_text("path,company,year\nx,y,24\n", encoding="utf-8")
    with pytest.raises(InputError, match="4-digit"):
        read_manifest(tmp_path / "year.csv")
    (tmp_path / "years.csv").write_text("path,company,year\nx,y,2015|16\n", encoding="utf-8")
    with pytest.raises(InputError, match="4-digit"):
        read_manifest(tmp_path / "years.csv")


def test_year_in_a_traditional_chinese_title() -> None:
    from csrscan.compare.identity import year_of

    title = "泓景商業銀行股份有限公司\n2024年永續報告書（摘要版）\n"
    assert year_of(title, "x.txt") == (2024, "title")


# ---- ranked legal names, lead-in words, institutions (issue #12 item 7) --------------

FILLER = "我们坚持稳健经营，持续完善治理结构。\n" * 3


@pytest.mark.parametrize("text,company", [
    # a definition list: the words before the name are not part of it
    ("目录\n释义\n“本公司”、“本行”均指澄江银行股份有限公司\n" + FILLER, "澄江银行股份有限公司"),
    ("目錄\n釋義\n「本公司」、「本行」均指澄江銀行股份有限公司\n" + FILLER, "澄江銀行股份有限公司"),
    # 以 … 为主体
    ("关于本报告\n组织范围：本报告以远岫保险（集团）股份有限公司为主体，涵盖各子公司。\n",
     "远岫保险（集团）股份有限公司"),
    ("關於本報告\n組織範圍：本報告以遠岫保險（集團）股份有限公司為主體，涵蓋各附屬公司。\n",
     "遠岫保險（集團）股份有限公司"),
    # 本报告是 …
    ("序言\n本报告是北岭电气股份有限公司第五份环境与社会责任报告。\n", "北岭电气股份有限公司"),
    ("序言\n本報告是北嶺電氣股份有限公司（「本公司」）第五份環境與社會責任報告。\n",
     "北嶺電氣股份有限公司"),
    # page numbers glued to a running header
    ("012青梧酒业股份有限公司\n" + FILLER + "青梧酒业股份有限公司积极回馈社区。\n",
     "青梧酒业股份有限公司"),
])
def test_lead_in_words_are_not_part_of_the_name(text: str, company: str) -> None:
    got = identify(doc(text))
    assert (got.company, got.company_rule) == (company, "legal-name")


@pytest.mark.parametrize("text", [
    "萬川食品\n引言\n萬川食品是一家肉類食品企業，公司在香港聯合交易所有限公司主板上市。\n"
    + "萬川食品重視員工。\n" * 5,
    "万川食品\n引言\n万川食品是一家肉类食品企业，公司在香港联合交易所有限公司主板上市。\n"
    + "万川食品重视员工。\n" * 5,
])
def test_a_stock_exchange_is_never_the_reporter(text: str) -> None:
    got = identify(doc(text, "5e0c2b7d.txt"))
    assert "交易所" not in got.company
    assert got.company in ("萬川食品", "万川食品") and got.company_rule == "title-term"
    assert got.guessed


def test_institutions_and_subsidiaries_lose_to_the_self_defined_reporter() -> None:
    text = ("2023年度社会责任报告\n"
            "编制依据：上海证券交易所有关指引。股份登记于中国证券登记结算有限责任公司。\n"
            "公司名称：岚山港务股份有限公司\n"
            "子公司：岚山物流有限公司、岚山物流有限公司仓储分部、岚山物流有限公司码头。\n"
            + "岚山港务股份有限公司持续提升服务。\n" * 2)
    got = identify(doc(text))
    assert got.company == "岚山港务股份有限公司"


def test_a_subsidiary_named_after_a_relation_word_is_cut_and_ranked_lower() -> None:
    text = ("关于我们\n公司全资子公司临港物流有限公司负责仓储，临港物流有限公司另有码头。\n"
            "临港物流有限公司年内扩建。\n临港控股股份有限公司坚持绿色发展。\n"
            "临港控股股份有限公司持续改善服务。\n")
    assert identify(doc(text)).company == "临港控股股份有限公司"
    text = "关于我们\n本年度公司收购了溪南纸业有限公司。\n"
    assert identify(doc(text)).company == "溪南纸业有限公司"


def test_a_one_character_word_stays_when_the_name_starts_a_clause_elsewhere() -> None:
    text = ("以岭制药股份有限公司\n2023年度社会责任报告\n公司简介\n"
            "本报告以以岭制药股份有限公司为主体。\n")
    assert identify(doc(text)).company == "以岭制药股份有限公司"


def test_ocr_spellings_of_one_name_merge_and_the_cover_spelling_wins() -> None:
    text = ("0泰和人寿保险股佾有限公司\n2023年社会责任报告\n" + FILLER
            + "这是泰和人寿保险股份有限公司发布的第五份报告。\n"
            + "泰和人寿保险股份有限公司及其分支机构。\n")
    got = identify(doc(text))
    assert got.company == "泰和人寿保险股份有限公司"
    text = ("海工重器股份有限公司\n2023年社会责任报告\n"
            + "在本报告中海工里器股份有限公司简称公司。\n海工里器股份有限公司地址。\n"
            + "业务：海工里器股份有限公司。\n")
    assert identify(doc(text)).company == "海工重器股份有限公司"


def test_garbled_cover_name_loses_to_the_defined_name() -> None:
    text = ("2023年度社会责任报告\n鲁东wxyz股份有限公司\n目录\n编写说明\n"
            "报告主体：鲁东矿业股份有限公司。\n" + "鲁东矿业股份有限公司坚持安全生产。\n" * 3)
    assert identify(doc(text)).company == "鲁东矿业股份有限公司"


@pytest.mark.parametrize("path,text", [
    ("9f3e1a7c.txt", "关于本报告\n本报告（以下简称“报告”）说明如下。\n"),
    ("report.pdf", "关于本报告\n本报告（以下简称“报告”）说明如下。\n"),
])
def test_never_a_hash_or_a_report_word_as_company(path: str, text: str) -> None:
    got = identify(doc(text, path))
    assert (got.company, got.company_rule) == ("", "unknown")


# ---- year -------------------------------------------------------------------------------

def test_a_start_year_is_not_the_report_year() -> None:
    text = ("泉港能源股份有限公司 二〇二二年度社会责任报告\n董事会保证本报告内容真实。\n"
            "关于本报告的说明\n"
            "本报告系公司自2011年起连续第十二年发布社会责任报告。\n"
            "报告期间：2022年1月1日至2022年12月31日。\n")
    assert year_of(text, "x.txt") == (2022, "title")
    text = text.replace("二〇二二年度", "")
    assert year_of(text, "x.txt") == (2022, "period")


def test_year_from_the_report_period_in_traditional_text() -> None:
    text = INTRO + "本報告是北嶺電氣股份有限公司截至2021年12月31日止之環境與社會責任報告。\n"
    assert year_of(text, "x.txt") == (2021, "period")
    text = "目录\n前言\n\n\n\n时间范围\n2020年1月1曰至2020年12月31曰，部分内容有所延伸。\n"
    assert year_of(text, "x.txt") == (2020, "period")


def test_year_in_an_english_cover_line() -> None:
    text = "澄湖银行股份有限公司\nCHENGHU BANK\n2021 Annual Sustainability Report\n"
    assert year_of(text, "x.txt") == (2021, "title")


def test_year_in_brackets_after_the_report_name() -> None:
    assert year_of("青禾银行股份有限公司\n可持续发展报告（2021)\n", "x.txt") == (2021, "title")


def test_year_from_running_headers_and_a_target_year_is_implausible() -> None:
    page = "我们在2022年新增绿色贷款，2022年完成培训，2022年开展公益活动。\n"
    text = ("迈向2030可持续未来\n目录\n致辞\n\n\n" + page * 2
            + "青禾2022年社会责任报告\n" * 3 + "青禾2021年社会责任报告\n")
    assert year_of(text, "x.txt") == (2022, "report-name")


def test_guessed_identity() -> None:
    assert Identity("甲", 2020, "file-name", "title").guessed
    assert Identity("甲有限公司", 2020, "legal-name", "first-page").guessed
    assert not Identity("甲有限公司", 2020, "legal-name", "period").guessed
    assert not Identity("甲", 2020, "manifest", "manifest").guessed
    assert not Identity("", None).guessed


def test_matrix_outputs_mark_a_guessed_identity() -> None:
    import csv
    import io

    from csrscan.compare.formats.matrix import matrix_to_dict, render_csv
    from csrscan.compare.matrix import Matrix, Row, TopicCol

    def row(path: str, ident: Identity) -> Row:
        return Row(path=path, sha256="0" * 64, format="txt", identity=ident, levels=(1,),
                   score=0.5, found=((),))

    rows = (row("a.txt", identify(doc("青禾消费金融股份有限公司\n2023年度社会责任报告\n"))),
            row("b.txt", identify(doc(INTRO, "澄湖银行_2022_ESG报告.pdf"))))
    matrix = Matrix("p", "1", (TopicCol("t", "T"),), rows, ())
    data = matrix_to_dict(matrix)["rows"]
    assert [r["identity_guessed"] for r in data] == [False, True]
    assert [r["company_rule"] for r in data] == ["legal-name", "file-name"]
    table = list(csv.reader(io.StringIO(render_csv(matrix))))
    assert table[0][-2:] == ["score", "identity_guessed"]
    assert [r[-1] for r in table[1:]] == ["0", "1"]


def test_one_company_spelt_two_ways_is_one_trend_and_one_filter(tmp_path: Path) -> None:
    # the 2023 report writes （集团）, the 2024 one (集团): one company in the
    # trends and for --company, each row keeping its own report's spelling
    from compare_helpers import run_main

    body = "本公司建立客户信息保护制度，开展数据安全培训12场。\n" * 3
    (tmp_path / "in").mkdir()
    spellings = ((2023, "远岫保险（集团）股份有限公司"), (2024, "远岫保险(集团)股份有限公司"))
    for year, name in spellings:
        (tmp_path / "in" / f"r{year}.txt").write_text(
            f"{name}\n{year}年社会责任报告\n本报告以{name}为主体。\n" + body, encoding="utf-8")
    res = run_main(tmp_path, "compare", "in", "-f", "json", "--no-cache", "-j", "1",
                   "--progress", "none", "--company", "远岫保险(集团)")
    matrix = json.loads(res.stdout)
    assert {r["year"]: r["company"] for r in matrix["rows"]} == {
        2023: "远岫保险（集团）股份有限公司", 2024: "远岫保险(集团)股份有限公司"}
    assert {(t["company"], t["from_year"], t["to_year"]) for t in matrix["trends"]} == {
        ("远岫保险（集团）股份有限公司", 2023, 2024)}
