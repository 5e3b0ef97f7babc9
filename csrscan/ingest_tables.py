"""KPI tables in PDFs -> one line of tab-joined cells per row.

Table detection (pdfplumber's ruling-line strategy) costs a pdfminer parse
of the page, so it runs only on pages whose vector graphics look like a
grid (`may_have_table`, a cheap count through PDFium), and a row is added
only when its cells are not already in the text layer in that order: most
text layers already read a table row by row.
"""

from __future__ import annotations

import re
from typing import Any

MIN_RULES = 4          # thin horizontal/vertical paths that suggest a grid
MIN_SEGMENTS = 12      # or one path drawing a whole grid
_MAX_OBJECTS = 5000    # pages with huge vector art: skip (slow, rarely tables)
_HAN_GAP = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s+(?=[\u3000-\u9fff\uff00-\uffef])")


def may_have_table(page: Any) -> bool:
    """Does this PDFium page draw enough ruling lines to hold a table?"""
    import pypdfium2.raw as pdfium_c
    raw = page.raw
    count = pdfium_c.FPDFPage_CountObjects(raw)
    if count > _MAX_OBJECTS:
        return False
    rules = 0
    for i in range(count):
        obj = pdfium_c.FPDFPage_GetObject(raw, i)
        if pdfium_c.FPDFPageObj_GetType(obj) != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        if pdfium_c.FPDFPath_CountSegments(obj) >= MIN_SEGMENTS:
            return True
        if _is_thin(pdfium_c, obj):
            rules += 1
            if rules >= MIN_RULES:
                return True
    return False


def _is_thin(pdfium_c: Any, obj: Any) -> bool:
    import ctypes
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
        return False
    width, height = right.value - left.value, top.value - bottom.value
    if (width < 3 < height) or (height < 3 < width):
        return True  # a ruling line
    # a cell-sized rectangle (filled table cells often have no lines)
    return pdfium_c.FPDFPath_CountSegments(obj) <= 5 and width > 20 and 8 < height < 60


def add_table_rows(text: str, page: Any) -> str:
    """Append the rows of `page`'s tables that the text layer lacks."""
    if page is None:
        return text
    try:
        rows = _table_rows(page)
    finally:
        page.close()
    flat = _squash(text)
    missing = [r for r in rows if _squash(r) not in flat]
    return text + "\n" + "\n".join(missing) if missing else text


def _table_rows(page: Any) -> list[str]:
    rows: list[str] = []
    for table in page.find_tables():
        for row in table.extract():
            cells = [_cell(c) for c in row if c]
            cells = [c for c in cells if c]
            if len(cells) >= 2:  # a lone cell is a caption, not a KPI row
                rows.append("\t".join(cells))
    return rows


def _cell(text: str) -> str:
    # Cell text wrapped over lines: Han characters join without a space.
    return _HAN_GAP.sub("", " ".join(text.split()))


def _squash(text: str) -> str:
    return "".join(text.split())
