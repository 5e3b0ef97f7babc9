"""Page furniture: page numbers, running headers and footers, web-page chrome.

A PDF's pages are its own; a text file without page breaks is cut into its
printed pages at its page numbers (`printed_pages`), and then both are read
alike: a line at the top or bottom of many pages is furniture, not evidence.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from csrscan import regexcache
from csrscan.text.noise import page_marker_lines, page_number_of


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a page: its number, the text as printed and normalized."""

    number: int
    orig: str
    norm: str


_PAGE_NUMBER = regexcache.compile(
    r"^[\s\-–—_·•|]*(第\s*)?(\d{1,4}|[ivxlcIVXLC]{1,6})(\s*页)?"
    r"(\s*(/|of|共)\s*\d{1,4}\s*页?)?[\s\-–—_·•|]*$")
_WEB_NOISE = regexcache.compile(
    r"^(分享到|分享至|扫一扫|扫码|点击|阅读原文|责任编辑|编辑[:：]|来源[:：]|原标题|返回|"
    r"版权所有|免责声明|声明[:：]|关注|图片|相关阅读|相关新闻|推荐阅读|热门|举报|评论|"
    r"上一篇|下一篇|打印|收藏|微信|微博|QQ|更多)")
# everything but Han: removing it leaves a line's Han characters as one string
# (findall + join built a list of one-character strings: 70 bytes a character
# of a one-line 100 MB text)
_NOT_HAN = regexcache.compile(r"[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_DIGITS = regexcache.compile(r"\d+")


def _furniture_key(text: str) -> str:
    """Digits folded; a line with Han text keys on its Han characters alone.

    OCR garbles the Latin letters, digits and marks of a running header
    differently on each page (mo社会责任报告►►, ‘ <，社会责任报告), not its words.
    """
    han = _NOT_HAN.sub("", text)
    return han if len(han) >= FURNITURE_MIN_HAN else _DIGITS.sub("#", text.strip())


FURNITURE_MIN_HAN = 4


def printed_pages(lines: Sequence[Line]) -> list[Sequence[Line]]:
    """A text without page breaks cut into its printed pages at its page numbers.

    Without a rising chain of page numbers the text stays one page (and so has
    no furniture: furniture needs three pages).
    """
    marks = page_marker_lines([ln.norm for ln in lines])
    cuts = [0, *marks, len(lines)]
    return [lines[a:b] for a, b in pairwise(cuts)]


# a line as furniture_view shows it: not empty, no page number, not header-like,
# and its key too long to count
ANY_LONG_LINE = "\0" * 81


def furniture_view(lines: Sequence[Line]) -> list[Line]:
    """The lines as printed_pages and edge_counts see them (their normalized text
    only), long lines that can be no furniture all one string: a huge text's
    lines, light to hold at once."""
    return [Line(ln.number, "", ANY_LONG_LINE if len(ln.norm) > len(ANY_LONG_LINE)
                 and _no_furniture(ln.norm) else ln.norm) for ln in lines]


def surely_no_furniture(raw: str) -> bool:
    """A long line of a page's raw text that furniture_view would show as
    ANY_LONG_LINE, told without normalizing it: hundreds of Han characters
    (its key is them: too long to count), or hundreds of letters and hardly a
    Han one (its key is the line); a page number or a header is far shorter.
    Normalizing keeps both counts: it folds Han to Han and letters to letters."""
    if len(raw) < SURE_MIN_CHARS:
        return False
    han = len(_NOT_HAN.sub("", raw))
    return han > 2 * 80 or (han < FURNITURE_MIN_HAN and len(_NOT_LETTER.sub("", raw)) > 2 * 80)


SURE_MIN_CHARS = 2 * 80  # fewer characters cannot hold enough of either
_NOT_LETTER = re.compile(r"[^A-Za-z]+")


def _no_furniture(text: str) -> bool:
    return bool(text.strip()) and not _header_like(text) and page_number_of(text) is None \
        and len(_furniture_key(text)) > 80


def repeated_furniture(pages: Sequence[Sequence[Line]]) -> frozenset[str]:
    """Lines at the top or bottom of most pages: running headers and footers."""
    return furniture_of(edge_counts(pages), len(pages))


def edge_counts(pages: Sequence[Sequence[Line]]) -> Counter[str]:
    """On how many of these pages each top-or-bottom line occurs (digits folded).

    Header-like lines (short, no sentence punctuation) also count, under the
    key ANYWHERE + line, the pages that hold them at all: one Counter, so
    that the counts of parts of a PDF add up.
    """
    counts: Counter[str] = Counter()
    for lines in pages:
        body = [ln for ln in lines if ln.norm.strip()]
        edge = {_furniture_key(ln.norm) for ln in body[:3] + body[-3:]}
        counts.update(k for k in edge if k and len(k) <= 80)
        keys = {_furniture_key(ln.norm) for ln in body if _header_like(ln.norm)}
        counts.update(ANYWHERE + k for k in keys if k)
    return counts


ANYWHERE = "\0"
HEADER_MAX = 30    # characters of a running title
RUNNING_MAX = 20   # characters of a chapter's running header
_PUNCTUATION = regexcache.compile(r"[。，；：！？,;:!?]")


def _header_like(text: str) -> bool:
    s = text.strip()
    return len(s) <= HEADER_MAX and not _PUNCTUATION.search(s)


def furniture_of(counts: Counter[str], page_count: int) -> frozenset[str]:
    """The edge lines found on at least half the pages (and on 3 or more).

    Two more rules hold for header-like lines only (short, no sentence
    punctuation).  A running title naming the report or the company
    (某某公司2016年社会责任报告, 某某银行股份有限公司) is furniture from a
    fifth of the pages on: OCR
    garbles it on many pages, and a spread shows it once for two page
    numbers.  A chapter's running header (第三章 / 管理层讨论与分析) is on its
    chapter's pages only, but never away from a page's edge: a line found at
    an edge of a twentieth of the pages, and (nine times in ten) only ever
    there, is furniture too.
    """
    if page_count < 3:
        return frozenset()
    need, title_need = max(3, page_count // 2), max(3, page_count // 5)
    running_need = max(3, page_count // 20)
    return frozenset(k for k, n in counts.items() if not k.startswith(ANYWHERE) and (
        n >= need or (counts[ANYWHERE + k] and (
            (n >= title_need and _REPORT_TITLE.search(k))
            or (n >= running_need and len(k) <= RUNNING_MAX
                and counts[ANYWHERE + k] * 9 <= n * 10)))))


_REPORT_TITLE = regexcache.compile(r"报告|年报|report|公司$", re.IGNORECASE)


def noise_kind(line: Line, furniture: frozenset[str]) -> str | None:
    """'furniture' (page numbers, running headers/footers), 'web' (web-page chrome) or None."""
    text = line.norm.strip()
    if not text:
        return None
    if _PAGE_NUMBER.match(text) or _furniture_key(text) in furniture:
        return "furniture"
    return "web" if len(text) <= 30 and _WEB_NOISE.match(text) else None
