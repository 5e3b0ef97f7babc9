"""Plain text and Markdown: one page per file (decoding: decode.py).

A text over PARTS_FROM_BYTES is read by text_huge.py: in parts, all page 1.
"""

from __future__ import annotations

from csrscan.errors import InputError
from csrscan.ingest.decode import decode_checked
from csrscan.ingest.options import IngestOptions, Progress, sha256_hex
from csrscan.ingest.quality import sanitize
from csrscan.ingest.text_huge import read_huge
from csrscan.ingest.text_parts import PARTS_FROM_BYTES
from csrscan.models import Document, Page


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
        return read_huge(data, name, options.encoding, "md" if markdown else "txt",
                         lambda part, first: cleaned(part, name, markdown, first))
    dec = decode_checked(data, name, options.encoding)
    return Document(path=name, format="md" if markdown else "txt",
                    sha256=sha256_hex(data),
                    pages=(Page(1, cleaned(dec.text, name, markdown), "text", 1),),
                    encoding=dec.encoding, warnings=dec.warnings)


def cleaned(text: str, name: str, markdown: bool, first: bool = True) -> str:
    """Decoded text (or one part of it) as the stages read it; the first
    characters tell a binary file."""
    if first:
        _refuse_binary(text, name)
    text = sanitize(text)
    if markdown:
        from csrscan.ingest.markdown import strip_markdown
        text = strip_markdown(text)
    return text


def _refuse_binary(text: str, name: str) -> None:
    """Text full of NULs or control characters is a binary file we do not know."""
    sample = text[:65536]
    odd = sum(1 for ch in sample if ch < "\x20" and ch not in "\t\n\r\x0c\x1a")
    odd += sample.count("\ufffd")
    if odd > max(8, 0.01 * len(sample)):
        raise InputError("binary data, not text (unknown file format)", path=name)
