"""Matrix → XLSX (openpyxl): a colour-coded matrix sheet, evidence, failures, trends.

The workbook is written in openpyxl's write-only mode: rows stream to the file
as they are appended, so time and memory grow with the rows, not with their
square (reading back `max_row` after every append scanned every cell). Every
text cell is cleaned of what XML cannot hold (a report's U+FFFE or control
characters would make the whole workbook unwritable), and the file appears
only once it is complete.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path
from typing import Any

from csrscan.atomic import atomic_path
from csrscan.compare.formats.matrix import LEVEL_NAME, header, row_cells, trend_change
from csrscan.compare.matrix import Matrix
from csrscan.errors import CsrscanError

# Fill colours by level (Excel's "bad / neutral / good" palette).
LEVEL_FILL = {0: "FFC7CE", 1: "FFEB9C", 2: "C6EFCE"}
SHEETS = ("matrix", "evidence", "failures", "trends")
# Characters XML 1.0 cannot carry (controls but tab and newlines, lone
# surrogates, U+FFFE, U+FFFF): each becomes U+FFFD, the replacement character.
XML_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def write_xlsx(matrix: Matrix, path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    _matrix_sheet(wb, matrix)
    _evidence_sheet(wb, matrix)
    _table(wb, "failures", ["path", "sha256", "kind", "error"],
           ([f.path, f.sha256, f.kind, f.error] for f in matrix.failures))
    _table(wb, "trends",
           ["company", "topic", "from_year", "to_year", "from_level", "to_level", "change",
            "gained", "lost"],
           ([t.company, t.topic, t.from_year, t.to_year, t.from_level, t.to_level,
             trend_change(t), " ".join(t.gained), " ".join(t.lost)] for t in matrix.trends))
    from csrscan.compare.formats.research import sheets

    for title, head, rows in sheets(matrix):  # --quality, --peers, --trend
        _table(wb, title, head, rows)
    try:
        with atomic_path(path) as tmp:
            wb.save(tmp)
    except OSError as exc:
        for ws in wb.worksheets:  # end the sheets' streams, which a failed save left open
            with contextlib.suppress(Exception):
                ws.close()
        raise CsrscanError(f"cannot write output: {exc.strerror}", path=str(path)) from None


def _matrix_sheet(wb: Any, matrix: Matrix) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    ws = wb.create_sheet("matrix")
    ws.freeze_panes = "D2"
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = 28
    names = {4 + i: topic.name for i, topic in enumerate(matrix.topics)}
    head = [_cell(ws, v, font=Font(bold=True)) for v in header(matrix)]
    for column, name in names.items():
        head[column - 1].comment = Comment(name, "csrscan")
    ws.append(head)
    fills = {lv: PatternFill("solid", start_color=c, end_color=c) for lv, c in LEVEL_FILL.items()}
    for row in matrix.rows:
        cells = [_cell(ws, v) for v in row_cells(row, matrix)]
        for t_index, level in enumerate(row.levels):
            cells[3 + t_index].fill = fills[level]
        ws.append(cells)
    ws.append([])
    ws.append(["levels: " + ", ".join(f"{lv} = {name}" for lv, name in LEVEL_NAME.items())])


def _evidence_sheet(wb: Any, matrix: Matrix) -> None:
    rows = ([r.path, r.company, r.year, e.topic, e.indicator, e.page, e.line, e.strength,
             e.text] for r in matrix.rows for e in r.evidence)
    ws = _table(wb, "evidence", ["path", "company", "year", "topic", "indicator", "page",
                                 "line", "strength", "text"], rows)
    ws.column_dimensions["I"].width = 80


def _table(wb: Any, title: str, head: list[str], rows: Any) -> Any:
    from openpyxl.styles import Font

    ws = wb.create_sheet(title)
    ws.freeze_panes = "A2"
    ws.append([_cell(ws, v, font=Font(bold=True)) for v in head])
    for row in rows:
        ws.append([_cell(ws, v) for v in row])
    return ws


def _cell(ws: Any, value: Any, font: Any = None) -> Any:
    """A cell keeping text as text: report text never becomes a formula, and
    what XML cannot hold is replaced."""
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, str):
        value = XML_ILLEGAL.sub("\ufffd", value)
    cell = WriteOnlyCell(ws, value=value)
    if cell.data_type == "f":
        cell.data_type = "s"
    if font is not None:
        cell.font = font
    return cell
