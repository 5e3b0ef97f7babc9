from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from csrscan.models import Document, Page
from csrscan.packs.select import select_pack
from csrscan.text.normalize import document_to_normpages
from csrscan.text.segment import (
    context_of,
    index_marker,
    normpages_to_sentences,
    tokenizer,
    tokens,
)


def sentences(text: str):  # type: ignore[no-untyped-def]
    d = Document(path="x", format="txt", sha256="0", pages=(Page(1, text),))
    return normpages_to_sentences(document_to_normpages(d))


def test_splits_on_chinese_and_ascii_punctuation_with_lines() -> None:
    out = sentences("第一句话。第二句话！\n\nThird one? 第四句；\n第五句")
    assert [s.text for s in out] == ["第一句话。", "第二句话！", "Third one?", "第四句；", "第五句"]
    assert [s.line for s in out] == [1, 1, 3, 3, 4]


def test_closing_quotes_stay_with_their_sentence() -> None:
    out = sentences("他说：“我们做到了。”然后离开。")
    assert out[0].text == "他说：“我们做到了。”"


def test_contexts() -> None:
    assert context_of("数据安全与个人信息保护 .......... 12") == "toc"
    index = index_marker(select_pack(None).grading.index)  # the pack's index markers
    assert context_of("GRI 418-1 客户隐私 第23页", index) == "index"
    assert context_of("GRI 418-1 客户隐私 第23页") == "body"  # a pack without markers
    assert context_of("三、数据安全") == "heading"
    assert context_of("公司建立了数据安全管理制度。") == "body"


def test_private_tokenizer_knows_pack_terms_and_leaves_global_alone() -> None:
    engine = tokenizer(("反催收",))
    assert ("反催收", 2, 5) in tokens(engine, "打击反催收行为")
    plain = tokenizer(())
    assert "反催收" not in [w for w, _, _ in tokens(plain, "打击反催收行为")]


def test_overlong_runs_are_cut() -> None:
    out = sentences("，".join(["指标数值12"] * 200))
    assert all(len(s.text) <= 400 for s in out)
    assert len(out) > 1


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=500))
def test_segment_never_crashes_and_locations_are_valid(text: str) -> None:
    n_lines = text.count("\n") + 1
    for s in sentences(text):
        assert s.page == 1
        assert 1 <= s.line <= n_lines
        assert s.text.strip() == s.text and s.text
        assert len(s.text) == len(s.norm)
