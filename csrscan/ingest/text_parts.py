"""A huge text read in bounded parts, so memory stays a small multiple of the file.

A text file is one page (see text.py). Above PARTS_FROM_BYTES, far beyond any
real report (a 300-page annual report is a few MB of text), it becomes parts
of at most PART_CHARS characters that all keep page number 1: each is
normalized, segmented and matched on its own, so no stage ever holds a copy of
the whole text, whatever its line lengths (a 100 MB text on one line). A part
ends after a line break where one is near its end, else after a sentence's end,
else after a space, else at PART_CHARS; its `first_line` keeps evidence line
numbers those of the file.

The text is decoded a megabyte at a time (`decoded_pieces`) and the whole text
never exists as one string, in UTF-8 (the usual case) as in any other encoding
(text.py judges a huge text's encoding on its head).
"""

from __future__ import annotations

import codecs
import contextlib
import re
import sys
from collections.abc import Callable, Iterator

from csrscan.models import Page

PARTS_FROM_BYTES = 8 * 2**20
PART_CHARS = 2**20
_READ_BYTES = 2**20  # bytes decoded at a time
_CUT_FROM = PART_CHARS // 2  # a part is never cut shorter than this (but the last)
_SENTENCE_END = re.compile(r"[。！？!?；;][”’」』)）\"']*")
_SPACES = " \t\u3000"


def steady_heap() -> None:
    """Keep glibc's mmap threshold at its 128 KiB default for the rest of the process.

    glibc raises it after each large free, up to 32 MiB: a part's few-MiB
    strings then come from the heap, where the small quotes kept as evidence
    settle in their holes, and the next part's strings need new heap (a 20 MB
    text with no punctuation: 165 -> 144 MB peak). Set explicitly, it stays.
    """
    if sys.platform != "linux":
        return
    import ctypes

    # not glibc (musl has no mallopt): nothing to keep
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).mallopt(_M_MMAP_THRESHOLD, 128 * 1024)


_M_MMAP_THRESHOLD = -3  # glibc's malloc.h


def decoded_pieces(data: bytes, encoding: str, start: int = 0) -> list[str] | None:
    """`data[start:]` decoded strictly as `encoding` in pieces of at most
    _READ_BYTES characters, for cut_parts; None when it does not decode (the
    caller then decodes it whole, which names the offending byte)."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    texts: list[str] = []
    view = memoryview(data)
    try:
        for at in range(start, len(data), _READ_BYTES):
            texts.append(decoder.decode(view[at:at + _READ_BYTES],
                                        final=at + _READ_BYTES >= len(data)))
    except UnicodeDecodeError:
        return None
    finally:
        view.release()
    return texts


def cut_parts(texts: list[str]) -> Iterator[str]:
    """The concatenation of `texts` as parts of at most PART_CHARS characters;
    `texts` is emptied as it is read, so its pieces are freed as parts form."""
    texts.reverse()  # popped from the end, in order
    buffer = ""
    while texts or buffer:
        while texts and len(buffer) < PART_CHARS:
            buffer += texts.pop()
        if len(buffer) <= PART_CHARS and not texts:
            if buffer:
                yield buffer
            return
        cut = part_end(buffer)
        yield buffer[:cut]
        buffer = buffer[cut:]


def split_text(text: str) -> list[str]:
    """A whole decoded text (an encoding other than UTF-8) in pieces for cut_parts:
    the caller drops the text, so it and its parts are never held at once."""
    return [text[at:at + _READ_BYTES] for at in range(0, len(text), _READ_BYTES)]


def part_end(buffer: str) -> int:
    """Where the part starting `buffer` ends: after its last line break, sentence
    end or space in the second half of PART_CHARS, else at PART_CHARS."""
    limit = min(len(buffer), PART_CHARS)
    newline = buffer.rfind("\n", _CUT_FROM, limit)
    if newline >= 0:
        return newline + 1
    window = buffer[_CUT_FROM:limit]
    # (closers running on to the window's end may run on past it)
    ends = [m.end() for m in _SENTENCE_END.finditer(window) if m.end() < len(window)]
    if ends:
        return _CUT_FROM + ends[-1]
    space = max(window.rfind(c) for c in _SPACES)
    if space >= 0:
        return _CUT_FROM + space + 1
    return limit - 1 if buffer[limit - 1] == "\r" else limit  # keep CR LF together


def text_pages(parts: Iterator[str], clean: Callable[[str, bool], str]) -> tuple[Page, ...]:
    """The parts, each cleaned (line count kept; told whether it is the first),
    as pages numbered 1 whose `first_line` is the file line each starts on."""
    pages: list[Page] = []
    line = 1
    for part in parts:
        text = clean(part, not pages)
        pages.append(Page(1, text, "text", line))
        line += text.count("\n")
    return tuple(pages)
