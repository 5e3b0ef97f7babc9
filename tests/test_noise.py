"""Real-input noise: invisible characters, OCR confusions, page furniture in text files."""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import pytest

from csrscan.ingest import bytes_to_document, path_to_document
from csrscan.ingest.quality import common_han
from csrscan.models import Document, Pack, Page
from csrscan.stages import document_to_report
from csrscan.text.noise import INVISIBLE, OCR_FOLDS, fold_ocr, page_marker_lines
from csrscan.text.normalize import document_to_normpages, normalize_term
from csrscan.text.segment import normpages_to_sentences

# A short report written for these tests (not taken from any real report).
REPORT = """青禾银行2024年社会责任报告
一、消费者权益保护
本行设立消费者权益保护委员会，由董事会负责审议消费者权益保护工作规划。
2024年，本行共受理客户投诉1,286件，投诉办结率100%，客户满意度为97.5%。
本行建立客户信息分级保护制度，全年开展个人信息保护专项检查12次。
二、绿色金融
截至2024年末，本行绿色贷款余额达到86.4亿元，较年初增长21.3%。
本行发行绿色金融债券20亿元，募集资金全部投向清洁能源和节能环保项目。
三、普惠金融
本行小微企业贷款余额152亿元，涉农贷款余额98亿元，普惠型小微企业贷款客户2.3万户。
四、反洗钱
本行完善反洗钱内控制度，全年提交大额交易报告和可疑交易报告，开展反洗钱培训45场。
五、金融知识教育
本行开展金融知识进社区、进校园活动320场，覆盖消费者8.6万人次。
"""

CF_SAMPLE = ("\u200b", "\u00ad", "\u202e", "\ufeff", "\u2060", "\u200d")


def sprinkle(text: str) -> str:
    """An invisible character after every third character (newlines kept as they are)."""
    out = []
    for i, ch in enumerate(text, start=1):
        out.append(ch)
        if i % 3 == 0 and ch != "\n":
            out.append(CF_SAMPLE[i % len(CF_SAMPLE)])
    return "".join(out)


def levels(doc: Document, pack: Pack) -> dict[str, int]:
    return {t.topic.id: t.level for t in document_to_report(doc, pack).topics}


def quotes(doc: Document, pack: Pack) -> set[str]:
    report = document_to_report(doc, pack)
    return {e.text for t in report.topics for i in t.indicators for e in i.evidence}


def test_invisible_list_is_every_format_character() -> None:
    listed = {chr(c) for c in range(sys.maxunicode + 1) if INVISIBLE.match(chr(c))}
    bmp_cf = {chr(c) for c in range(0x10000) if unicodedata.category(chr(c)) == "Cf"}
    assert bmp_cf <= listed
    # outside the BMP only code points that some Unicode version calls Cf (or leaves unassigned)
    assert all(unicodedata.category(c) in ("Cf", "Cn") for c in listed)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "gb18030"])
def test_invisible_characters_change_no_level_and_no_quote(pack: Pack, encoding: str) -> None:
    clean = bytes_to_document(REPORT.encode("utf-8"), "clean.txt")
    noisy_text = sprinkle(REPORT)
    assert sum(noisy_text.count(c) for c in CF_SAMPLE) > 100
    noisy = bytes_to_document(noisy_text.encode(encoding), f"noisy-{encoding}.txt")
    got = levels(noisy, pack)
    assert got == levels(clean, pack)
    assert sum(got.values()) >= 6  # the report discloses several topics
    # quotes show what a reader sees: the report's words without the invisible marks
    assert quotes(noisy, pack) == quotes(clean, pack)


def test_invisible_characters_never_split_a_term() -> None:
    page_text = "绿\u200b色金\u00ad融债券"
    [page] = document_to_normpages(Document("x", "txt", "0", (Page(1, page_text),)))
    assert page.norm == "绿色金融债券" and page.orig == "绿色金融债券"
    assert normalize_term("绿色\u200b金融") == "绿色金融"


def test_ocr_folds_are_for_matching_only() -> None:
    text = "中囯人民锒行要求各行幵展金融知识宣传，2〇16年投入1〇〇万元。二〇一六年曰常工作。"
    [page] = document_to_normpages(Document("x", "txt", "0", (Page(1, text),)))
    assert "中国人民银行" in page.norm and "开展" in page.norm
    assert "2016年投入100万元" in page.norm
    assert "二〇一六年" in page.norm  # Chinese numerals stay: no Arabic digit in the run
    assert "日常" in page.norm
    assert page.orig == text  # quotes keep what the report printed
    assert len(page.orig) == len(page.norm)


def test_ocr_folds_touch_only_rare_forms() -> None:
    folded_from = set(OCR_FOLDS)
    assert all(len(k) == 1 and len(v) == 1 for k, v in OCR_FOLDS.items())
    # the targets are the common characters the report meant
    assert set(OCR_FOLDS.values()) <= common_han()
    # folding never changes a character that is itself a fold target
    assert not folded_from & set(OCR_FOLDS.values())
    common_text = "本行积极开展金融知识教育，提高服务质量，国内业务稳步增长。"
    assert fold_ocr(common_text) == common_text


def header_report(pages: list[list[str]]) -> str:
    """A text file as a PDF-to-text tool writes it: page number, running titles, body."""
    out: list[str] = []
    for number, body in enumerate(pages, start=1):
        out += [f"{number}", "青禾银行股份有限公司", "2024年度可持续发展报告", *body,
                "第二章", "经营与服务"]
    return "\n".join(out) + "\n"


def test_running_headers_of_a_text_file_are_dropped_and_sentences_rejoined() -> None:
    filler = "本行持续完善内部管理流程，提升各项业务的运行效率，确保各项制度有效落实到位，"
    pages = [[filler + f"第{i}页的正文说明。"] * 3 for i in range(1, 9)]
    pages[3][-1] = filler + "全年开展金融知识宣传活动，累计"
    pages[4][0] = "覆盖客户三万人次，取得良好效果。"
    text = header_report(pages)
    doc = Document("r.txt", "txt", "0", (Page(1, text),))
    sentences = [s.text for s in normpages_to_sentences(document_to_normpages(doc))]
    assert not any("青禾银行股份有限公司" in s or "可持续发展报告" in s for s in sentences)
    assert not any("经营与服务" in s or "第二章" in s for s in sentences)
    joined = [s for s in sentences if "累计覆盖客户三万人次" in s]
    assert len(joined) == 1


def test_page_numbers_are_the_long_rising_chain() -> None:
    lines = ["正文"] * 3 + ["1"] + ["正文", "3", "正文", "2", "正文"] + ["2"] + ["正文"] * 3 \
        + ["封面 3"] + ["正文"] * 3 + ["5"] + ["正文"] * 4
    marks = page_marker_lines(lines)
    assert [lines[i] for i in marks] == ["1", "2", "封面 3", "5"]


def test_a_short_line_after_a_page_break_is_not_glued_to_the_sentence() -> None:
    filler = "本行持续完善内部管理流程，提升各项业务的运行效率，确保各项制度有效落实到位，"
    pages = [[filler + "正文。"] * 3 for _ in range(6)]
    pages[2][-1] = filler + "并且"
    pages[3][0] = "专栏：一个案例"
    text = header_report(pages)
    [page] = document_to_normpages(Document("r.txt", "txt", "0", (Page(1, text),)))
    assert "并且\n专栏" in page.norm


def test_empty_table_cells_and_left_column_tabs_read_like_a_pdf(pack: Pack) -> None:
    text = ("关键绩效\n"
            "\t客户投诉办结率（%）\t\t\t100\t\n"
            "\t客户满意度（%）\t\t\t97.5\n")
    [page] = document_to_normpages(Document("t.txt", "txt", "0", (Page(1, text),)))
    assert "客户投诉办结率(%)\t100" in page.norm
    contexts = {s.norm: s.context for s in normpages_to_sentences([page])}
    assert contexts["客户投诉办结率(%)\t100"] == "body"


def test_a_line_wrapped_after_a_closing_bracket_joins() -> None:
    long = "本行按照人民银行发布的指引开展环境信息披露工作，所列项目均符合《绿色债券支持项目目录》"
    text = f"{long}\n和本行内部的绿色信贷统计标准要求。\n{long}。\n"
    [page] = document_to_normpages(Document("t.txt", "txt", "0", (Page(1, text),)))
    assert "项目目录》和本行" in page.norm


def test_pdf_and_text_of_one_report_give_the_same_levels(pack: Pack, tmp_path: Path) -> None:
    from conftest import write_pdf

    txt = tmp_path / "r.txt"
    txt.write_text(REPORT, encoding="utf-8")
    lines = REPORT.splitlines()
    # cut into pages mid-list, with a running header, as a report PDF is
    pdf = write_pdf(tmp_path / "r.pdf", [lines[:7], lines[7:]], header="青禾银行2024年社会责任报告")
    assert levels(path_to_document(pdf), pack) == levels(path_to_document(txt), pack)


def test_index_rows_stay_apart_with_tabs_or_spaces() -> None:
    width = "本行持续完善内部管理流程，提升各项业务的运行效率，确保各项制度有效落实到位和执行"
    for gap in ("\t", " "):
        rows = [f"AB1{gap}机构关于员工培训与职业发展计划的说明以及相关的平均小时数{gap}17,76-77",
                f"AB12{gap}机构的客户满意度调查结果与改进措施的说明以及对应的数据{gap}44",
                "读者意见反馈表请您协助我们提高报告的编制质量，提供更有价值的信息和建议"]
        [page] = document_to_normpages(Document("t.txt", "txt", "0",
                                                (Page(1, "\n".join([width, "", *rows])),)))
        assert page.norm.endswith("\n".join(normalize_term(r) for r in rows)), gap
