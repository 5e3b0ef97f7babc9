"""The grading guards and the reordered normative pattern change no verdict."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from csrscan.score import grade as g
from csrscan.text.normalize import normalize_term

# _NORMATIVE as first written: the lookbehind before the 应
NORMATIVE_BEFORE = re.compile(
    r"应当|应该|(?<![反适供效响对])应(?![用对急])|必须|需要|须|要求|鼓励|引导|督促")
ALPHABET = ("应当该反适供效响对用急必须需要求鼓励引导督促未没有无发生零投诉0起件次例被处罚"
            "尚暂能仍还缺乏少待建立完善加强到至2025年底目标计划将实现 公司。1")
ROOT = Path(__file__).resolve().parent.parent / "samples"


def verdicts(text: str) -> tuple[bool, ...]:
    return (bool(g._NORMATIVE.search(text)) == bool(NORMATIVE_BEFORE.search(text)),
            bool(g._GAP_GUARD.search(text) and g._GAP.search(text))
            == bool(g._GAP.search(text)),
            bool(g._ZERO_GUARD.search(text) and g._ZERO.search(text))
            == bool(g._ZERO.search(text)),
            (g._TARGET_GUARD in text and bool(g._TARGET.search(text)))
            == bool(g._TARGET.search(text)))


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=30))
def test_guards_and_reordering_agree_on_random_text(text: str) -> None:
    assert all(verdicts(text))


def test_guards_and_reordering_agree_on_sample_sentences() -> None:
    texts = ["反应", "适应当", "应用", "应急", "应对", "响应", "效应应", "应", "未发生", "零投诉",
             "0 起", "尚无统计", "有待完善", "到2025年实现", "2030年前"]
    for name in ("src/huixin_consumer_finance_2024.md", "draft_thin.md", "tw_bank_report.txt"):
        texts += normalize_term((ROOT / name).read_text(encoding="utf-8")).split("\n")
    assert all(all(verdicts(t)) for t in texts)
