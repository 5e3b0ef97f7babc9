"""Plain text and Markdown: decoding without mojibake, one page per file.

Decoding order: `--encoding` override > BOM > strict UTF-8 > a declared
charset (HTML <meta>) > detection restricted to Chinese encodings.  Every
guess is checked with the common-Han share (see `ingest_quality`), because
GB18030 happily decodes Big5 bytes into plausible-looking nonsense.

A text over PARTS_FROM_BYTES is judged on its head (HEAD_BYTES, as charset
detection is), then decoded in pieces (text_parts.py): judging a 60 MB
GB18030 text whole took 63 s and 3 GB, its Han characters listed one by one.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from csrscan.errors import EncodingError, InputError
from csrscan.ingest.options import IngestOptions, Progress, sha256_hex
from csrscan.ingest.quality import GOOD_SHARE, common_han_share, raw_common_share, sanitize
from csrscan.ingest.text_parts import (
    PARTS_FROM_BYTES,
    cut_parts,
    decoded_pieces,
    split_text,
    steady_heap,
    text_pages,
)
from csrscan.models import Document, Page

# Detection candidates: Chinese encodings only (GBK/GB2312 are subsets of
# GB18030; cp950 is the Big5 that Windows actually writes).
CANDIDATES = ("utf_16_le", "utf_16_be", "gb18030", "big5", "cp950")

_GB_FAMILY = frozenset(codecs.lookup(n).name for n in ("gb2312", "gbk", "gb18030"))
HEAD_BYTES = 2 * 2**20  # a huge text's encoding is judged on this much of its start
# a forced encoding is judged on this many characters (fewer than any HEAD_BYTES decode to)
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


def read_plain(data: bytes, name: str, options: IngestOptions,
               progress: Progress | None = None) -> Document:
    """A .txt file (the registry's reader)."""
    return read_text(data, name, options, markdown=False)


def read_markdown(data: bytes, name: str, options: IngestOptions,
                  progress: Progress | None = None) -> Document:
    """A Markdown file (the registry's reader): its markup stripped, lines kept."""
    return read_text(data, name, options, markdown=True)


def read_text(data: bytes, name: str, options: IngestOptions, *,
              markdown: bool) -> Document:
    """The whole file is page 1; page line N is file line N (CRLF -> LF).

    A huge file is read in parts that all are page 1 (see text_parts)."""
    if len(data) > PARTS_FROM_BYTES:
        return _read_huge(data, name, options, markdown)
    dec = _decoded(data, name, options.encoding)
    return Document(path=name, format="md" if markdown else "txt",
                    sha256=sha256_hex(data),
                    pages=(Page(1, _cleaned(dec.text, name, markdown), "text", 1),),
                    encoding=dec.encoding, warnings=dec.warnings)


def _read_huge(data: bytes, name: str, options: IngestOptions, markdown: bool) -> Document:
    """A text over PARTS_FROM_BYTES, decoded in pieces: UTF-8 if it is UTF-8
    throughout, else the encoding its head reads as (the whole of it is
    judged only when the rest does not decode as its head does)."""
    steady_heap()
    encoding = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
    warnings: tuple[str, ...] = ()
    pieces = None if options.encoding else decoded_pieces(data, encoding)
    if pieces is None:
        head = _decoded(data[:HEAD_BYTES], name, options.encoding, head=True)
        encoding, warnings = head.encoding, head.warnings
        del head
        pieces = decoded_pieces(data, encoding, 0 if options.encoding else _bom_length(data))
    if pieces is None:  # the rest is not what the head is: judged whole, as a small file
        dec = _decoded(data, name, options.encoding)
        encoding, warnings, pieces = dec.encoding, dec.warnings, split_text(dec.text)
        del dec  # its pieces alone: the text is not held twice
    pages = text_pages(cut_parts(pieces), lambda part, first: _cleaned(part, name, markdown, first))
    return Document(path=name, format="md" if markdown else "txt", sha256=sha256_hex(data),
                    pages=pages, encoding=encoding, warnings=warnings)


def _decoded(data: bytes, name: str, override: str | None, *, head: bool = False) -> Decoded:
    """decode(), with bytes that are no text at all named as such."""
    try:
        return decode(data, name, override, head=head)
    except EncodingError:
        has_bom = any(data.startswith(bom) for bom, _ in _BOMS)
        if not (override or has_bom) and _control_share(data[:8192]) > 0.05:
            raise InputError("unknown binary format (not PDF, docx, HTML or text)",
                             path=name) from None
        raise


def _bom_length(data: bytes) -> int:
    """The bytes of a BOM that decode() skips (utf-8-sig's own codec skips it)."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return 0 if enc == "utf-8-sig" else len(bom)
    return 0


def _cleaned(text: str, name: str, markdown: bool, first: bool = True) -> str:
    """Decoded text (or one part of it) as the stages read it; the first
    characters tell a binary file."""
    if first:
        _refuse_binary(text, name)
    text = sanitize(text)
    if markdown:
        from csrscan.ingest.markdown import strip_markdown
        text = strip_markdown(text)
    return text


def decode(data: bytes, name: str, override: str | None = None,
           declared: str | None = None, *, head: bool = False) -> Decoded:
    """Bytes -> str, or `EncodingError` naming the offending byte offset.

    `head`: `data` is the start of a longer text, whose last character may be
    cut (it is left out of the text)."""
    if override:
        return _decode_as(data, name, override, head)
    for bom, enc in _BOMS:
        if data.startswith(bom):
            skip = 0 if enc == "utf-8-sig" else len(bom)
            text = _strict(data[skip:], enc, name, offset=skip, head=head)
            return Decoded(text, enc)
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
    if enc == "utf-8" and data.startswith(codecs.BOM_UTF8):
        enc = "utf-8-sig"
    text = _strict(data, enc, name, offset=0, head=head)
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
    hint = f"; without --encoding it reads as {better}" if better and better != enc else ""
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
    try:
        codecs.lookup(name)
    except LookupError:
        return False
    return True


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


def _refuse_binary(text: str, name: str) -> None:
    """Text full of NULs or control characters is a binary file we do not know."""
    sample = text[:65536]
    odd = sum(1 for ch in sample if ch < "\x20" and ch not in "\t\n\r\x0c\x1a")
    odd += sample.count("\ufffd")
    if odd > max(8, 0.01 * len(sample)):
        raise InputError("binary data, not text (unknown file format)", path=name)
