"""TEMPORARY minimal ingest (replaced by the full ingest stage)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .models import Document, Page


@dataclass(frozen=True, slots=True)
class IngestOptions:
    encoding: str | None = None
    password: str | None = None
    ocr: bool = False
    max_pages: int = 2000
    max_bytes: int = 256 * 2**20


def path_to_document(path: str | Path, options: IngestOptions = IngestOptions()) -> Document:
    p = Path(path)
    if not p.is_file():
        raise InputError("no such file", path=str(path))
    return bytes_to_document(p.read_bytes(), str(path), options)


def bytes_to_document(data: bytes, name: str, options: IngestOptions = IngestOptions()
                      ) -> Document:
    sha = hashlib.sha256(data).hexdigest()
    if data.startswith(b"%PDF-"):
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(data)
        pages = []
        for i in range(len(pdf)):
            page = pdf[i]
            tp = page.get_textpage()
            text = tp.get_text_range().replace("\r\n", "\n").replace("\r", "\n")
            tp.close()
            page.close()
            pages.append(Page(number=i + 1, text=text))
        pdf.close()
        return Document(path=name, format="pdf", sha256=sha, pages=tuple(pages))
    text = data.decode("utf-8-sig").replace("\r\n", "\n")
    fmt = "md" if name.endswith(".md") else "txt"
    return Document(path=name, format=fmt, sha256=sha, pages=(Page(1, text),),
                    encoding="utf-8")
