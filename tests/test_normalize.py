from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from csrscan.models import Document, Page
from csrscan.text.normalize import (
    document_to_normpages,
    fold_width,
    script_of,
    to_simplified,
)


def doc(*pages: str, fmt: str = "txt") -> Document:
    return Document(path="x", format=fmt, sha256="0",
                    pages=tuple(Page(i + 1, t) for i, t in enumerate(pages)))


def test_full_width_folds_to_ascii() -> None:
    assert fold_width("ＩＳＯ　２７００１：１２％") == "ISO 27001:12%"


def test_traditional_becomes_simplified_with_equal_length() -> None:
    text = "資訊安全與個人資料保護，洗錢防制。"
    out = to_simplified(text)
    assert out == "资讯安全与个人资料保护，洗钱防制。"
    assert len(out) == len(text)


def test_norm_and_orig_stay_aligned_and_quote_original_words() -> None:
    [page] = document_to_normpages(doc("本行設立資訊安全委員會。\n"))
    assert len(page.orig) == len(page.norm)
    start = page.norm.index("资讯安全")
    assert page.orig[start:start + 4] == "資訊安全"


def test_wrapped_cjk_lines_join_and_paragraph_breaks_stay() -> None:
    text = ("公司建立了完善的数据安全管理制度并持续开展个人信\n"
            "息保护工作，确保客户信息安全可控。\n"
            "\n"
            "第二段。")
    [page] = document_to_normpages(doc(text))
    assert "个人信息保护" in page.norm
    assert "\n第二段" in page.norm
    # the joined word's second half still maps to its own source line
    assert page.line_numbers == (1, 2, 3, 4)


def test_short_lines_are_not_joined() -> None:
    [page] = document_to_normpages(doc("一、数据安全\n公司建立了数据安全管理制度，并持续完善。"))
    assert "数据安全\n公司" in page.norm


def test_letter_spaced_han_is_closed_up() -> None:
    [page] = document_to_normpages(doc("数 据 安 全 管 理"))
    assert page.norm == "数据安全管理"
    assert page.orig == "数据安全管理"


def test_running_headers_footers_and_page_numbers_are_dropped() -> None:
    bodies = ["正文内容，数据安全。", "正文内容，投诉处理。", "正文内容，绿色金融。",
              "正文内容，普惠金融。", "正文内容，反洗钱。"]
    pages = [f"某某银行2024年社会责任报告\n{b}\n- {i} -" for i, b in enumerate(bodies, 1)]
    normed = document_to_normpages(doc(*pages, fmt="pdf"))
    for p in normed:
        assert "社会责任报告" not in p.norm
        assert "- " not in p.norm
        assert "正文内容" in p.norm


def test_web_noise_lines_are_dropped() -> None:
    text = "分享到：微信 微博\n公司建立了数据安全制度。\n责任编辑：张三"
    [page] = document_to_normpages(doc(text))
    assert page.norm == "公司建立了数据安全制度。"


def test_script_detection() -> None:
    assert script_of(document_to_normpages(doc("本行設立資訊安全委員會，加強個人資料保護。"))) \
        == "traditional"
    assert script_of(document_to_normpages(doc("本行设立信息安全委员会。"))) == "simplified"


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(max_size=200), min_size=1, max_size=4), st.sampled_from(["txt", "pdf"]))
def test_normalize_never_crashes_and_keeps_locations_valid(pages: list[str], fmt: str) -> None:
    d = doc(*pages, fmt=fmt)
    for page, src in zip(document_to_normpages(d), d.pages, strict=True):
        assert len(page.orig) == len(page.norm)
        assert len(page.line_starts) == len(page.line_numbers)
        assert list(page.line_starts) == sorted(page.line_starts)
        n_lines = src.text.count("\n") + 1
        assert all(1 <= n <= n_lines for n in page.line_numbers)


def test_sentence_cut_by_a_page_break_is_carried_back() -> None:
    pages = ["第一页开头。公司升级乡村振兴公益服务体系，依托业务",
             "联动打通公益慈善渠道。第二页的下一句。\n新段落。"]
    first, second = document_to_normpages(doc(*pages, fmt="pdf"))
    assert first.norm.endswith("依托业务联动打通公益慈善渠道。")
    assert second.norm == "第二页的下一句。\n新段落。"
    assert second.line_numbers == (1, 2) and second.line_starts[0] == 0


def test_page_break_after_a_full_sentence_is_left_alone() -> None:
    first, second = document_to_normpages(doc("完整的一句。", "下一页。", fmt="pdf"))
    assert (first.norm, second.norm) == ("完整的一句。", "下一页。")


def test_a_title_at_a_page_end_is_not_joined_to_the_next_page() -> None:
    pages = doc("某某消金社会责任报告", "本公司制定制度。", fmt="pdf")
    first, second = document_to_normpages(pages)
    assert (first.norm, second.norm) == ("某某消金社会责任报告", "本公司制定制度。")


def test_a_short_fragment_inside_a_running_paragraph_is_joined() -> None:
    text = ("本行全年新增发卡六点三一万张，其中面向新市民群体发卡三点六七万张，累计\n"
            "发\n"
            "卡九点二万张，服务覆盖全部县域网点和乡镇服务站点。\n"
            "二、下一节")
    [page] = document_to_normpages(doc(text))
    assert "累计发卡九点二万张" in page.norm
    assert "\n二、下一节" in page.norm
