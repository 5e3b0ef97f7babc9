"""Grade a sentence: statement < measure < performance < target; spot gaps.

Patterns work on normalized (simplified, half-width, lower-case) text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from csrscan.models import Strength

_UNIT = (r"(%|‰|亿元|万元|千元|元|美元|港元|亿|万|千|件|宗|起|例|笔|次|人次|万人|人|户|家|"
         r"个|项|场|期|"
         r"小时|天|吨|千瓦时|度|份|篇|名|倍|个百分点|百分点|个工作日|分钟|秒|款|台|套|条|"
         r"所|座|村|位|单|批|轮|门|节|课时|学时|亩|公里|平方米|mw|kwh|tco2e?)")
# A figure: a number with a unit, a Chinese count, a year-on-year change, or
# a KPI table row flattened to text (name, unit, then the years' values).
# Four patterns rather than one alternation: each starts with its own
# characters, which the regex engine skips to, instead of trying all four
# at every common character (人, 个, 元 …) of the sentence.
_FIGURES_WITH_DIGITS = (
    re.compile(rf"\d[\d,.]*\s*(多|余)?\s*{_UNIT}"),
    re.compile(rf"{_UNIT}\s+\d[\d,.]*(\s+\d[\d,.]*)+\s*$"),
)
_DIGIT = re.compile(r"\d")
# two numerals at least: 一起 / 一次性 / 五个方面 are words, not counts
_CHINESE_COUNT = re.compile(rf"[一二两三四五六七八九十百千万亿]{{2,}}[余多]?{_UNIT}")
_CHANGE = re.compile(r"同比(增长|下降|提升|减少)")
# Some patterns below start with a group or an assertion, so the regex engine
# cannot skip to their first characters and tries them at every position; a
# guard of characters that every match contains rules most sentences out
# first at a third of the cost (test_grade checks guard + pattern = pattern).
_ZERO = re.compile(r"(未|没有|无)(发生|出现|收到|接到|受到|发现)|未被(处罚|罚款|通报)"
                   r"|零(投诉|事故|事件|泄露|发生)|(0|零)\s*(起|件|次|例)")
_ZERO_GUARD = re.compile("[未没无零0]")
_TARGET = re.compile(
    r"(到|至)\s*20[2-9]\d\s*年(底|末|前)?.{0,30}(目标|力争|计划|将|实现|达到|完成|争取)"
    r"|(目标|力争|计划|争取).{0,20}(到|至|于|在)?\s*20[2-9]\d\s*年"
    r"|20[2-9]\d\s*年(前|底前|末前)")
_TARGET_GUARD = "20"  # in every alternative
_MEASURE = re.compile(
    r"建立|建设|构建|制定|修订|完善|健全|出台|印发|发布了|上线|部署|搭建|设立|成立|组建|开展|举办|"
    r"组织|实施|落实|推出|推行|开发|研发|引入|采用|通过了|获得|取得|配备|设置|开通|打造|形成|"
    r"加强|强化|升级|优化|落地|执行|签署|加入|投放|发放|提供|累计|拦截|识别|处理|办结|受理|"
    r"培训|认证|审计|检查|排查|评估|监测|应用|设有|配置|覆盖|纳入|签订|协助|配合|联合|依托|"
    r"使用|运用|完成")
_GAP = re.compile(
    r"(尚未|暂未|未能|仍未|还未|尚无|暂无|没有)(建立|制定|设立|开展|实现|披露|形成|出台|成立|开通|"
    r"纳入|覆盖|配备|完成|统计)|缺乏|缺少|有待(建立|完善|加强)")
_GAP_GUARD = re.compile("[未无没缺待]")
# 应 not after 反适供效响对 (反应, 适应 …), its lookbehind placed after the 应 so
# that every alternative starts with a literal the engine can skip to
_NORMATIVE = re.compile(
    r"应当|应该|应(?<![反适供效响对]应)(?![用对急])|必须|需要|须|要求|鼓励|引导|督促")
_SHORT_NAME = re.compile(
    r"[(（]\s*(?:以下)?简称\s*[:：]?\s*[“\"'「『]([^”\"'」』]{2,12})[”\"'」』]")
DEFAULT_SUBJECTS = ("本公司", "公司", "本行", "我行", "本集团", "集团", "我们", "我司", "本平台")


def own_names(norm: str) -> tuple[str, ...]:
    """Short names a report gives itself: …有限公司（以下简称“汇信消金”）."""
    return tuple(sorted(set(_SHORT_NAME.findall(norm))))


def is_gap(norm: str) -> bool:
    """A sentence that says something is *not* in place."""
    return bool(_GAP_GUARD.search(norm) and _GAP.search(norm))


def has_figure(norm: str) -> bool:
    """A quantity, or a zero stated in words (未发生, 零投诉)."""
    if _DIGIT.search(norm) and any(p.search(norm) for p in _FIGURES_WITH_DIGITS):
        return True
    return bool(_CHINESE_COUNT.search(norm) or ("同比" in norm and _CHANGE.search(norm))
                or (_ZERO_GUARD.search(norm) and _ZERO.search(norm)))


def grade(norm: str, subjects: Sequence[str] = DEFAULT_SUBJECTS,
          figure: bool | None = None) -> Strength:
    """How strong a piece of evidence is, from its own sentence.

    `figure`: has_figure(norm) when the caller already knows it.
    """
    if _NORMATIVE.search(norm) and not any(s in norm for s in subjects):
        return "statement"
    if _TARGET_GUARD in norm and _TARGET.search(norm):
        return "target"
    if has_figure(norm) if figure is None else figure:
        return "performance"
    if _MEASURE.search(norm):
        return "measure"
    return "statement"
