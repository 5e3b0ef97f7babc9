from __future__ import annotations

from pathlib import Path

from csrscan.packs.examples import text_to_indicators
from csrscan.packs.load import load_pack
from csrscan.packs.select import select_pack
from csrscan.score.grade import grade, is_gap

ZH = select_pack(None).grading  # the built-in pack: the shared Chinese grading
PACK = """pack: {id: t, version: '1.0', name: T, variants: {信息: [资讯]}}
topics:
  - id: green
    name: 绿色
    indicators:
      - id: green.word
        name: 绿色
        patterns: [{any: [绿色]}]
        examples: {pass: [发展绿色金融。], fail: [开通绿色通道。]}
      - id: green.near
        name: 近邻
        patterns: [{all: [碳, 核算], within: 3}]
        examples: {pass: [开展碳排放核算。], fail: [碳排放工作很多年来一直由外部机构完成核算。]}
      - id: green.excl
        name: 排除
        patterns: [{any: [催收]}]
        exclude: [反催收]
        examples: {pass: [规范催收行为。], fail: [打击反催收。]}
      - id: green.figure
        name: 数字
        quantitative: true
        patterns: [{any: [信息安全事件]}]
        examples: {pass: [发生信息安全事件2起。], fail: [防范信息安全事件。]}
      - id: green.regex
        name: 正则
        patterns: [{regex: "iso\\\\s*14001"}]
        examples: {pass: [通过ISO 14001认证。], fail: [通过ISO 9001认证。]}
"""


def pack_at(tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "t.yaml"
    path.write_text(PACK, encoding="utf-8")
    return load_pack(path)


def test_term_inside_a_longer_other_word_is_not_a_hit(tmp_path: Path) -> None:
    p = pack_at(tmp_path)
    assert "green.word" in text_to_indicators("公司大力发展绿色金融业务。", p)
    assert "green.word" not in text_to_indicators("为老年客户开通绿色通道。", p)


def test_all_within_tokens(tmp_path: Path) -> None:
    p = pack_at(tmp_path)
    assert "green.near" in text_to_indicators("公司开展碳排放核算。", p)
    assert "green.near" not in text_to_indicators(
        "碳排放工作很多年来一直由外部机构完成核算。", p)


def test_exclusion_voids_the_sentence(tmp_path: Path) -> None:
    p = pack_at(tmp_path)
    assert "green.excl" in text_to_indicators("公司规范催收行为。", p)
    assert "green.excl" not in text_to_indicators("公司打击反催收黑产。", p)


def test_quantitative_needs_a_figure(tmp_path: Path) -> None:
    p = pack_at(tmp_path)
    assert "green.figure" in text_to_indicators("全年发生信息安全事件2起。", p)
    assert "green.figure" in text_to_indicators("全年未发生信息安全事件。", p)
    assert "green.figure" not in text_to_indicators("公司防范信息安全事件。", p)


def test_regional_variants_and_traditional_text(tmp_path: Path) -> None:
    p = pack_at(tmp_path)
    assert "green.figure" in text_to_indicators("全年發生資訊安全事件3起。", p)


def test_regex_pattern_and_full_width_text(tmp_path: Path) -> None:
    p = pack_at(tmp_path)
    assert "green.regex" in text_to_indicators("公司通过ＩＳＯ　１４００１认证。", p)


def test_gaps_are_not_evidence(tmp_path: Path) -> None:
    p = pack_at(tmp_path)
    assert is_gap("公司尚未建立绿色金融制度。", ZH)
    assert "green.word" not in text_to_indicators("公司尚未建立绿色金融制度。", p)


def test_toc_and_index_lines_are_not_evidence(tmp_path: Path) -> None:
    p = pack_at(tmp_path)
    assert text_to_indicators("绿色金融 ............ 12", p) == ()
    assert text_to_indicators("GRI 201-2 绿色金融 第12页", p) == ()


def test_strength_grades() -> None:
    assert grade("公司始终高度重视绿色金融。", ZH) == "statement"
    assert grade("公司制定了绿色金融管理办法。", ZH) == "measure"
    assert grade("年末绿色贷款余额120.5亿元，同比增长18%。", ZH) == "performance"
    assert grade("报告期内未发生数据泄露事件。", ZH) == "performance"
    assert grade("公司力争到2027年绿色贷款占比达到10%。", ZH) == "target"
    assert grade("金融机构应当建立绿色金融制度。", ZH) == "statement"
    assert grade("本行应监管要求建立了绿色金融制度。", ZH) == "measure"


LIST_PACK = """pack: {id: l, version: '1.0', name: L}
topics:
""" + "".join(f"""  - id: t{k}
    name: T{k}
    indicators:
      - id: t{k}.x
        name: X
        patterns: [{{any: [{word}]}}]
        examples: {{pass: [a。], fail: [b。]}}
""" for k, word in enumerate(["数据安全", "绿色金融", "普惠金融", "反洗钱"]))


def test_topic_lists_are_not_evidence(tmp_path: Path) -> None:
    path = tmp_path / "l.yaml"
    path.write_text(LIST_PACK, encoding="utf-8")
    p = load_pack(path)
    assert text_to_indicators("实质性议题包括数据安全、绿色金融、普惠金融、反洗钱等。", p) == ()
    long = ("公司建立数据安全管理制度，推出绿色金融产品体系，并通过线上渠道为小微企业"
            "提供普惠金融服务，全年累计服务客户超过一百万户，并健全反洗钱内控机制。")
    assert text_to_indicators(long, p) == ("t0.x", "t1.x", "t2.x", "t3.x")


def test_own_short_name_counts_as_the_company() -> None:
    from csrscan.score.grade import own_names

    names = own_names("汇信消费金融股份有限公司（以下简称“汇信消金”）成立于2015年。")
    assert names == ("汇信消金",)
    assert grade("汇信消金需要持续完善数据安全制度。", ZH) == "statement"
    assert grade("汇信消金需要持续完善数据安全制度。", ZH, ("汇信消金",)) == "measure"


def test_ascii_terms_need_word_boundaries(pack) -> None:  # type: ignore[no-untyped-def]
    assert "complaint_handling.regulatory_referral" not in text_to_indicators(
        "仓储编号3512386040506已完成盘点，客户投诉渠道保持畅通。", pack)


def test_number_words_are_not_figures() -> None:
    assert grade("我们将与合作伙伴一起推动行业健康发展。", ZH) == "statement"
    assert grade("全年开展宣教活动三十余场。", ZH) == "performance"


def test_a_flattened_kpi_table_row_is_a_figure() -> None:
    assert grade("公益捐赠总额 万元 620 785", ZH) == "performance"
    assert grade("员工志愿服务时长小时 9,800 12,650", ZH) == "performance"
