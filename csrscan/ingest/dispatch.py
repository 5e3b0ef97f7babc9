"""Ingest stage: any supported input file -> `Document` (pages of text).

This module sniffs the format from the bytes, enforces the documented
limits and dispatches to one reader per format (`pdf`, `text`, `docx`,
`html` beside it).  Readers import their heavy libraries lazily
so that importing this module (and the CLI's `--help`) stays instant.

Every failure is an `InputError` (or its subclass `EncodingError`) whose
message names the file and the cause; library exceptions never escape.

Limits:
  * `max_bytes`: a file larger than this is refused before it is read; for a
    docx the *uncompressed* size of the zip members counts too (zip bombs).
  * `max_pages`: a PDF with more pages is refused with an error rather than
    silently cut, because a truncated report would score topics as missing.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from csrscan.errors import CsrscanError, InputError
from csrscan.ingest.options import IngestOptions, Progress
from csrscan.models import Document

FORMATS = ("pdf", "txt", "md", "docx", "html")
# Bump whenever the text extracted from some input may change: the
# extracted-text cache (cache.py) is keyed on it.
INGEST_VERSION = 1

# Magic numbers of formats we recognise only to refuse them clearly.
_FOREIGN_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"BM", "a BMP image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
     "a legacy Office (.doc/.xls) file (save it as .docx or PDF)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"{\\rtf", "an RTF document (save it as .docx or PDF)"),
)

_EXT_FORMAT = {
    ".pdf": "pdf", ".txt": "txt", ".text": "txt", ".md": "md",
    ".markdown": "md", ".docx": "docx", ".html": "html", ".htm": "html",
    ".xhtml": "html",
}

_FORMAT_NAME = {"pdf": "a PDF", "docx": "a Word .docx document",
                "html": "an HTML document", "txt": "a text file",
                "md": "a Markdown file"}


def path_to_document(path: str | Path, options: IngestOptions = IngestOptions(),
                     *, progress: Progress | None = None) -> Document:
    """Read the file at `path` (kept as given in `Document.path`).

    `progress` receives short status lines during slow work (OCR); by default
    they go to stderr, and only when stderr is a terminal.
    """
    name = str(path)
    data = read_input(name, options.max_bytes)
    return bytes_to_document(data, name, options, progress=progress)


def bytes_to_document(data: bytes, name: str, options: IngestOptions = IngestOptions(),
                      *, progress: Progress | None = None) -> Document:
    """Read a report from memory; `name` is '<stdin>' for standard input."""
    if not data:
        raise InputError("file is empty (0 bytes)", path=name)
    if len(data) > options.max_bytes:
        raise InputError(f"file is {len(data)} bytes, more than --max-bytes "
                         f"{options.max_bytes}", path=name)
    fmt = sniff_format(data, name)
    try:
        return _dispatch(fmt, data, name, options, progress or _tty_progress)
    except InputError as exc:
        if exc.path is None:  # raised deep down without knowing the file
            raise type(exc)(exc.message, path=name) from None
        raise
    except CsrscanError:
        raise
    except RecursionError:
        raise InputError("structure nested too deeply (corrupt or hostile file)",
                         path=name) from None
    except MemoryError:
        raise InputError("ran out of memory reading the file", path=name) from None
    except Exception as exc:  # the boundary: no library traceback escapes
        raise InputError(f"cannot read {fmt}: {_describe(exc)}", path=name) from exc


def sniff_format(data: bytes, name: str) -> str:
    """Decide the format from the content; the extension only breaks ties.

    A file whose content contradicts a binary extension (a PNG named .pdf)
    is refused: guessing would turn a wrong file into a report of zero hits.
    """
    claimed = _EXT_FORMAT.get(Path(name).suffix.lower())
    actual = _sniff_content(data)
    if actual is not None and actual.startswith("!"):
        expected = (_FORMAT_NAME[claimed] if claimed
                    else "a report (PDF, docx, HTML, text or Markdown)")
        raise InputError(f"is {actual[1:]}, not {expected}", path=name)
    if actual is None:
        actual = "md" if claimed == "md" else "txt"
    if claimed in ("pdf", "docx") and actual != claimed:
        raise InputError(f"is {_FORMAT_NAME[actual]}, not "
                         f"{_FORMAT_NAME[claimed]}", path=name)
    return actual



def _sniff_content(data: bytes) -> str | None:
    """'pdf'/'docx'/'html', '!<what>' for a known foreign format, None for text."""
    head = data[:1024]
    if b"%PDF-" in head:  # the spec lets junk precede the header
        return "pdf"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _sniff_zip(data)
    for magic, what in _FOREIGN_MAGIC:
        if data.startswith(magic):
            return "!" + what
    if data[:12].startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "!a WebP image"
    if _looks_like_html(data[:4096]):
        return "html"
    return None


def _sniff_zip(data: bytes) -> str:
    import io
    import zipfile
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return "!a damaged ZIP archive"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "!an Excel workbook"
    if "ppt/presentation.xml" in names:
        return "!a PowerPoint presentation (export it as PDF)"
    return "!a ZIP archive"


def _looks_like_html(head: bytes) -> bool:
    # Decode loosely: only ASCII markers matter. UTF-16 HTML is handled too.
    head = head.removeprefix(b"\xef\xbb\xbf")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", "ignore")
    else:
        text = head.decode("latin-1")
    low = text.lstrip("\ufeff \t\r\n").lower()
    if low.startswith(("<!doctype html", "<html")):
        return True
    if low.startswith("<?xml") and "<html" in low:
        return True
    # Markdown may embed a <table>; only whole-page markup counts as HTML.
    return "<body" in low and ("<head" in low or "<html" in low)


def read_input(name: str, max_bytes: int) -> bytes:
    """The bytes of a file, refusing directories and files over `max_bytes`."""
    try:
        st = os.stat(name)
    except FileNotFoundError:
        raise InputError("no such file", path=name) from None
    except PermissionError:
        raise InputError("permission denied", path=name) from None
    except OSError as exc:
        raise InputError(f"cannot open: {exc.strerror or exc}", path=name) from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError("is a directory, not a file", path=name)
    if not stat.S_ISREG(st.st_mode):
        # A FIFO or device: read it, but never more than the limit.
        return _read_bounded(name, max_bytes)
    if st.st_size > max_bytes:
        raise InputError(f"file is {st.st_size} bytes, more than --max-bytes "
                         f"{max_bytes}", path=name)
    return _read_bounded(name, max_bytes)


def _read_bounded(name: str, max_bytes: int) -> bytes:
    try:
        with open(name, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except PermissionError:
        raise InputError("permission denied", path=name) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=name) from None
    if len(data) > max_bytes:
        raise InputError(f"file is larger than --max-bytes {max_bytes}", path=name)
    return data


def _dispatch(fmt: str, data: bytes, name: str, options: IngestOptions,
              progress: Progress) -> Document:
    if fmt == "pdf":
        from csrscan.ingest.pdf import read_pdf
        return read_pdf(data, name, options, progress)
    if fmt == "docx":
        from csrscan.ingest.docx import read_docx
        return read_docx(data, name, options)
    if fmt == "html":
        from csrscan.ingest.html import read_html
        return read_html(data, name, options)
    from csrscan.ingest.text import read_text
    return read_text(data, name, options, markdown=fmt == "md")


def _describe(exc: BaseException) -> str:
    """One line for a library exception; some (pdfminer's) have no message."""
    text = " ".join(str(exc).split())
    kind = type(exc).__name__
    return f"{kind}: {text}"[:200] if text else f"{kind} (file is damaged or unsupported)"


def _tty_progress(message: str) -> None:
    """Default progress sink: one updating stderr line, only when a person
    is watching; a message ending in a newline closes the line."""
    if sys.stderr.isatty():
        sys.stderr.write(f"\r\x1b[K{message}")
        sys.stderr.flush()
