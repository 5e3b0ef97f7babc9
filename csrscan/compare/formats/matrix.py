"""Matrix → CSV and JSON (`csrscan.matrix/1`); the terminal table is in `table`."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from csrscan.compare.matrix import Matrix, Row, Trend

MATRIX_SCHEMA = "csrscan.matrix/1"
LEVEL_MARK = {0: "○", 1: "◐", 2: "●"}
LEVEL_STYLE = {0: "red", 1: "yellow", 2: "green"}
LEVEL_NAME = {0: "missing", 1: "partial", 2: "covered"}


def header(matrix: Matrix) -> list[str]:
    """CSV/XLSX columns: path, company, year, one per topic id, score, identity_guessed,
    then the research columns that --quality/--peers/--trend asked for."""
    from csrscan.compare.formats import research

    return ["path", "company", "year", *(t.id for t in matrix.topics), "score",
            "identity_guessed", *research.header(matrix)]


def row_cells(row: Row, matrix: Matrix | None = None) -> list[Any]:
    # identity_guessed before the research columns, so the base columns keep their positions.
    from csrscan.compare.formats import research

    extra = research.cells(matrix, row) if matrix is not None else []
    return [row.path, row.company, row.year if row.year is not None else "",
            *row.levels, row.score, int(row.identity.guessed), *extra]


def render_csv(matrix: Matrix) -> str:
    from csrscan.compare.formats.cells import csv_row

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(csv_row(header(matrix)))
    for row in matrix.rows:
        writer.writerow(csv_row(row_cells(row, matrix)))
    return buf.getvalue()


def trend_change(t: Trend) -> str:
    if t.to_level > t.from_level:
        return "up"
    if t.to_level < t.from_level:
        return "down"
    return "same"


def matrix_to_dict(matrix: Matrix) -> dict[str, Any]:
    from csrscan.compare.formats import research

    ids = [t.id for t in matrix.topics]
    return {
        "schema": MATRIX_SCHEMA,
        "pack": {"id": matrix.pack_id, "version": matrix.pack_version},
        "topics": [{"id": t.id, "name": t.name} for t in matrix.topics],
        "rows": [{"path": r.path, "company": r.company, "year": r.year,
                  "industry": r.identity.industry, "sha256": r.sha256, "format": r.format,
                  "company_rule": r.identity.company_rule, "year_rule": r.identity.year_rule,
                  "identity_guessed": r.identity.guessed,
                  "levels": dict(zip(ids, r.levels, strict=True)), "score": r.score,
                  "found": {i: list(f) for i, f in zip(ids, r.found, strict=True)},
                  **research.row_json(matrix, r)}
                 for r in matrix.rows],
        "failures": [{"path": f.path, "sha256": f.sha256 or None, "kind": f.kind,
                      "error": f.error} for f in matrix.failures],
        "trends": [{"company": t.company, "topic": t.topic, "from_year": t.from_year,
                    "to_year": t.to_year, "from_level": t.from_level, "to_level": t.to_level,
                    "change": trend_change(t), "gained": list(t.gained), "lost": list(t.lost)}
                   for t in matrix.trends],
        "summary": {"scanned": len(matrix.rows), "failed": len(matrix.failures)},
        **research.matrix_json(matrix),
    }


def render_json(matrix: Matrix) -> str:
    return json.dumps(matrix_to_dict(matrix), ensure_ascii=False, indent=2) + "\n"
