"""KPI tables in PDFs -> one line of tab-joined cells per row.

Most text layers already read a table row by row; a row is added only when
its cells are not already in the page text in that order.  Ruled tables are
rebuilt from PDFium alone: ruling lines and cell rectangles give a grid and
`get_text_bounded` reads each cell, which is cheap (pdfplumber's table
finder costs ~1 s per page on real reports).  Layout boxes also form grids,
so a grid counts as a table only if its cells are short, include figures
and are all found in the text layer.  Not handled: a grid drawn as one
single path, and tables without vertical rules (their text layer usually
reads row by row anyway).
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from typing import Any

from csrscan import regexcache

MIN_SEGMENTS = 12      # paths this complex are art or charts, not rules
THIN = 3.0             # points: a path this thin is a ruling line
SNAP = 2.0             # points: rules closer than this are the same rule
MAX_COLUMNS = 12
MAX_CELL = 40          # characters: KPI cells are short; longer is prose
_MAX_OBJECTS = 5000    # pages with huge vector art: skip (slow, rarely tables)
_HAN_GAP = regexcache.compile(
    r"(?<=[\u3000-\u9fff\uff00-\uffef])\s+(?=[\u3000-\u9fff\uff00-\uffef])")


@dataclass(frozen=True, slots=True)
class Rule:
    pos: float      # y of a horizontal rule, x of a vertical one
    start: float
    end: float


@dataclass(slots=True)
class Grid:
    horizontal: list[Rule]
    vertical: list[Rule]


def page_table_rows(page: Any, text: str, textpage: Any) -> str:
    """`text` plus the rows of the page's ruled tables that it lacks.

    `textpage`: the page's open text page, the one `text` came from (loading
    another costs as much as reading the page's text)."""
    grid = find_rules(page)
    if grid is None:
        return text
    flat = _squash(text)
    rows: list[str] = []
    for row in _grid_rows(grid, flat, textpage):
        if _squash(row) not in flat and row not in rows:
            rows.append(row)
    return text + "\n" + "\n".join(rows) if rows else text


def find_rules(page: Any) -> Grid | None:
    """Ruling lines and cell edges drawn on the page (None: no grid at all)."""
    import pypdfium2.raw as pdfium_c
    calls = _object_calls()
    raw = ctypes.cast(page.raw, ctypes.c_void_p).value
    count = calls.count_objects(raw)
    if count > _MAX_OBJECTS:
        return None
    # every object is visited, so the two calls per object are the cost
    object_type = calls.object_type
    paths = [obj for obj in map(calls.get_object, [raw] * count, range(count))
             if object_type(obj) == pdfium_c.FPDF_PAGEOBJ_PATH]
    grid = Grid([], [])
    left, bottom, right, top = box = [ctypes.c_float() for _ in range(4)]
    for obj in paths:
        segments = calls.count_segments(obj)
        if segments < MIN_SEGMENTS and calls.get_bounds(obj, *box):
            _add_edges(grid, left.value, bottom.value, right.value, top.value,
                       rect=segments <= 5)
    if len(grid.horizontal) < 2 or len(grid.vertical) < 2:
        return None
    return grid


@dataclass(frozen=True, slots=True)
class _Calls:
    count_objects: Any
    get_object: Any
    object_type: Any
    count_segments: Any
    get_bounds: Any


@cache
def _object_calls() -> _Calls:
    """PDFium's object calls with plain-address types, holding the GIL.

    pypdfium2's bindings wrap every returned handle in a ctypes pointer
    object and release the GIL per call: 3.5 µs an object.  Re-typed on the
    same function addresses they take 2 µs, which matters on pages with
    hundreds of text objects (and thousands of cell rectangles).
    """
    import pypdfium2.raw as pdfium_c

    def retype(fn: Any, restype: Any, *argtypes: Any) -> Any:
        address = ctypes.cast(fn, ctypes.c_void_p).value or 0
        return ctypes.PYFUNCTYPE(restype, *argtypes)(address)

    vp, num, fp = ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(ctypes.c_float)
    return _Calls(retype(pdfium_c.FPDFPage_CountObjects, num, vp),
                  retype(pdfium_c.FPDFPage_GetObject, vp, vp, num),
                  retype(pdfium_c.FPDFPageObj_GetType, num, vp),
                  retype(pdfium_c.FPDFPath_CountSegments, num, vp),
                  retype(pdfium_c.FPDFPageObj_GetBounds, num, vp, fp, fp, fp, fp))


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


def _grid_rows(grid: Grid, flat: str, textpage: Any) -> list[str]:
    """Rows of the grid's tables: bands between horizontal rules, cut by the
    vertical rules crossing them, kept only when they look like a KPI table."""
    tables = [t for t in _tables(_band_boxes(grid)) if len(t[0]) <= MAX_COLUMNS]
    rows: list[str] = []
    for table in (_read_table(textpage, t, flat) for t in tables):
        if table is not None and _looks_like_kpis(table):
            rows += ["\t".join(c for c in band if c) for band in table]
    return rows


Box = tuple[float, float, float, float]  # left, bottom, right, top


def _band_boxes(grid: Grid) -> list[list[Box]]:
    """The cells of each band between horizontal rules, top to bottom (geometry
    only: which bands form a table is known before any text is read)."""
    # A sweep down the page: a band's columns are the vertical rules crossing
    # its middle. Testing every rule against every band cost ~1.5 M
    # comparisons on a 310-page annual report; a rule enters the sweep when
    # the middles reach its top and leaves for good below its bottom.
    by_top = sorted(grid.vertical, key=lambda v: v.end, reverse=True)
    entered = 0
    crossing: list[Rule] = []
    bands: list[list[Box]] = []
    ys = _snap(sorted({r.pos for r in grid.horizontal}, reverse=True))
    for top, bottom in pairwise(ys):
        mid = (top + bottom) / 2  # decreasing from band to band
        while entered < len(by_top) and by_top[entered].end + SNAP >= mid:
            crossing.append(by_top[entered])
            entered += 1
        crossing = [v for v in crossing if v.start - SNAP <= mid]
        xs = _snap(sorted({v.pos for v in crossing}))
        bands.append([(left, bottom, right, top) for left, right in pairwise(xs)])
    return bands


def _read_table(textpage: Any, table: list[list[Box]], flat: str) -> list[list[str]] | None:
    """The table's cell texts; None as soon as one cell is too long or not in
    the text layer (such a table is prose in layout boxes, never a KPI table)."""
    out: list[list[str]] = []
    for band in table:
        cells = [_cell_text(textpage, *box) for box in band]
        if any(len(c) > MAX_CELL or _squash(c) not in flat for c in cells if c):
            return None
        out.append(cells)
    return out


def _tables(bands: list[list[Box]]) -> list[list[list[Box]]]:
    """Runs of consecutive bands with the same number (>= 2) of cells."""
    runs: list[list[list[Box]]] = []
    for band in bands:
        if len(band) >= 2 and runs and len(runs[-1][-1]) == len(band):
            runs[-1].append(band)
        elif len(band) >= 2:
            runs.append([band])
    return [run for run in runs if len(run) >= 2]


def _looks_like_kpis(table: list[list[str]]) -> bool:
    """Some figures, a label beside one: a table _read_table kept (at most
    MAX_COLUMNS columns, short cells, every cell in the text layer; a layout
    box cut through a paragraph fails those) that reads as KPIs."""
    return (any(_labelled_figure(band) for band in table)
            and any(ch.isdigit() for band in table for c in band for ch in c))


def _snap(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in values:
        if not out or abs(v - out[-1]) > SNAP:
            out.append(v)
    return out


def _labelled_figure(band: list[str]) -> bool:
    """A KPI row: a label cell without digits next to a cell with digits."""
    has_digit = [any(ch.isdigit() for ch in c) for c in band if c]
    return any(has_digit) and not all(has_digit)


def _cell_text(textpage: Any, left: float, bottom: float, right: float, top: float) -> str:
    # Shrink the box a little so glyphs of the neighbouring cells stay out.
    text = textpage.get_text_bounded(left + 1, bottom + 1, right - 1, top - 1)
    return _cell(str(text))


def _cell(text: str) -> str:
    # Cell text wrapped over lines: Han characters join without a space.
    return _HAN_GAP.sub("", " ".join(text.split()))


def _squash(text: str) -> str:
    return "".join(text.split())
