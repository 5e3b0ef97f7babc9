"""Matrix → XLSX (openpyxl): a colour-coded matrix sheet, evidence, failures, trends."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from csrscan.compare.formats.matrix import LEVEL_NAME, header, row_cells, trend_change
from csrscan.compare.matrix import Matrix
from csrscan.errors import CsrscanError

# Fill colours by level (Excel's "bad / neutral / good" palette).
LEVEL_FILL = {0: "FFC7CE", 1: "FFEB9C", 2: "C6EFCE"}
SHEETS = ("matrix", "evidence", "failures", "trends")


def write_xlsx(matrix: Matrix, path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    _matrix_sheet(wb.active, matrix)
    _evidence_sheet(wb.create_sheet("evidence"), matrix)
    _table(wb.create_sheet("failures"), ["path", "sha256", "kind", "error"],
           [[f.path, f.sha256, f.kind, f.error] for f in matrix.failures])
    _table(wb.create_sheet("trends"),
           ["company", "topic", "from_year", "to_year", "from_level", "to_level", "change",
            "gained", "lost"],
           [[t.company, t.topic, t.from_year, t.to_year, t.from_level, t.to_level,
             trend_change(t), " ".join(t.gained), " ".join(t.lost)] for t in matrix.trends])
    try:
        wb.save(path)
    except OSError as exc:
        raise CsrscanError(f"cannot write output: {exc.strerror}", path=str(path)) from None


def _matrix_sheet(ws: Any, matrix: Matrix) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    ws.title = "matrix"
    ws.append(header(matrix))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for t_index, topic in enumerate(matrix.topics):
        ws.cell(row=1, column=4 + t_index).comment = Comment(topic.name, "csrscan")
    fills = {lv: PatternFill("solid", start_color=c, end_color=c) for lv, c in LEVEL_FILL.items()}
    for r_index, row in enumerate(matrix.rows, start=2):
        _append(ws, row_cells(row))
        for t_index, level in enumerate(row.levels):
            ws.cell(row=r_index, column=4 + t_index).fill = fills[level]
    ws.freeze_panes = "D2"
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = 28
    legend = len(matrix.rows) + 3
    ws.cell(row=legend, column=1, value="levels: " + ", ".join(
        f"{lv} = {name}" for lv, name in LEVEL_NAME.items()))


def _evidence_sheet(ws: Any, matrix: Matrix) -> None:
    rows = [[r.path, r.company, r.year, e.topic, e.indicator, e.page, e.line, e.strength,
             e.text] for r in matrix.rows for e in r.evidence]
    _table(ws, ["path", "company", "year", "topic", "indicator", "page", "line", "strength",
                "text"], rows)
    ws.column_dimensions["I"].width = 80


def _table(ws: Any, head: list[str], rows: list[list[Any]]) -> None:
    from openpyxl.styles import Font

    ws.append(head)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        _append(ws, row)
    ws.freeze_panes = "A2"


def _append(ws: Any, values: list[Any]) -> None:
    """Append a row keeping text as text: report text never becomes a formula."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    ws.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values])
    for cell in ws[ws.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"
