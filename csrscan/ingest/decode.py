"""Bytes of a text file -> str, without mojibake.

Decoding order: `--encoding` override > BOM > strict UTF-8 > a declared
charset (HTML <meta>) > detection restricted to Chinese encodings.  Every
guess is checked with the common-Han share (see `ingest_quality`), because
GB18030 happily decodes Big5 bytes into plausible-looking nonsense.
`head=True` judges the start of a longer text (text_huge.py).
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from csrscan.errors import EncodingError, InputError
from csrscan.ingest.quality import GOOD_SHARE, common_han_share, raw_common_share

# Detection candidates: Chinese encodings only (GBK/GB2312 are subsets of
# GB18030; cp950 is the Big5 that Windows actually writes).
CANDIDATES = ("utf_16_le", "utf_16_be", "gb18030", "big5", "cp950")

_GB_FAMILY = frozenset(codecs.lookup(n).name for n in ("gb2312", "gbk", "gb18030"))
# a forced encoding is judged on this many characters (fewer than the head of a
# huge text, text_huge.HEAD_BYTES, decodes to in any encoding)
FORCED_SAMPLE = 200_000

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


def decode_checked(data: bytes, name: str, override: str | None, *, head: bool = False
                   ) -> Decoded:
    """decode(), with bytes that are no text at all named as such."""
    try:
        return decode(data, name, override, head=head)
    except EncodingError:
        if not (override or bom_of(data)) and _control_share(data[:8192]) > 0.05:
            raise InputError("unknown binary format (not PDF, docx, HTML or text)",
                             path=name) from None
        raise


def bom_of(data: bytes) -> tuple[bytes, str] | None:
    """The BOM `data` starts with and the encoding it means, if any."""
    return next(((bom, enc) for bom, enc in _BOMS if data.startswith(bom)), None)


def decode(data: bytes, name: str, override: str | None = None,
           declared: str | None = None, *, head: bool = False) -> Decoded:
    """Bytes -> str, or `EncodingError` naming the offending byte offset.

    `head`: `data` is the start of a longer text, whose last character may be
    cut (it is left out of the text)."""
    if override:
        return _decode_as(data, name, override, head)
    marked = bom_of(data)
    if marked:  # the text after the BOM (utf-8-sig is utf-8 after it), offsets the file's
        bom, enc = marked
        plain = "utf-8" if enc == "utf-8-sig" else enc
        return Decoded(_strict(data[len(bom):], plain, name, offset=len(bom), head=head), enc)
    try:
        return Decoded(_as_text(data, "utf-8", head), "utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if declared and _known_codec(declared):
        # Pages labelled gb2312/gbk routinely use characters beyond it.
        enc = "gb18030" if codecs.lookup(declared).name in _GB_FAMILY else declared
        got = _try_guess(data, enc, note=False, head=head)
        if got is not None:
            return got
    return _detect(data, name, utf8_error, head)


def _as_text(data: bytes, enc: str, head: bool) -> str:
    """data.decode(enc), strictly; of a head, a last character cut short is left out."""
    if not head:
        return data.decode(enc)
    return str(codecs.getincrementaldecoder(enc)("strict").decode(data, final=False))


def _decode_as(data: bytes, name: str, encoding: str, head: bool = False) -> Decoded:
    if not _known_codec(encoding):
        raise InputError(f"unknown encoding '{encoding}' (--encoding)", path=name)
    enc = codecs.lookup(encoding).name
    sig = enc in ("utf-8", "utf-8-sig") and data.startswith(codecs.BOM_UTF8)
    if sig:  # as decode() reads a BOM: utf-8 after it, offsets the file's
        enc = "utf-8-sig"
    skip = len(codecs.BOM_UTF8) if sig else 0
    text = _strict(data[skip:], "utf-8" if sig else enc, name, offset=skip, head=head)
    return Decoded(text, enc, _implausible(text, data, name, enc, head))


def _implausible(text: str, data: bytes, name: str, enc: str,
                 head: bool = False) -> tuple[str, ...]:
    """A warning when a forced encoding gives Han characters that are mostly rare
    ones: UTF-8 read as UTF-16 is all CJK-looking mojibake, and a report we
    misread must not pass for one that discloses nothing."""
    n_han, share = common_han_share(text[:FORCED_SAMPLE])
    if n_han < 20 or share >= GOOD_SHARE:
        return ()
    try:
        better = decode(data, name, head=head).encoding
    except InputError:
        better = None
    # (of a huge text, what its start reads as: docs/ingest.md)
    reads = "its start reads" if head else "it reads"
    hint = f"; without --encoding {reads} as {better}" if better and better != enc else ""
    return (f"--encoding {enc} gives implausible Chinese (only {share:.0%} of its Han "
            f"characters are common ones): topics may show as missing{hint}",)


def _strict(data: bytes, enc: str, name: str, *, offset: int, head: bool = False) -> str:
    try:
        return _as_text(data, enc, head)
    except UnicodeDecodeError as exc:
        pos = offset + exc.start
        bad = data[exc.start:exc.start + 2].hex(" ")
        raise EncodingError(f"invalid {enc} bytes at offset {pos} ({bad})",
                            path=name) from None


def _known_codec(name: str) -> bool:
    """A codec of text (base64 or rot13 are codecs, not encodings of a text file)."""
    try:
        info = codecs.lookup(name)
    except LookupError:
        return False
    return bool(getattr(info, "_is_text_encoding", True))


def _try_guess(data: bytes, enc: str, *, note: bool = True, head: bool = False
               ) -> Decoded | None:
    """Decode strictly with `enc` and accept only plausible Chinese."""
    try:
        text = _as_text(data, enc, head)
    except (UnicodeDecodeError, LookupError):
        return None
    n_han, share = common_han_share(text)
    if n_han and share < GOOD_SHARE:
        return None
    canon = codecs.lookup(enc).name
    if not note:
        return Decoded(text, canon)
    warning = (f"encoding guessed as {canon} (no BOM, not UTF-8); "
               "pass --encoding if the text looks wrong")
    return Decoded(text, canon, (warning,))


def _detect(data: bytes, name: str, utf8_error: UnicodeDecodeError, head: bool = False
            ) -> Decoded:
    """charset-normalizer ranks the candidates; our Han check has the veto.

    Score: common-Han share after t2s, then before t2s (simplified text read
    as GB18030 beats the same bytes read as Big5 on tiny inputs), then rank.
    """
    ranked = _normalizer_rank(data)
    ranked += [c for c in CANDIDATES if c not in ranked]
    scored: list[tuple[float, float, int, str]] = []
    for i, enc in enumerate(ranked):
        try:
            text = _as_text(data, enc, head)
        except (UnicodeDecodeError, LookupError):
            continue
        n_han, share = common_han_share(text)
        if n_han == 0 and enc.startswith("utf_16"):
            continue  # bytes that pair up into non-Han UTF-16 are not text
        scored.append((share if n_han else 0.0, raw_common_share(text), -i, enc))
    where = (f"first non-UTF-8 byte 0x{data[utf8_error.start]:02x} at offset "
             f"{utf8_error.start}")
    if not scored:
        raise EncodingError(f"cannot decode: not UTF-8, GB18030, Big5 or UTF-16 ({where}); "
                            "pass --encoding", path=name)
    share, _, _, enc = max(scored)
    guess = _try_guess(data, enc, head=head) if share >= GOOD_SHARE else None
    if guess is None:
        raise EncodingError(
            f"no Chinese encoding gives readable text (best: {codecs.lookup(enc).name}, "
            f"common-Han share {share:.2f}; {where}); pass --encoding", path=name)
    return guess


def _normalizer_rank(data: bytes) -> list[str]:
    try:
        from charset_normalizer import from_bytes
    except ImportError:
        return []
    sample = data[: 2 * 2**20]  # detection on the first 2 MiB is plenty
    try:
        results = from_bytes(sample, cp_isolation=list(CANDIDATES))
    except Exception:  # detection is advisory only
        return []
    return [m.encoding for m in results]


def _control_share(data: bytes) -> float:
    odd = sum(1 for b in data if b < 0x20 and b not in (0x09, 0x0A, 0x0C, 0x0D, 0x1A))
    return odd / max(1, len(data))
