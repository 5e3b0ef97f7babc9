"""A rule's `context:` (an anchor word in the same sentence or paragraph) and
the word-boundary filter that keeps a mention cut inside a longer word."""

from __future__ import annotations

from pathlib import Path

import pytest

from csrscan.errors import RuleError
from csrscan.match.words import _changes_meaning
from csrscan.models import Document, Pack, Page
from csrscan.packs.examples import text_to_indicators
from csrscan.packs.load import load_pack
from csrscan.stages import normpages_to_evidence
from csrscan.text.normalize import document_to_normpages

FINANCE_ONLY = {"green_finance", "financial_education", "inclusive_finance", "aml",
                "collection_conduct", "black_market"}
PACK = """pack: {id: c, version: '1.0', name: C}
topics:
  - id: edu
    name: 宣教
    mentions: [宣教]
    context:
      scope: paragraph
      any: [金融, 银行, 诈骗]
    indicators:
      - id: edu.material
        name: 材料
        patterns: [{any: [宣传手册]}]
        examples: {pass: [发放金融知识宣传手册。], fail: [发放安全生产宣传手册。]}
      - id: edu.own
        name: 自有语境
        patterns: [{any: [知识普及]}]
        context: {any: [理财]}
        examples: {pass: [开展理财知识普及。], fail: [开展金融知识普及。]}
  - id: plain
    name: 无语境
    indicators:
      - id: plain.word
        name: 词
        patterns: [{any: [宣传手册]}]
        examples: {pass: [发放宣传手册。], fail: [发放宣传单。]}
"""


@pytest.fixture
def ctx(tmp_path: Path) -> Pack:
    path = tmp_path / "c.yaml"
    path.write_text(PACK, encoding="utf-8")
    return load_pack(path)


def test_a_generic_term_needs_its_context_in_the_sentence(ctx: Pack) -> None:
    assert "edu.material" in text_to_indicators("本行向社区发放金融知识宣传手册2万份。", ctx)
    found = text_to_indicators("公司向员工发放安全生产宣传手册2万份。", ctx)
    assert "edu.material" not in found and "plain.word" in found


def test_paragraph_scope_takes_the_context_from_a_neighbour_sentence(ctx: Pack) -> None:
    near = "公司走进社区讲解如何识别诈骗电话。现场发放宣传手册500份。"
    assert "edu.material" in text_to_indicators(near, ctx)
    # a blank line ends the paragraph: the anchor no longer stands beside the hit
    apart = "公司走进社区讲解如何识别诈骗电话。\n\n现场发放宣传手册500份。"
    assert "edu.material" not in text_to_indicators(apart, ctx)
    assert "plain.word" in text_to_indicators(apart, ctx)


def test_an_indicator_context_replaces_the_topics(ctx: Pack) -> None:
    assert "edu.own" in text_to_indicators("公司开展理财知识普及活动。", ctx)
    assert "edu.own" not in text_to_indicators("本行开展金融知识普及活动。", ctx)


def test_topic_context_applies_to_mentions(ctx: Pack) -> None:
    assert "edu" in _topics("本行持续开展金融宣教。", ctx)
    assert "edu" not in _topics("公司持续开展安全宣教。", ctx)


def _topics(text: str, pack: Pack) -> set[str]:
    """Topics with evidence, mentions included (text_to_indicators leaves those out)."""
    doc = Document(path="<t>", format="txt", sha256="0", pages=(Page(number=1, text=text),))
    found = normpages_to_evidence(document_to_normpages(doc), pack)
    return {e.indicator.split(".")[0] for e in found}


@pytest.mark.parametrize("context", ["{any: []}", "{scope: sentence}", "{any: [金融], scope: page}",
                                     "{any: [金融], near: 3}", "[金融]"])
def test_a_malformed_context_is_a_schema_error(tmp_path: Path, context: str) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(PACK.replace("context: {any: [理财]}", f"context: {context}"),
                    encoding="utf-8")
    with pytest.raises(RuleError) as info:
        load_pack(path)
    assert info.value.rule == "edu.own" and "context" in (info.value.key or "")


def test_the_builtin_pack_keeps_finance_only_topics_out_of_other_reports(pack: Pack
                                                                         ) -> None:
    # each sentence below names a generic term of a finance-only topic with no
    # money word in its paragraph: a manufacturer's report, not a bank's
    for text in ("公司为一线农民工按时足额发放工资。", "公司印发产品宣传手册，在展销会上发放。",
                 "公司屋顶光伏电站年发电1,200万千瓦时，可节约标准煤4,800吨。",
                 "公司公布96110等公益热线，方便市民反映供水问题。"):
        found = {i.split(".")[0] for i in text_to_indicators(text, pack)}
        assert not found & FINANCE_ONLY, text
    assert "inclusive_finance.new_citizens" in text_to_indicators(
        "本行为新市民和农民工推出专属信用贷款产品。", pack)


@pytest.mark.parametrize("text", ["公司高度重视个人隐私保护。", "公司高度重視個人隱私保護。"])
def test_a_mention_cut_by_a_modifier_in_front_still_counts(pack: Pack, text: str
                                                           ) -> None:
    # jieba reads 个人隐私|保护: the term 隐私保护 starts inside 个人隐私, which
    # only says whose privacy; the hit stays
    assert "data_security" in _topics(text, pack)


def test_a_longer_word_with_a_new_head_drops_the_hit(pack: Pack) -> None:
    # 绿色通道 is a fast lane, not something green: the longer word's head 通道
    # changes the meaning, so 绿色 inside it is no green-finance hit
    assert not any(i.startswith("green_finance")
                   for i in text_to_indicators("本行为小微企业贷款开辟绿色通道。", pack))


def test_a_one_character_suffix_keeps_the_hit(pack: Pack) -> None:
    # 承销商 (underwriter) is 承销 plus an agent suffix: the hit on 承销 stays
    assert "green_finance.green_bonds" in text_to_indicators(
        "公司作为主承销商，协助风电企业发行公司债券，募集资金用于新能源项目。", pack)


def test_an_edge_character_of_another_word_drops_the_hit() -> None:
    # 停催 over 暂停|催收: each token shares one character with the term
    assert _changes_meaning(0, 2, 1, 3) and _changes_meaning(2, 4, 1, 3)
    assert not _changes_meaning(0, 4, 2, 6)  # 个人隐私 for 隐私保护: a modifier in front
    assert not _changes_meaning(0, 3, 0, 2)  # 承销商 for 承销: one-character suffix
    assert _changes_meaning(0, 4, 0, 2)  # 绿色通道 for 绿色: a new head
