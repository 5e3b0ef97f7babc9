"""A text over PARTS_FROM_BYTES (8 MiB): decoded in pieces, never whole.

UTF-8 throughout (the usual case) is decoded piece by piece. Any other text
is judged on its head, HEAD_BYTES, as charset detection is: the encoding
its head reads as decodes the whole file in pieces, and a guessed encoding
must give plausible Chinese over the whole text too, judged piece by piece
(decode's check). If the head is no judge (too little Chinese in it, a bad
byte), the rest does not decode as the head does, or the whole text is not
the Chinese its head is, the file is judged whole as a small one is, with
the same verdict and byte offset. Judging a 64 MiB GB18030 text whole took
63 s and 3 GB (its Han characters listed one by one); in pieces 40 s and
244 MiB.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable

from csrscan.errors import EncodingError
from csrscan.ingest.decode import bom_of, decode_checked
from csrscan.ingest.options import sha256_hex
from csrscan.ingest.quality import GOOD_SHARE, common_han_share
from csrscan.ingest.text_parts import (
    cut_parts,
    decoded_pieces,
    split_text,
    steady_heap,
    text_pages,
)
from csrscan.models import Document

HEAD_BYTES = 2 * 2**20  # a huge text's encoding is judged on this much of its start


def read_huge(data: bytes, name: str, override: str | None, fmt: str,
              clean: Callable[[str, bool], str]) -> Document:
    """The file as parts that all are page 1 (text_parts.py), each given to
    `clean` (told whether it is the first); `override`: --encoding."""
    steady_heap()
    got = _in_pieces(data, name, override)
    if got is None:  # judged whole, as a small file is
        whole = decode_checked(data, name, override)
        got = whole.encoding, whole.warnings, split_text(whole.text)
        del whole  # its pieces alone: the text is not held twice
    encoding, warnings, pieces = got
    return Document(path=name, format=fmt, sha256=sha256_hex(data),
                    pages=text_pages(cut_parts(pieces), clean), encoding=encoding,
                    warnings=warnings)


Pieces = tuple[str, tuple[str, ...], list[str]]  # encoding, warnings, the text in pieces


def _in_pieces(data: bytes, name: str, override: str | None) -> Pieces | None:
    """The text in pieces, or None: judge it whole."""
    utf8 = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
    if not override:
        pieces = decoded_pieces(data, utf8)
        if pieces is not None:
            return utf8, (), pieces
    try:
        head = decode_checked(data[:HEAD_BYTES], name, override, head=True)
    except EncodingError:
        return None  # too little Chinese in the head, or a bad byte: the whole says which
    marked = None if override else bom_of(data)
    skip = len(marked[0]) if marked and head.encoding != "utf-8-sig" else 0
    pieces = decoded_pieces(data, head.encoding, skip)
    if pieces is None:
        return None
    guessed = not (override or marked)
    if guessed and not _plausible(pieces):
        return None
    return head.encoding, head.warnings, pieces


def _plausible(pieces: list[str]) -> bool:
    """decode's check of a guess, over the whole text piece by piece: no Han
    characters, or a common-Han share of at least GOOD_SHARE."""
    n_han, common = 0, 0.0
    for piece in pieces:
        n, share = common_han_share(piece)
        n_han += n
        common += n * share
    return not n_han or common / n_han >= GOOD_SHARE
