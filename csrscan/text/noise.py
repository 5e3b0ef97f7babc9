"""Real-input noise: invisible format characters, OCR confusions, page markers in text.

Everything here keeps a line's normalized twin aligned with the report's
own words (see normalize.py): invisible characters are cut from both twins,
OCR folds replace one character by one character in the normalized twin only,
so a quote still shows what the report printed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from csrscan import regexcache

# Unicode format characters (category Cf, Unicode 14-15: U+200B, U+202E,
# U+FEFF, the soft hyphen U+00AD …).  They draw nothing, yet split a term for
# the matcher (绿色<U+200B>金融), and U+202E even reorders what a reader of a
# quote would see.  Spelled out because scanning all code points with
# unicodedata costs 0.2 s per process; a test checks the list against it.
INVISIBLE = regexcache.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]")


def drop_invisible(text: str) -> str:
    """`text` without its Unicode format characters; newlines and spacing stay."""
    if text.isascii():
        return text
    return INVISIBLE.sub("", text)


# OCR confusions of Chinese report text, folded for matching only: the key is
# the form an OCR engine misreads, the value the character the report printed.
# Only forms that are rare in modern report prose are folded, so the fold
# never turns a correct character into a wrong one in normal text: 曰 is the
# classical "say" (not used in report prose), 囯 a folk variant, 锒 is only
# in 锒铛, 枳 the trifoliate orange, 肓 only in 膏肓, 浬 the old nautical
# mile, 幵/髙/増/倶/吿/臝 are Japanese or old glyph variants.  Confusions
# between two common characters (顶/项, 己/已, 末/未, 贵/责) are left alone:
# each is a real word in its own right, and folding it would corrupt correct
# text.  枸 (枸杞) and 遨 (遨游) are misread often but are real words too.
OCR_FOLDS: dict[str, str] = {
    "囯": "国", "曰": "日", "锒": "银", "幵": "开", "髙": "高", "枳": "积",
    "爰": "爱", "増": "增", "肓": "育", "浬": "理", "丄": "工", "屮": "中",
    "臝": "赢", "倶": "俱", "吿": "告",
}
_OCR_TABLE = str.maketrans(OCR_FOLDS)
# 〇 (U+3007, the Chinese zero) read where the report printed the digit 0:
# 2〇16, 1〇〇万元.  Only inside a run that holds an Arabic digit, so that
# 二〇一六年 stays as written.
_ZERO_RUN = regexcache.compile(r"[0-9〇]*〇[0-9〇]*")


def fold_ocr(norm: str) -> str:
    """Fold the OCR confusions of OCR_FOLDS and the 〇-for-0 digit, one char for one."""
    out = norm.translate(_OCR_TABLE)
    if "〇" in out:
        out = _ZERO_RUN.sub(_zero_digits, out)
    return out


def _zero_digits(m: re.Match[str]) -> str:
    run = m.group()
    return run.replace("〇", "0") if any(c.isascii() for c in run) else run


# A page marker in text without page breaks: a line that is only a page number
# (- 12 -, 第12页), or a short running footer with the number at one end
# (2016某某银行社会责任报告\t29, 32\t2016某某银行社会责任报告).
_BARE_NUMBER = regexcache.compile(r"^[\s\-–—_·•|]*(?:第\s*)?(\d{1,4})(?:\s*页)?[\s\-–—_·•|]*$")
_NUMBER_AT_END = regexcache.compile(r"^(?:(\d{1,3})\s+\S.{0,38}|\S.{0,38}?\s+(\d{1,3}))$")
MAX_PAGE_STEP = 10   # OCR misses numbers; spreads number every other page
MIN_PAGE_LINES = 3   # a page holds a few lines at least
MIN_MARKERS = 3
MAX_CHAINS = 8  # page numberings searched for in one text (a restart per part)


def page_number_of(text: str) -> int | None:
    """The page number a line shows, when the line looks like a page marker."""
    s = text.strip()
    m = _BARE_NUMBER.match(s) or _NUMBER_AT_END.match(s)
    if not m:
        return None
    digits = next(g for g in m.groups() if g)
    return int(digits)


def page_marker_lines(lines: Sequence[str]) -> list[int]:
    """Indexes of the lines that number the pages: the longest rising chains.

    Tables flattened to one cell per line are full of small numbers; the page
    numbers are a long chain rising by small steps.  An annual report may
    number its financial statements anew: the text before and after the
    longest chain is searched again.
    """
    values = [page_number_of(line) for line in lines]
    found: list[int] = []
    ranges = [(0, len(lines))]
    # a report numbers its pages anew a few times at most; lists numbered 1, 2, 3
    # all through a text must not make this a search per list (slow, and deep)
    for _ in range(MAX_CHAINS):
        chain: list[int] = []
        while ranges and not chain:
            lo, hi = ranges.pop()
            chain = _longest_chain(values, lo, hi)
        if not chain:
            break
        found += chain
        ranges += [(lo, chain[0]), (chain[-1] + 1, hi)]
    return sorted(found)


def _longest_chain(values: Sequence[int | None], lo: int, hi: int) -> list[int]:
    best: dict[int, tuple[int, int]] = {}   # page value -> (chain length, line index)
    back: dict[int, int] = {}               # line index -> previous line index in chain
    for i in range(lo, hi):
        value = values[i]
        if value is None:
            continue
        length, prev = 1, -1
        for step in range(1, MAX_PAGE_STEP + 1):
            got = best.get(value - step)
            if got and got[0] + 1 > length and i - got[1] >= MIN_PAGE_LINES:
                length, prev = got[0] + 1, got[1]
        if length >= best.get(value, (0, -1))[0]:
            best[value] = (length, i)
            back[i] = prev
    if not best:
        return []
    length, last = max(best.values())
    if length < MIN_MARKERS:
        return []
    chain = [last]
    while back.get(chain[-1], -1) >= 0:
        chain.append(back[chain[-1]])
    return chain[::-1]
