"""Every input format, in one registry: suffixes, how its content is told
apart, and its reader.

A reader is a function in its own module, named here as "module:function" and
imported only when a file of its format is read. It is called as
`reader(data, name, options, progress) -> Document`. A sniffer, when the
format has one, is called as `sniffer(data) -> bool` on the file's bytes.
Adding a format is one module and one line in READERS: `scan`, `check` and
`compare` (which picks files out of folders by these suffixes) all read it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from csrscan.ingest.options import IngestOptions, Progress
    from csrscan.models import Document


@dataclass(frozen=True, slots=True)
class Reader:
    format: str                 # the Document's format
    name: str                   # how messages call a file of it: "a PDF"
    suffixes: tuple[str, ...]
    reader: str                 # "module:function"
    sniffer: str = ""           # "module:function"; "" for text, the fallback
    binary: bool = False        # the content must match a claimed suffix

    def read(self, data: bytes, name: str, options: IngestOptions,
             progress: Progress) -> Document:
        return _load(self.reader)(data, name, options, progress)  # type: ignore[no-any-return]

    def sniffs(self, data: bytes) -> bool:
        return bool(self.sniffer) and bool(_load(self.sniffer)(data))


def _load(target: str) -> Callable[..., Any]:
    module, _, function = target.partition(":")
    return getattr(importlib.import_module(module), function)  # type: ignore[no-any-return]


_SNIFF = "csrscan.ingest.sniff"
# Content sniffers run in this order; text formats (no sniffer) come last.
READERS: tuple[Reader, ...] = (
    Reader("pdf", "a PDF", (".pdf",), "csrscan.ingest.pdf:read_pdf", f"{_SNIFF}:is_pdf",
           binary=True),
    Reader("docx", "a Word .docx document", (".docx",), "csrscan.ingest.docx:read_docx",
           f"{_SNIFF}:is_docx", binary=True),
    Reader("html", "an HTML document", (".html", ".htm", ".xhtml"),
           "csrscan.ingest.html:read_html", f"{_SNIFF}:is_html"),
    Reader("md", "a Markdown file", (".md", ".markdown"), "csrscan.ingest.text:read_markdown"),
    Reader("txt", "a text file", (".txt", ".text"), "csrscan.ingest.text:read_plain"),
)
TEXT_FALLBACK = "txt"  # content no sniffer claims, under no text suffix, is read as text


def formats() -> tuple[str, ...]:
    return tuple(r.format for r in READERS)


def suffixes() -> tuple[str, ...]:
    """Every suffix a report file may have (compare picks files out of folders by them)."""
    return tuple(s for r in READERS for s in r.suffixes)


def by_format(fmt: str) -> Reader:
    return next(r for r in READERS if r.format == fmt)


def by_suffix(suffix: str) -> Reader | None:
    return next((r for r in READERS if suffix.lower() in r.suffixes), None)


def text_fallback() -> Reader:
    return by_format(TEXT_FALLBACK)


def sniff(data: bytes, binary: bool) -> Reader | None:
    """The binary (or other) format whose sniffer claims the content, if any.

    Binary formats are tried first, then the caller looks for foreign formats
    to refuse, then the others (HTML): a ZIP holding a web page stays a ZIP."""
    return next((r for r in READERS if r.binary == binary and r.sniffs(data)), None)
