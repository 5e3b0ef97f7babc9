"""Word .docx -> one Page per section; line N = Nth paragraph of the section.

Body paragraphs (headings included) and table rows are read in document
order; a table row counts as one line (cells joined by tabs).  A section
ends at the paragraph whose properties hold a `w:sectPr`.  The zip is
checked for bombs *before* anything is inflated; the main part is parsed
by lxml with entities and the network off (no XXE), as python-docx parses
it, without importing python-docx (~60 ms).
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from csrscan.errors import InputError
from csrscan.ingest.limits import raise_if_out_of_memory
from csrscan.ingest.options import IngestOptions, Progress, sha256_hex
from csrscan.ingest.quality import sanitize
from csrscan.ingest.sniff import MAIN_PART
from csrscan.models import Document, Page

MAX_MEMBERS = 10_000    # a real report has a few hundred parts at most
MAX_RATIO = 200         # compression ratio above which a big member is a bomb
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_HAN_GAP = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s+(?=[\u3000-\u9fff\uff00-\uffef])")


def read_docx(data: bytes, name: str, options: IngestOptions,
              progress: Progress | None = None) -> Document:
    check_zip(data, name, options.max_bytes)
    try:
        body = _body(data)
    except zipfile.BadZipFile as exc:  # a bad CRC: a part inflates past its declared size
        raise InputError(f"damaged Word document ({exc}; zip bomb?)", path=name) from None
    except Exception as exc:  # zipfile and lxml raise many kinds on bad parts
        raise_if_out_of_memory(exc)  # past --max-memory: too large, not damaged
        raise InputError(f"damaged Word document ({type(exc).__name__})", path=name) from None
    sections = _sections(body)
    pages = tuple(Page(i, "\n".join(lines), "text", 1)
                  for i, lines in enumerate(sections, start=1))
    if not any(p.text.strip() for p in pages):
        raise InputError("Word document contains no text", path=name)
    return Document(path=name, format="docx", sha256=sha256_hex(data), pages=pages)


def check_zip(data: bytes, name: str, max_bytes: int) -> None:
    """Refuse zip bombs from the central directory, without inflating."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise InputError(f"damaged .docx (bad ZIP: {exc})", path=name) from None
    if len(infos) > MAX_MEMBERS:
        raise InputError(f".docx has {len(infos)} parts (zip bomb?)", path=name)
    total = sum(i.file_size for i in infos)
    if total > max_bytes:
        raise InputError(f".docx inflates to {total} bytes, more than --max-bytes "
                         f"{max_bytes} (zip bomb?)", path=name)
    for info in infos:
        if info.file_size > 2**20 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise InputError(f".docx part {info.filename} inflates {info.compress_size} "
                             f"-> {info.file_size} bytes (zip bomb?)", path=name)


def read_member(zf: zipfile.ZipFile, name: str) -> bytes:
    """A member inflated in steps of 1 MiB, never more than its declared size.

    `zf.read()` inflates a member in one call of up to 2 GiB, whatever its
    header says: a member that lies about its size (a small size declared, a
    bomb inside) took 2.1 GB before its CRC failed. Read in steps, the output
    stops at the declared size, which check_zip has already bounded, and the
    lie ends as a bad CRC."""
    out = bytearray()
    with zf.open(name) as fh:
        while chunk := fh.read(2**20):
            out += chunk
    return bytes(out)


def _body(data: bytes) -> Any:
    """The <w:body> of the main document part (the part the sniffer looked for)."""
    from lxml import etree

    parser = etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        root = etree.fromstring(read_member(zf, MAIN_PART), parser)
    body = root.find(f"{_W}body")
    if body is None:
        raise ValueError("no w:body")
    return body


def _sections(body: Any) -> list[list[str]]:
    sections: list[list[str]] = [[]]
    for child in body.iterchildren():
        tag = child.tag
        if tag == f"{_W}p":
            sections[-1].append(_paragraph_text(child))
            if child.find(f"{_W}pPr/{_W}sectPr") is not None:
                sections.append([])  # this paragraph closed a section
        elif tag == f"{_W}tbl":
            sections[-1].extend(_table_rows(child))
        elif tag in (f"{_W}sdt", f"{_W}customXml"):  # content controls, custom markup
            content = child.find(f"{_W}sdtContent") if tag == f"{_W}sdt" else child
            if content is not None:
                first, *more = _sections(content)  # a section may end inside one
                sections[-1].extend(first)
                sections.extend(more)
    if len(sections) > 1 and not any(s.strip() for s in sections[-1]):
        sections.pop()  # the last sectPr sits in the body, not in a paragraph
    return sections


def _paragraph_text(p: Any) -> str:
    """Text of runs, hyperlinks, tabs and breaks, on one line."""
    parts: list[str] = []
    # Text boxes come twice (DrawingML + VML fallback): skip the fallback copy.
    skip = {el for fb in p.iter(f"{_MC}Fallback") for el in fb.iter()}
    for el in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"):
        if skip and el in skip:
            continue
        if el.tag == f"{_W}t":
            parts.append(el.text or "")
        else:
            parts.append("\t" if el.tag == f"{_W}tab" else " ")
    return sanitize("".join(parts)).replace("\n", " ").rstrip()


def _table_rows(tbl: Any) -> list[str]:
    rows: list[str] = []
    for tr in _table_row_elements(tbl):
        cells = []
        for tc in tr.iterchildren(f"{_W}tc"):
            paras = [_paragraph_text(p) for p in tc.iter(f"{_W}p")]
            cell = _HAN_GAP.sub("", " ".join(t.strip() for t in paras if t.strip()))
            cells.append(cell)
        rows.append("\t".join(c for c in cells if c))
    return rows


def _table_row_elements(parent: Any) -> list[Any]:
    """A table's rows, also those wrapped in a content control or custom markup
    (a nested table's rows stay with its cell)."""
    rows: list[Any] = []
    for child in parent.iterchildren():
        if child.tag == f"{_W}tr":
            rows.append(child)
        elif child.tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            rows += _table_row_elements(content) if content is not None else []
        elif child.tag == f"{_W}customXml":
            rows += _table_row_elements(child)
    return rows
