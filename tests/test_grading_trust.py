"""Grading an analyst can trust: others' words are statements, a figure
reached is no target, one sentence never makes a topic covered, table rows
with a bracketed unit are figures. Every sentence here is written for the test."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from csrscan.models import Document, Pack, Page
from csrscan.packs.load import load_pack
from csrscan.packs.select import select_pack
from csrscan.score.grade import grade, has_figure, own_names
from csrscan.stages import document_to_report

ZH = select_pack(None).grading


@pytest.mark.parametrize("sentence", [
    "企业需建立健全数据安全管理制度。",  # a generic "should"
    "要坚持以客户为中心，加强消费者权益保护。",
    "各保险公司要切实加强销售行为管理。",  # 公司 inside 保险公司 is someone else
    "某研究院报告指出，全国银行业绿色贷款余额同比增长20%。",  # a third party's figure
    "据中国银行业协会统计，去年全行业共处理投诉12万件。",
    "监管部门数据显示，去年消费金融公司投诉量下降15%。",
    "银行业金融机构持续完善绿色金融政策体系。",  # the industry
    "人民银行发布了新的反洗钱管理办法。",  # a regulator
])
def test_others_words_are_statements(sentence: str) -> None:
    assert grade(sentence, ZH) == "statement"


@pytest.mark.parametrize(("sentence", "strength"), [
    ("本公司需进一步完善数据安全管理制度。", "measure"),  # the company's own "should"
    ("公司要求各分支机构建立投诉台账。", "measure"),
    ("据统计，本行全年处理客户投诉1,203件。", "performance"),  # its own count
    ("本行配合监管部门开展反洗钱检查。", "measure"),
    ("满足客户需求，优化投诉处理流程。", "measure"),  # 需求 is no "should"
    ("主要开展了三场反诈宣传活动。", "measure"),  # 主要 is no "should"
    ("根据相应规定建立数据分级制度。", "measure"),  # 相应 is no 应
])
def test_own_words_keep_their_grade(sentence: str, strength: str) -> None:
    assert grade(sentence, ZH) == strength


@pytest.mark.parametrize(("sentence", "terms", "strength"), [
    # the "should" belongs to the regulator's clause, not to the mechanism's
    ("二、健全投诉机制：建立投诉处理机制，畅通投诉渠道，监管部门要加强投诉分析。",
     ("投诉处理机制",), "measure"),
    ("二、健全投诉机制：建立投诉处理机制，畅通投诉渠道，监管部门要加强投诉分析。",
     ("投诉分析",), "statement"),
    # a "should" in the term's own clause stays rule talk, wherever it stands
    ("为保护消费者权益，金融机构应当建立投诉处理机制。", ("投诉处理机制",), "statement"),
    ("为保护消费者权益，金融机构应当建立投诉处理机制。", (), "statement"),
])
def test_rule_talk_is_judged_in_the_clauses_of_the_evidence(
        sentence: str, terms: tuple[str, ...], strength: str) -> None:
    assert grade(sentence, ZH, terms=terms) == strength


@pytest.mark.parametrize(("sentence", "strength"), [
    ("截至2024年末，本行绿色贷款余额达到312.5亿元。", "performance"),  # a status date
    ("到2024年末，本行绿色贷款余额达到312.5亿元。", "performance"),  # no word of intent
    ("本行已于2023年底前完成全部网点的适老化改造。", "measure"),  # done: 已
    ("本行力争到2030年绿色贷款余额达到1000亿元。", "target"),
    ("到2030年，本行绿色贷款余额将达到1000亿元。", "target"),
    ("公司计划于2019年上线新的反欺诈系统。", "target"),  # any year: the words decide
    ("2030年前实现运营碳中和。", "target"),
    ("2024年前三季度新增普惠贷款48亿元。", "performance"),  # 年前三季度 is no deadline
    ("本行制定了2024年工作计划。", "measure"),  # 计划 as a noun
])
def test_a_target_looks_ahead(sentence: str, strength: str) -> None:
    assert grade(sentence, ZH) == strength


@pytest.mark.parametrize("row", [
    "可疑交易报告（份） 1,203 1,517",
    "可疑交易报告(份) 1,203 1,517 1,688",
    "绿色贷款余额（亿元）\t312.5\t280.1",
    "客户满意度（%） 98.6 97.9",
])
def test_table_rows_with_a_bracketed_unit_are_figures(row: str) -> None:
    from csrscan.text.normalize import normalize_term

    norm = normalize_term(row)
    assert has_figure(norm, ZH)
    assert grade(norm, ZH) == "performance"


def test_a_bracketed_unit_needs_values_after_it() -> None:
    assert not has_figure("可疑交易报告(份)", ZH)


def test_a_document_short_name_is_not_the_company() -> None:
    text = "（以下简称“报告”）本报告由汇信消费金融有限公司（以下简称“汇信消金”）发布。"
    assert own_names(text) == ("汇信消金",)


PACK = """pack: {id: cov, version: '1.0', name: Cov}
topics:
  - id: aml
    name: 反洗钱
    mentions: [反洗钱]
    indicators:
      - id: aml.reporting
        name: 可疑交易报告
        patterns: [{any: [可疑交易报告]}]
        examples: {pass: [a。], fail: [b。]}
      - id: aml.training
        name: 反洗钱培训
        patterns: [{all: [反洗钱, 培训]}]
        examples: {pass: [a。], fail: [b。]}
"""


def level(pack: Pack, text: str) -> int:
    doc = Document(path="t.txt", format="txt", sha256="0", pages=(Page(1, text),))
    return document_to_report(doc, pack).topics[0].level


@pytest.fixture(scope="module")
def cov(tmp_path_factory: pytest.TempPathFactory) -> Pack:
    path = Path(tmp_path_factory.mktemp("cov")) / "p.yaml"
    path.write_text(PACK, encoding="utf-8")
    return load_pack(path)


def test_one_sentence_alone_never_makes_a_topic_covered(cov: Pack) -> None:
    assert cov.grading.covered_sentences == 2  # from the zh base
    one = "本行开展反洗钱培训并完善可疑交易报告流程。"
    assert level(cov, one) == 1
    assert level(cov, one + "\n\n" + one) == 1  # the same sentence twice is one
    two = "本行开展反洗钱培训。\n\n本行完善可疑交易报告流程。"
    assert level(cov, two) == 2


def test_a_mention_sentence_counts_as_a_second_sentence(cov: Pack) -> None:
    text = "本行开展反洗钱培训并完善可疑交易报告流程。\n\n本行建立了反洗钱内控制度。"
    assert level(cov, text) == 2
    statement = "本行开展反洗钱培训并完善可疑交易报告流程。\n\n反洗钱十分重要。"
    assert level(cov, statement) == 1  # a statement is no second sentence


def test_covered_sentences_is_pack_data(cov: Pack) -> None:
    lenient = dataclasses.replace(cov, grading=dataclasses.replace(cov.grading,
                                                                    covered_sentences=1))
    assert level(lenient, "本行开展反洗钱培训并完善可疑交易报告流程。") == 2


@pytest.mark.parametrize(("sentence", "strength"), [
    ("按照监管要求开展反洗钱培训。", "measure"),  # 要求 the noun: a requirement met
    ("金融机构要求客户提供身份证明。", "statement"),  # 要求 the verb, someone else's
    ("未来三年，本行将新增绿色贷款500亿元。", "target"),  # a horizon without a year
    ("国内首家推出适老化手机银行服务。", "measure"),  # 国内 is no other party
])
def test_requirement_nouns_and_horizons(sentence: str, strength: str) -> None:
    assert grade(sentence, ZH) == strength
