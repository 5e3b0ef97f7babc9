"""Fallback PDF text extraction with pdfminer, without layout analysis.

pdfminer's own layout analysis (and pdfplumber's text extraction on top of
it) costs ~1 s per page and interleaves two-column pages line by line.
Here the page is interpreted with `laparams=None` and the characters are
joined in content-stream order, which is ~5x faster and keeps each column's
sentences whole.  Over-printed copies of a character (fake bold) are dropped
by position.  Pages are produced lazily in increasing order and nothing is
kept, so memory stays flat.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

DUP_TOLERANCE = 1.5     # points: an over-printed copy sits within this offset
SPACE_GAP = 0.25        # a gap wider than this share of the font size is a space


class Unreadable(Exception):
    """pdfminer cannot open the document at all (its trailer, xref or catalog)."""


class PdfminerPages:
    """Text of page `index` via pdfminer; cheapest when asked for in order.

    What a page gives depends on that page alone, never on the pages asked
    for before it (split.py reads pages in other orders and in several
    processes): a page that fails fails alone, and a walk of the page tree
    that fails makes every later page unreachable, as it would on any walk.
    """

    def __init__(self, data: bytes, password: str | None) -> None:
        self._data = data
        self._password = password or ""
        self._pages: Iterator[Any] | None = None
        self._next = 0
        self._unreachable: int | None = None  # the walk fails at this page
        self._interp: Any = None
        self._device: Any = None

    def text(self, index: int) -> str | None:
        """The page's text, or None when pdfminer does not see that page.
        Raises Unreadable, or what pdfminer raised on this page."""
        page = self._advance(index)
        if page is None:
            return None
        self._interp.process_page(page)
        layout = self._device.get_result()
        return chars_to_text(list(_chars(layout)))

    def _advance(self, index: int) -> Any:
        if self._unreachable is not None and index >= self._unreachable:
            return None
        if self._pages is None or index < self._next:
            self._start()
        assert self._pages is not None
        page = None
        while self._next <= index:
            try:
                page = next(self._pages, None)
            except Exception:  # a damaged page tree: the same on every walk
                self._unreachable, self._pages = self._next, None
                return None
            self._next += 1
            if page is None:
                return None
        return page

    def _start(self) -> None:
        try:
            self._open()
        except Exception as exc:  # RecursionError included
            raise Unreadable(str(exc)) from exc

    def _open(self) -> None:
        from pdfminer.converter import PDFPageAggregator
        from pdfminer.pdfdocument import PDFDocument
        from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
        from pdfminer.pdfpage import PDFPage
        from pdfminer.pdfparser import PDFParser
        parser = PDFParser(io.BytesIO(self._data))
        # caching=False: do not keep every parsed object of a long report
        doc = PDFDocument(parser, password=self._password, caching=False)
        rsrc = PDFResourceManager(caching=True)  # fonts are worth caching
        self._device = PDFPageAggregator(rsrc, laparams=None)
        self._interp = PDFPageInterpreter(rsrc, self._device)
        self._pages = PDFPage.create_pages(doc)
        self._next = 0


def _chars(layout: Any) -> Iterator[Any]:
    """LTChar objects in stream order, descending into form XObjects."""
    from pdfminer.layout import LTChar, LTContainer
    for item in layout:
        if isinstance(item, LTChar):
            yield item
        elif isinstance(item, LTContainer):
            yield from _chars(item)


def chars_to_text(chars: list[Any]) -> str:
    lines: list[str] = []
    line: list[str] = []
    seen: set[tuple[str, int, int]] = set()
    prev: Any = None
    for ch in chars:
        text = ch.get_text()
        if _is_copy(seen, text, ch.x0, ch.y0):
            continue
        if prev is not None:
            size = max(ch.size, prev.size, 1.0)
            if abs(ch.y0 - prev.y0) > 0.5 * size or ch.x0 < prev.x0 - size:
                lines.append("".join(line))
                line = []
            elif ch.x0 - prev.x1 > SPACE_GAP * size and line and line[-1] != " " \
                    and text != " ":
                line.append(" ")
        line.append(text)
        prev = ch
    lines.append("".join(line))
    return "\n".join(lines)


def _is_copy(seen: set[tuple[str, int, int]], text: str, x: float, y: float) -> bool:
    """Has the same character been drawn at (almost) this spot already?"""
    if text.isspace():
        return False
    qx, qy = int(x / DUP_TOLERANCE), int(y / DUP_TOLERANCE)
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            if (text, qx + dx, qy + dy) in seen:
                return True
    seen.add((text, qx, qy))
    return False
