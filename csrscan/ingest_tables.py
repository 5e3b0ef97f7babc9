"""KPI tables in PDFs -> one line of tab-joined cells per row.

Most text layers already read a table row by row; a row is added only when
its cells are not already in the page text in that order.  Ruled tables are
rebuilt from PDFium alone: ruling lines and cell rectangles give a grid and
`get_text_bounded` reads each cell, which is cheap.  A grid drawn as one big
path is left to pdfplumber's table finder (a pdfminer parse of the page,
~0.3 s), so that cost is paid only on such pages.
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass
from typing import Any

MIN_SEGMENTS = 12      # one path drawing a whole grid
THIN = 3.0             # points: a path this thin is a ruling line
SNAP = 2.0             # points: rules closer than this are the same rule
_MAX_OBJECTS = 5000    # pages with huge vector art: skip (slow, rarely tables)
_HAN_GAP = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s+(?=[\u3000-\u9fff\uff00-\uffef])")


@dataclass(frozen=True, slots=True)
class Rule:
    pos: float      # y of a horizontal rule, x of a vertical one
    start: float
    end: float


@dataclass(slots=True)
class Grid:
    horizontal: list[Rule]
    vertical: list[Rule]
    one_path_grid: bool = False


def page_table_rows(page: Any, text: str, plumber_page: Any) -> str:
    """`text` plus the rows of the page's ruled tables that it lacks.

    `plumber_page()` returns the pdfplumber page, called only if needed.
    """
    grid = find_rules(page)
    if grid is None:
        return text
    rows = _grid_rows(page, grid)
    if not rows and grid.one_path_grid:
        rows = _plumber_rows(plumber_page())
    flat = _squash(text)
    missing = [r for r in rows if _squash(r) not in flat]
    return text + "\n" + "\n".join(missing) if missing else text


def find_rules(page: Any) -> Grid | None:
    """Ruling lines and cell edges drawn on the page (None: no grid at all)."""
    import pypdfium2.raw as pdfium_c
    raw = page.raw
    count = pdfium_c.FPDFPage_CountObjects(raw)
    if count > _MAX_OBJECTS:
        return None
    grid = Grid([], [])
    box = [ctypes.c_float() for _ in range(4)]
    for i in range(count):
        obj = pdfium_c.FPDFPage_GetObject(raw, i)
        if pdfium_c.FPDFPageObj_GetType(obj) != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        segments = pdfium_c.FPDFPath_CountSegments(obj)
        if segments >= MIN_SEGMENTS:
            grid.one_path_grid = True
        elif pdfium_c.FPDFPageObj_GetBounds(obj, *box):
            _add_edges(grid, *(b.value for b in box), rect=segments <= 5)
    if len(grid.horizontal) < 2 or len(grid.vertical) < 2:
        return grid if grid.one_path_grid else None
    return grid


def _add_edges(grid: Grid, left: float, bottom: float, right: float, top: float, *,
               rect: bool) -> None:
    width, height = right - left, top - bottom
    if width < THIN < height:
        grid.vertical.append(Rule((left + right) / 2, bottom, top))
    elif height < THIN < width:
        grid.horizontal.append(Rule((bottom + top) / 2, left, right))
    elif rect and width > THIN and height > THIN:  # a cell's rectangle
        grid.horizontal += [Rule(bottom, left, right), Rule(top, left, right)]
        grid.vertical += [Rule(left, bottom, top), Rule(right, bottom, top)]


def _grid_rows(page: Any, grid: Grid) -> list[str]:
    """Each band between two horizontal rules, cut by the vertical rules crossing it."""
    textpage = page.get_textpage()
    try:
        rows: list[str] = []
        ys = _snap(sorted({r.pos for r in grid.horizontal}, reverse=True))
        for top, bottom in zip(ys, ys[1:]):
            mid = (top + bottom) / 2
            xs = _snap(sorted({v.pos for v in grid.vertical
                               if v.start - SNAP <= mid <= v.end + SNAP}))
            cells = [_cell_text(textpage, left, bottom, right, top)
                     for left, right in zip(xs, xs[1:])]
            cells = [c for c in cells if c]
            if len(cells) >= 2:  # a lone cell is a caption, not a KPI row
                rows.append("\t".join(cells))
        return rows
    finally:
        textpage.close()


def _snap(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in values:
        if not out or abs(v - out[-1]) > SNAP:
            out.append(v)
    return out


def _cell_text(textpage: Any, left: float, bottom: float, right: float, top: float) -> str:
    # Shrink the box a little so glyphs of the neighbouring cells stay out.
    text = textpage.get_text_bounded(left + 1, bottom + 1, right - 1, top - 1)
    return _cell(str(text))


def _plumber_rows(page: Any) -> list[str]:
    if page is None:
        return []
    try:
        rows: list[str] = []
        for table in page.find_tables():
            for row in table.extract():
                cells = [c for c in (_cell(c) for c in row if c) if c]
                if len(cells) >= 2:
                    rows.append("\t".join(cells))
        return rows
    finally:
        page.close()


def _cell(text: str) -> str:
    # Cell text wrapped over lines: Han characters join without a space.
    return _HAN_GAP.sub("", " ".join(text.split()))


def _squash(text: str) -> str:
    return "".join(text.split())
