"""Files embedded in a PDF (a portfolio): named, and scanned when asked.

A PDF portfolio is a cover page with the real report attached: read as a
PDF it discloses nothing, and a report we did not read must never look like
one that discloses nothing. So a PDF with embedded files says so: a warning
naming them, or, when its own pages hold no text, an error that names them
(not "scanned?"). With `--attachments` the attached PDFs and .docx files are
read too, their pages added after the PDF's own (numbered on) with a warning
telling which pages came from which file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import Any

from csrscan.errors import InputError
from csrscan.ingest.options import IngestOptions
from csrscan.models import Document

READABLE = (".pdf", ".docx")
MAX_SHOWN = 5  # names in a message; the rest are counted

Reader = Callable[[bytes, str, IngestOptions], Document]


def embedded(data: bytes, password: str | None) -> list[tuple[str, Callable[[], bytes]]]:
    """(name, loader of its bytes) of each embedded file; none if the PDF will not open."""
    import pypdfium2 as pdfium  # lazy; already loaded by the reader that ran first

    try:
        doc = pdfium.PdfDocument(data, password=password)
    except Exception:  # the reader has words for a PDF that does not open
        return []
    out: list[tuple[str, Callable[[], bytes]]] = []
    for i in range(doc.count_attachments()):
        att = doc.get_attachment(i)
        out.append((att.get_name() or f"attachment {i + 1}", partial(_data, att)))
    return out


def _data(att: Any) -> bytes:
    return bytes(att.get_data())


def names_text(files: list[tuple[str, Callable[[], bytes]]]) -> str:
    names = [n for n, _ in files]
    more = f" and {len(names) - MAX_SHOWN} more" if len(names) > MAX_SHOWN else ""
    return ", ".join(names[:MAX_SHOWN]) + more


def not_scanned_warning(files: list[tuple[str, Callable[[], bytes]]]) -> str:
    return (f"holds {len(files)} embedded file(s) not scanned: {names_text(files)} "
            "(a portfolio? --attachments scans the PDF and .docx among them)")


def with_attachments(doc: Document | None, data: bytes, name: str, options: IngestOptions,
                     read: Reader) -> Document:
    """`doc` (None: its pages had no text) plus the embedded PDFs and .docx files."""
    files = embedded(data, options.password)
    pages = list(doc.pages) if doc else []
    warnings = list(doc.warnings) if doc else []
    for file_name, load in files:
        if not file_name.lower().endswith(READABLE):
            warnings.append(f"embedded file {file_name}: not a PDF or .docx; not scanned")
            continue
        try:
            inner = read(load(), f"{name}#{file_name}", replace(options, attachments=False))
        except InputError as exc:
            warnings.append(f"embedded file {file_name}: {exc.message}")
            continue
        first = len(pages) + 1
        pages += [replace(p, number=first + k) for k, p in enumerate(inner.pages)]
        warnings.append(f"pages {first}–{len(pages)} are embedded file {file_name}")
        warnings += [f"embedded file {file_name}: {w}" for w in inner.warnings]
    if not any(p.text.strip() for p in pages):
        raise InputError(f"no readable text in the PDF nor in its {len(files)} embedded "
                         f"file(s): {names_text(files)}", path=name)
    base = doc or Document(path=name, format="pdf", sha256="", pages=())
    from csrscan.ingest.options import sha256_hex

    return replace(base, pages=tuple(pages), warnings=tuple(warnings),
                   sha256=base.sha256 or sha256_hex(data))
