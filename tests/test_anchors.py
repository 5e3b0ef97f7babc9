"""Regex anchors: every match of the regex contains one of them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csrscan.match.anchors import regex_anchors, regex_guards
from csrscan.match.sentences import compile_pack
from csrscan.packs.select import select_pack
from csrscan.text.normalize import normalize_term


@pytest.mark.parametrize(("pattern", "anchors"), [
    ("(投诉|客诉|客户申诉)[^。;]{0,12}(制度|机制)", {"投诉", "客诉", "客户申诉"}),
    ("95\\d{3,4}.{0,30}投诉|投诉.{0,30}95\\d{3,4}", {"95", "投诉"}),
    ("(?<![\\d.])(3|三)\\s*15", {"15"}),
    ("[五六七八]进", {"进"}),
    ("iso\\s*14001", {"iso"}),
    ("a?b", {"b"}),
])
def test_anchors(pattern: str, anchors: set[str]) -> None:
    assert regex_anchors(pattern) == anchors


@pytest.mark.parametrize("pattern", ["x*", "(?i)abc", "\\d+", "a|\\d", "[abc]{2}", "(x"])
def test_no_anchor_when_none_can_be_proven(pattern: str) -> None:
    assert regex_anchors(pattern) is None


SAMPLES = Path(__file__).resolve().parent.parent / "samples"
PACK_REGEXES = [rx.pattern for _, rx in compile_pack(select_pack(None)).regexes]


def test_every_builtin_rule_regex_is_anchored() -> None:
    assert PACK_REGEXES and all(regex_anchors(p) for p in PACK_REGEXES)


def _matching_text(data: st.DataObject) -> tuple[str, str]:
    """A pack regex and a text it matches: every example asserts something."""
    pattern = data.draw(st.sampled_from(PACK_REGEXES))
    text = data.draw(st.from_regex(pattern))
    assert re.search(pattern, text)
    return pattern, text


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_match_always_contains_an_anchor(data: st.DataObject) -> None:
    pattern, text = _matching_text(data)
    anchors = regex_anchors(pattern)
    assert anchors is not None
    assert any(a in text for a in anchors)


def test_anchors_hold_on_every_example_and_sample_sentence() -> None:
    from pathlib import Path

    from csrscan.text.normalize import normalize_term

    pack = select_pack(None)
    root = Path(__file__).resolve().parent.parent / "samples"
    texts = [normalize_term(t) for i in pack.indicators
             for t in (*i.examples_pass, *i.examples_fail)]
    for name in ("src/huixin_consumer_finance_2024.md", "draft_thin.md", "tw_bank_report.txt"):
        texts += normalize_term((root / name).read_text(encoding="utf-8")).split("\n")
    matched = 0
    for pattern in PACK_REGEXES:
        anchors = regex_anchors(pattern) or frozenset()
        for text in texts:
            if re.search(pattern, text):
                matched += 1
                assert any(a in text for a in anchors), (pattern, text)
    assert matched > 50


def guard_holds(guard: tuple[tuple[frozenset[str], ...], ...], text: str) -> bool:
    return any(all(any(s in text for s in need) for need in alt) for alt in guard)


@pytest.mark.parametrize(("pattern", "guard"), [
    ("(投诉|客诉)[^。;]{0,15}(制度|机制)", (({"投诉", "客诉"}, {"制度", "机制"}),)),
    ("95\\d{3,4}.{0,30}投诉|投诉.{0,30}95", (({"95"}, {"投诉"}), ({"投诉"}, {"95"}))),
    ("iso\\s*14001", (({"iso"}, {"14001"}),)),
    ("a?bc+d", (({"b"}, {"c"}, {"d"}),)),
])
def test_guards(pattern: str, guard: tuple[tuple[set[str], ...], ...]) -> None:
    assert regex_guards(pattern) == guard


@pytest.mark.parametrize("pattern", ["x*", "(?i)abc", "a|\\d", "(x"])
def test_no_guard_when_an_alternative_needs_no_literal(pattern: str) -> None:
    assert regex_guards(pattern) is None


def test_case_folded_groups_prove_no_literal() -> None:
    assert regex_anchors("(?i:abc)x") == {"x"}
    assert regex_guards("(?i:abc)x") == (({"x"},),)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_match_always_meets_the_guard(data: st.DataObject) -> None:
    pattern, text = _matching_text(data)
    guard = regex_guards(pattern)
    assert guard is not None
    assert guard_holds(guard, text)


def test_guards_hold_on_every_example_and_sample_sentence() -> None:
    texts = [normalize_term(t) for i in select_pack(None).indicators
             for t in (*i.examples_pass, *i.examples_fail)]
    for name in ("src/huixin_consumer_finance_2024.md", "draft_thin.md", "tw_bank_report.txt"):
        texts += normalize_term((SAMPLES / name).read_text(encoding="utf-8")).split("\n")
    matched = 0
    for pattern in PACK_REGEXES:
        guard = regex_guards(pattern) or ()
        for text in texts:
            if re.search(pattern, text):
                matched += 1
                assert guard_holds(guard, text), (pattern, text)
    assert matched > 50
