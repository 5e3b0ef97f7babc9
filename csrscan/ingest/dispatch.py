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
from csrscan.ingest import registry
from csrscan.ingest.limits import reading_page, too_large
from csrscan.ingest.options import IngestOptions, Progress
from csrscan.ingest.sniff import foreign
from csrscan.models import Document

FORMATS = registry.formats()
# Bump whenever the text extracted from some input may change: the
# extracted-text cache (cache.py) is keyed on it.
INGEST_VERSION = 2  # 2: a PDF names its embedded files


def path_to_document(path: str | Path, options: IngestOptions = IngestOptions(),
                     *, progress: Progress | None = None) -> Document:
    """Read the file at `path` (kept as given in `Document.path`).

    `progress` receives short status lines during slow work (OCR); by default
    they go to stderr, and only when stderr is a terminal.
    """
    name = str(path)
    data = read_input(name, options.max_bytes, options.timeout)
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
        if fmt == "pdf":
            return _pdf(data, name, options, progress or _tty_progress)
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
    except MemoryError:  # the page it ran out on, when a guard asked the reader to note it
        raise too_large(name, options.max_memory, page=reading_page()) from None
    except Exception as exc:  # the boundary: no library traceback escapes
        raise InputError(f"cannot read {fmt}: {_describe(exc)}", path=name) from exc


def sniff_format(data: bytes, name: str) -> str:
    """Decide the format from the content; the extension only breaks ties.

    A file whose content contradicts a binary extension (a PNG named .pdf)
    is refused: guessing would turn a wrong file into a report of zero hits.
    """
    claimed = registry.by_suffix(Path(name).suffix)
    found = registry.sniff(data, binary=True)
    if found is None:
        what = foreign(data)
        if what is not None:
            expected = claimed.name if claimed else "a report (PDF, docx, HTML, text or Markdown)"
            raise InputError(f"is {what}, not {expected}", path=name)
        found = registry.sniff(data, binary=False)
    if found is None:  # text: Markdown when it says so
        found = claimed if claimed and not claimed.sniffer else registry.text_fallback()
    if claimed is not None and claimed.binary and found is not claimed:
        raise InputError(f"is {found.name}, not {claimed.name}", path=name)
    return found.format


SPECIAL_WAIT = 30.0  # seconds a FIFO or device may keep silent without --timeout


def read_input(name: str, max_bytes: int, timeout: float | None = None) -> bytes:
    """The bytes of a file, refusing directories and files over `max_bytes`.

    A FIFO or device is read without blocking: one that gives no data for
    `timeout` seconds (SPECIAL_WAIT without one) is an input error."""
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
        # A FIFO or device: read it, but never more than the limit nor forever.
        return _read_special(name, max_bytes, timeout or SPECIAL_WAIT)
    if st.st_size > max_bytes:
        raise InputError(f"file is {st.st_size} bytes, more than --max-bytes "
                         f"{max_bytes}", path=name)
    return _read_bounded(name, max_bytes, st.st_size)


def _read_bounded(name: str, max_bytes: int, expected: int) -> bytes:
    # read(max_bytes + 1) would allocate the whole limit first (256 MiB for a
    # 1 KB file), past a worker's memory cap: read what stat said, and then
    # what a growing file added, up to the limit
    try:
        with open(name, "rb") as fh:
            data = fh.read(expected + 1)
            if len(data) > expected:
                data += fh.read(max_bytes + 1 - len(data))
    except PermissionError:
        raise InputError("permission denied", path=name) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=name) from None
    if len(data) > max_bytes:
        raise InputError(f"file is larger than --max-bytes {max_bytes}", path=name)
    return data


def _read_special(name: str, max_bytes: int, wait: float) -> bytes:
    """Read a FIFO or device opened non-blocking (a FIFO without a writer would
    block open() itself), polling for data at most `wait` s at a time."""
    import select

    try:
        fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise InputError(f"cannot open: {exc.strerror or exc}", path=name) from None
    chunks: list[bytes] = []
    size = 0
    try:
        poller = select.poll()
        poller.register(fd, select.POLLIN)
        while size <= max_bytes:
            if not poller.poll(round(wait * 1000)):
                what = "FIFO" if stat.S_ISFIFO(os.fstat(fd).st_mode) else "device"
                raise InputError(f"is a {what} that gave no data within {wait:g} s", path=name)
            try:
                chunk = os.read(fd, min(1 << 20, max_bytes + 1 - size))
            except BlockingIOError:  # woken without data: poll again
                continue
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=name) from None
    finally:
        os.close(fd)
    if size > max_bytes:
        raise InputError(f"file is larger than --max-bytes {max_bytes}", path=name)
    return b"".join(chunks)


def _pdf(data: bytes, name: str, options: IngestOptions, progress: Progress) -> Document:
    """A PDF, and the files embedded in it (attachments.py): named, or read too."""
    from dataclasses import replace

    from csrscan.ingest import attachments

    def read(inner: bytes, inner_name: str, inner_options: IngestOptions) -> Document:
        return bytes_to_document(inner, inner_name, inner_options, progress=progress)

    try:
        doc = _dispatch("pdf", data, name, options, progress)
    except InputError as exc:
        files = attachments.embedded(data, options.password)
        if not files:
            raise
        if options.attachments:
            return attachments.with_attachments(None, data, name, options, read)
        raise InputError(f"{exc.message}; it {attachments.not_scanned_warning(files)}",
                         path=exc.path or name) from None
    if not doc.attachments:  # counted by the reader: no second opening of the PDF
        return doc
    files = attachments.embedded(data, options.password)
    if options.attachments:
        return attachments.with_attachments(doc, data, name, options, read)
    return replace(doc, warnings=(*doc.warnings, attachments.not_scanned_warning(files)))


def _dispatch(fmt: str, data: bytes, name: str, options: IngestOptions,
              progress: Progress) -> Document:
    return registry.by_format(fmt).read(data, name, options, progress)


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
