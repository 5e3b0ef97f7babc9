"""Text-quality measures shared by the readers: is this text real Chinese?

The key signal is the share of Han characters that are *common*: after
converting traditional to simplified (OpenCC t2s), the share of Han
characters that are in GB2312 level 1 (the 3,755 most frequent).  Real
report text scores ~0.95-1.0; text from a broken font mapping or a wrong
codec scores ~0.1-0.3, because such text is spread over all ~21k CJK code
points.  Short texts (few Han characters) are not judged.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from csrscan import regexcache

MIN_HAN = 20            # below this many Han chars the share is noise
GOOD_SHARE = 0.6        # common-Han share below this = garbage
MAX_BAD_SHARE = 0.05    # share of control/PUA/U+FFFD chars tolerated
# The common-Han share is estimated from every k-th character of a long page:
# real text scores ~0.95 and mojibake ~0.2, far apart for a sample this size.
SHARE_SAMPLE = 500

_CID = regexcache.compile(r"\(cid:\d+\)")
_HAN_CLASS = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
_HAN = regexcache.compile(_HAN_CLASS)
# runs of them: a text's Han characters as a few strings, not one object each
# (33 million of those took 3 GB)
_HAN_RUNS = regexcache.compile(_HAN_CLASS + "+")
_BAD = regexcache.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
# Private-use code points: icon fonts use a few (bullets), broken fonts many.
_PUA = regexcache.compile(r"[\ue000-\uf8ff]")
MAX_PUA_SHARE = 0.3
# Same Han char 3+ times in a row: a font that maps many glyphs to one code.
_RUN = regexcache.compile(r"([\u4e00-\u9fff])\1{2,}")
# Characters some consumers treat as line breaks (str.splitlines) and
# other control characters: replaced by a space so that only '\n' ends a
# line and line numbers agree with `grep -n` and editors.
_ODD_BREAK = regexcache.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x85\u2028\u2029]")


@dataclass(frozen=True, slots=True)
class Verdict:
    ok: bool
    reason: str = ""


@cache
def common_han() -> frozenset[str]:
    """GB2312 level 1: rows 16-55 (lead bytes 0xB0-0xD7)."""
    chars = set()
    for hi in range(0xB0, 0xD8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                continue  # row 55 ends early
    return frozenset(chars)


@cache
def _drop_common() -> dict[int, None]:
    """A str.translate table deleting the common Han characters."""
    return dict.fromkeys(map(ord, common_han()))


def _common_count(han: str) -> int:
    # translate runs in C: 6× faster than testing each character in Python
    return len(han) - len(han.translate(_drop_common()))


def common_han_share(text: str) -> tuple[int, float]:
    """(number of Han chars, share of them that are common after t2s)."""
    han = "".join(_HAN_RUNS.findall(text))
    if not han:
        return 0, 1.0
    share = _common_count(han) / len(han)
    if share < 0.9:
        # Traditional text is not garbage: convert and count again.
        simplified = "".join(_HAN_RUNS.findall(_t2s(han)))
        if simplified:
            share = max(share, _common_count(simplified) / len(simplified))
    return len(han), share


def raw_common_share(text: str) -> float:
    """Share of common Han chars *without* t2s (simplified text scores higher)."""
    han = "".join(_HAN_RUNS.findall(text))
    return _common_count(han) / len(han) if han else 0.0


def han_count(text: str) -> int:
    return sum(map(len, _HAN_RUNS.findall(text)))


def _t2s(text: str) -> str:
    try:
        converter = _opencc_t2s()
    except ImportError:  # degrade: judge traditional text as it is
        return text
    return str(converter.convert(text))


@cache
def _opencc_t2s() -> Any:
    import opencc  # lazy: loading the dictionaries costs ~50 ms
    return opencc.OpenCC("t2s")


def judge(text: str) -> Verdict:
    """Is `text` a usable extraction (not cid tokens, controls or mojibake)?"""
    stripped = "".join(text.split())
    if not stripped:
        return Verdict(False, "no text")
    cid_chars = sum(len(m) for m in _CID.findall(stripped))
    if cid_chars > 0.1 * len(stripped):
        return Verdict(False, "unmapped glyphs (cid:N)")
    bad = len(_BAD.findall(stripped))
    if bad > max(2, MAX_BAD_SHARE * len(stripped)):
        return Verdict(False, "control characters")
    if len(_PUA.findall(stripped)) > max(2, MAX_PUA_SHARE * len(stripped)):
        return Verdict(False, "private-use characters")
    sample = stripped[::max(1, len(stripped) // SHARE_SAMPLE)]
    n_han, share = common_han_share(sample)
    if n_han < MIN_HAN and len(sample) < len(stripped):
        n_han, share = common_han_share(stripped)
    if n_han >= MIN_HAN and share < GOOD_SHARE:
        return Verdict(False, f"implausible characters (common-Han share {share:.2f})")
    return Verdict(True)


def repeated_runs(text: str) -> list[str]:
    """Runs like '佛佛佛佛' that betray many glyphs mapped to one character.

    One run of three can be real ('哈哈哈'); a longer run or several are not.
    """
    runs = [m.group(0) for m in _RUN.finditer(text)]
    return runs if len(runs) >= 2 or any(len(r) >= 4 for r in runs) else []


def sanitize(text: str) -> str:
    """CRLF/CR -> LF and stray controls -> space, keeping line count stable."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _ODD_BREAK.sub(" ", text)


def undouble_line(line: str) -> str:
    """'某某银银行行' -> '某银行' when *every* char of the line is doubled.

    Over-printed fake bold that the extractor did not merge.  Requiring the
    whole line (>= 3 pairs) to be doubled keeps real reduplication such as
    '人人' or '常常' inside normal sentences untouched.
    """
    s = line.strip()
    if len(s) < 6 or len(s) % 2:
        return line
    if s[::2] != s[1::2]:  # some pair s[2k], s[2k+1] differs
        return line
    if not _HAN.search(s):
        return line
    lead = line[: len(line) - len(line.lstrip())]
    return lead + s[::2]
