"""PDF -> one Page per PDF page.

Per page: PDFium's text layer; if it fails the quality check (quality.py:
cid tokens, control characters, implausible Han) the page is re-read with
pdfminer (pdf_pdfminer.py: slower, over-printed fake bold dropped). A page that
fails both, or has no text layer, gets origin "none" and a warning, or is
OCR'd with `--ocr`. Pages are opened and closed one at a time (memory stays
flat on long reports). `max_pages`: a PDF with more pages is refused, not cut:
a cut report would score its later topics as missing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from csrscan.errors import InputError
from csrscan.ingest.limits import noting_page
from csrscan.ingest.options import IngestOptions, Progress, sha256_hex
from csrscan.ingest.pdf_tables import page_table_rows
from csrscan.ingest.quality import han_count, judge, repeated_runs, sanitize, undouble_line
from csrscan.models import Document, Page


@dataclass(slots=True)
class _Issues:
    """Page numbers per problem; turned into sorted warnings at the end."""

    by_kind: dict[str, list[int]] = field(default_factory=dict)

    def add(self, kind: str, page: int) -> None:
        self.by_kind.setdefault(kind, []).append(page)

    def pages(self, kind: str) -> list[int]:
        return self.by_kind.get(kind, [])


@dataclass(slots=True)
class _Fallback:
    """The slower readers, set up only when the first page needs them."""

    data: bytes
    password: str | None
    miner: Any = None      # PdfminerPages: text of pages PDFium garbles
    broken: bool = False   # pdfminer cannot open this file: do not retry per page

    def text(self, index: int) -> str:
        """pdfminer's text of the page; '' if pdfminer cannot read it.

        Depends on the page alone, not on the pages read before it: split.py
        reads pages in other orders and in several processes."""
        if self.broken:
            return ""
        from csrscan.ingest.pdf_pdfminer import PdfminerPages, Unreadable
        if self.miner is None:
            self.miner = PdfminerPages(self.data, self.password)
        try:
            # pdfminer may see a damaged page tree differently from PDFium
            return self.miner.text(index) or ""
        except Unreadable:  # not the document at all: no page will do better
            self.broken = True
            return ""
        except Exception:  # parse errors, recursion on a hostile page: this page only
            return ""


def read_pdf(data: bytes, name: str, options: IngestOptions,
             progress: Progress) -> Document:
    doc = open_pdf(data, name, options.password)
    try:
        count = page_count(doc, name, options.max_pages)
        fallback = _Fallback(data, options.password)
        ocr = _ocr_reader(options, progress, count)
        issues = _Issues()
        pages = tuple(_read_page(doc, fallback, i, issues, ocr) for i in range(count))
        attachments = doc.count_attachments()
    finally:
        doc.close()
    if issues.pages("ocr") or issues.pages("ocr empty"):
        progress(f"OCR: {len(issues.pages('ocr'))} pages read\n")  # ends the status line
    refuse_if_empty(has_text(pages, issues.by_kind), count, issues.by_kind, name, options.ocr)
    return Document(path=name, format="pdf", sha256=sha256_hex(data), pages=pages,
                    warnings=issue_warnings(issues.by_kind, options.ocr), attachments=attachments)


@dataclass(slots=True)
class PageReader:
    """Pages of an open PDF one at a time, in any order (no OCR), and their
    problems: split.py and prefetch.py read so."""

    doc: Any
    fallback: _Fallback
    issues: _Issues = field(default_factory=_Issues)

    @classmethod
    def of(cls, doc: Any, data: bytes, password: str | None) -> PageReader:
        return cls(doc, _Fallback(data, password))

    def read(self, index: int) -> Page:
        """The page at 0-based `index`."""
        return _read_page(self.doc, self.fallback, index, self.issues, None)


def read_pages(doc: Any, data: bytes, password: str | None, indices: Iterable[int]
               ) -> tuple[list[Page], dict[str, list[int]]]:
    """The pages at 0-based `indices`, in that order, and their problems by kind."""
    reader = PageReader.of(doc, data, password)
    return [reader.read(i) for i in indices], reader.issues.by_kind


def open_pdf(data: bytes, name: str, password: str | None) -> Any:
    import pypdfium2 as pdfium
    try:
        return pdfium.PdfDocument(data, password=password)
    except pdfium.PdfiumError as exc:
        msg = str(exc).lower()
        if "password" in msg:
            if password is None:
                raise InputError("PDF is encrypted; pass --password", path=name) from None
            raise InputError("wrong password for encrypted PDF (--password)",
                             path=name) from None
        if "format" in msg or "file" in msg:
            raise InputError("damaged or truncated PDF (cannot parse its structure)",
                             path=name) from None
        raise InputError(f"cannot open PDF: {exc}", path=name) from None


def page_count(doc: Any, name: str, max_pages: int) -> int:
    count = len(doc)
    if count == 0:
        raise InputError("PDF has no pages (damaged page tree?)", path=name)
    if count > max_pages:
        raise InputError(f"PDF has {count} pages, more than --max-pages {max_pages}",
                         path=name)
    return count


OcrFn = Callable[[Any, int], str]
SCAN_TEXT_CHARS = 40   # a page image with less text than this is a scan


def _ocr_reader(options: IngestOptions, progress: Progress, count: int) -> OcrFn | None:
    if not options.ocr:
        return None
    from csrscan.ingest.ocr import PageOcr
    return PageOcr.create(progress, count)


def _read_page(doc: Any, fallback: _Fallback, index: int, issues: _Issues,
               ocr: OcrFn | None) -> Page:
    number = index + 1
    with noting_page(number):  # a bomb on this page is refused naming it (limits.py)
        try:
            page = doc[index]
        except Exception:  # PdfiumError: broken page tree or page object
            issues.add("damaged", number)
            return Page(number, "", "none", 1)
        try:
            return _read_loaded_page(page, fallback, index, issues, ocr)
        finally:
            page.close()


def _read_loaded_page(page: Any, fallback: _Fallback, index: int, issues: _Issues,
                      ocr: OcrFn | None) -> Page:
    # one text page serves text and table cells (loading one costs a page's read)
    textpage = page.get_textpage()
    try:
        return _read_text_page(page, textpage, fallback, index, issues, ocr)
    finally:
        textpage.close()


def _read_text_page(page: Any, textpage: Any, fallback: _Fallback, index: int,
                    issues: _Issues, ocr: OcrFn | None) -> Page:
    number = index + 1
    raw = _pdfium_text(textpage)
    if not raw.strip():
        return _no_text(page, number, issues, ocr, "no text layer")
    if len("".join(raw.split())) < SCAN_TEXT_CHARS and image_share(page) > 0.5:
        # A scan with a page number or stamp as its only text.
        return _scanned_with_stamp(page, number, _tidy(raw), issues, ocr)
    verdict = judge(raw)  # judge the raw text: tidying hides control chars
    if verdict.ok:
        text = _tidy(raw)
    else:
        raw = fallback.text(index)
        if not judge(raw).ok:
            return _no_text(page, number, issues, ocr, f"unreadable ({verdict.reason})")
        text = _tidy(raw)
        issues.add("fallback", number)
    if repeated_runs(text):
        if ocr is not None:
            return _ocr_garbled(page, number, text, issues, ocr)
        issues.add("runs", number)
    text = page_table_rows(page, text, textpage)
    return Page(number, text, "text", 1)


def _scanned_with_stamp(page: Any, number: int, text: str, issues: _Issues,
                        ocr: OcrFn | None) -> Page:
    if ocr is not None:
        ocr_text = _tidy(ocr(page, number))
        if len(ocr_text) > len(text):
            issues.add("ocr", number)
            return Page(number, ocr_text, "ocr", 1)
    issues.add("image page", number)
    return Page(number, text, "text", 1)


def image_share(page: Any) -> float:
    """Share of the page area covered by images (capped at 1)."""
    import ctypes

    import pypdfium2.raw as pdfium_c
    width, height = page.get_size()
    box = [ctypes.c_float() for _ in range(4)]
    area = 0.0
    for i in range(pdfium_c.FPDFPage_CountObjects(page.raw)):
        obj = pdfium_c.FPDFPage_GetObject(page.raw, i)
        if pdfium_c.FPDFPageObj_GetType(obj) == pdfium_c.FPDF_PAGEOBJ_IMAGE \
                and pdfium_c.FPDFPageObj_GetBounds(obj, *box):
            left, bottom, right, top = (b.value for b in box)
            area += max(0.0, right - left) * max(0.0, top - bottom)
    return min(1.0, area / max(1.0, float(width) * float(height)))


def _pdfium_text(textpage: Any) -> str:
    """The text of a page's PDFium text page (a seam the tests replace)."""
    return str(textpage.get_text_range())


def _tidy(raw: str) -> str:
    lines = (undouble_line(line.rstrip()) for line in sanitize(raw).split("\n"))
    return "\n".join(lines).strip("\n")


def _no_text(page: Any, number: int, issues: _Issues, ocr: OcrFn | None,
             kind: str) -> Page:
    if ocr is not None:
        return _ocr_page(page, number, issues, ocr)
    issues.add(kind, number)
    return Page(number, "", "none", 1)


def _ocr_page(page: Any, number: int, issues: _Issues, ocr: OcrFn) -> Page:
    text = _tidy(ocr(page, number))
    if not text.strip():
        issues.add("ocr empty", number)
        return Page(number, "", "none", 1)
    issues.add("ocr", number)
    return Page(number, text, "ocr", 1)


def _ocr_garbled(page: Any, number: int, text: str, issues: _Issues,
                 ocr: OcrFn) -> Page:
    """OCR a partly garbled page; keep the text layer if OCR reads less.

    A missing font that garbles the text layer often also renders blank, and
    then OCR sees only digits: the text layer is still the better source.
    """
    ocr_text = _tidy(ocr(page, number))
    if han_count(ocr_text) > han_count(text) - sum(map(len, repeated_runs(text))):
        issues.add("ocr", number)
        return Page(number, ocr_text, "ocr", 1)
    issues.add("runs", number)
    return Page(number, text, "text", 1)


def has_text(pages: Sequence[Page], by_kind: dict[str, list[int]]) -> bool:
    """Some page that is not a scan has text."""
    scans = set(by_kind.get("image page", ()))
    return any(p.text.strip() for p in pages if p.number not in scans)


def refuse_if_empty(text_found: bool, count: int, by_kind: dict[str, list[int]], name: str,
                    ocr: bool) -> None:
    """A report with no readable page must not look like one that says nothing."""
    if text_found:
        return
    of_n = f"any of {count} pages" if count > 1 else "its only page"
    if len(by_kind.get("damaged", ())) == count:
        raise InputError(f"damaged PDF: cannot load {of_n} (broken page tree?)", path=name)
    if ocr:
        raise InputError(f"no text found on {of_n}, even with OCR", path=name)
    scans = len(by_kind.get("image page", ()))
    if len(by_kind.get("no text layer", ())) + scans == count:
        raise InputError(f"no text layer on {of_n} (scanned?); run with --ocr", path=name)
    why = ", ".join(f"{len(v)} {k}" for k, v in sorted(by_kind.items()))
    raise InputError(f"no readable text on {of_n} ({why}); run with --ocr", path=name)


_MESSAGES = {
    "no text layer": "no text layer (run with --ocr to read {them})",
    "fallback": "fast text extraction garbled; re-read with pdfminer",
    "runs": "text layer partly garbled (one character repeated, broken font)",
    "ocr": "read by OCR (check figures against the original)",
    "ocr empty": "no text found even by OCR",
    "damaged": "page cannot be loaded (damaged PDF); skipped",
    "image page": "mostly an image with little text (scanned?)",
}


def issue_warnings(by_kind: dict[str, list[int]], ocr: bool) -> tuple[str, ...]:
    """One sorted warning per kind of page problem, naming its pages."""
    out = []
    for kind, numbers in by_kind.items():
        # unknown kinds are "unreadable (<reason>)" from the quality check
        message = _MESSAGES.get(kind, f"text layer {kind}")
        if not ocr and (kind not in _MESSAGES or kind in ("runs", "image page")):
            message += "; run with --ocr"
        them = "them" if len(numbers) > 1 else "it"
        out.append(f"{page_ranges(numbers)}: {message.format(them=them)}")
    return tuple(sorted(out))


def page_ranges(numbers: list[int]) -> str:
    """[3,4,5,9] -> 'pages 3–5, 9'; [2] -> 'page 2'."""
    nums = sorted(set(numbers))
    spans: list[str] = []
    start = prev = nums[0]
    for n in [*nums[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        spans.append(str(start) if start == prev else f"{start}–{prev}")
        if n is not None:
            start = prev = n
    return ("page " if len(nums) == 1 else "pages ") + ", ".join(spans)
