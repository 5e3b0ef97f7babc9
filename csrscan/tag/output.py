"""Join the per-file shards of `csrscan tag` into one output, in path order.

CSV and JSONL shards already hold their final text: they are copied through
in the order of the sorted input paths (a shard at a time, so memory stays
flat whatever the batch). With `--boilerplate` the shards are JSONL, read
twice: once for the batch's evidence sentences (boilerplate needs them all),
once to write each row with its flag. Parquet (optional extra `parquet`,
pyarrow) gets one row group per file, read from that file's JSONL shard.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from csrscan.errors import ConfigError, CsrscanError
from csrscan.tag.rows import (
    BOOLEAN,
    COLUMNS,
    INTEGER,
    csv_header,
    csv_lines,
    jsonl_lines,
    row_from_json,
)
from csrscan.tag.worker import shard_path

CHUNK = 1 << 20
Marker = Callable[[int, list[dict[str, Any]]], None]  # shard number, its rows: set a flag


def text_pieces(fmt: str, shard_dir: str, numbers: Sequence[int], mark: Marker | None = None
                ) -> Iterator[str]:
    """The CSV (with its header) or JSONL text, piece by piece."""
    if fmt == "csv":
        yield csv_header()
    for n in numbers:
        path = shard_path(shard_dir, n)
        if mark is not None:
            rows = shard_rows(path)
            mark(n, rows)
            yield csv_lines(rows) if fmt == "csv" else jsonl_lines(rows)
            continue
        with open(path, encoding="utf-8") as fh:
            while piece := fh.read(CHUNK):
                yield piece


def shard_rows(path: str) -> list[dict[str, Any]]:
    """The rows of a JSONL shard (none for a file that failed)."""
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as fh:
        return [row_from_json(json.loads(line)) for line in fh if line.strip()]


def boilerplate_marker(shard_dir: str, numbers: Sequence[int]) -> Marker:
    """Read every shard's indicator evidence, find the boilerplate (docs/scoring.md),
    and return what flags each row: its sentence is one of its file's
    boilerplate evidence sentences."""
    from csrscan.score.boilerplate import ReportSentences, boilerplate, normalize

    reports = []
    for n in numbers:
        rows = [r for r in shard_rows(shard_path(shard_dir, n)) if r["indicator"]]
        # a file of unknown company is its own company
        company = (rows[0]["company"] or f"\0{rows[0]['file']}") if rows else f"\0{n}"
        reports.append(ReportSentences(company, [(r["topic"], r["sentence"]) for r in rows]))
    flagged = dict(zip(numbers, boilerplate(reports).flagged, strict=True))

    def mark(n: int, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            row["boilerplate"] = normalize(row["sentence"]) in flagged[n]
    return mark


def require_pyarrow() -> None:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise ConfigError("--format parquet needs pyarrow: pip install 'csrscan[parquet]'"
                          ) from None


def write_parquet(output: Path, shard_dir: str, numbers: Sequence[int],
                  mark: Marker | None = None) -> None:
    """One row group per file with rows; typed columns (docs/research.md)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from csrscan.atomic import atomic_path

    schema = pa.schema([(c, _arrow_type(pa, c)) for c in COLUMNS])
    try:
        with atomic_path(output) as tmp, pq.ParquetWriter(str(tmp), schema) as writer:
            for n in numbers:
                rows = shard_rows(shard_path(shard_dir, n))
                if mark is not None:
                    mark(n, rows)
                if rows:
                    columns = {c: [r[c] for r in rows] for c in COLUMNS}
                    writer.write_table(pa.table(columns, schema=schema))
            if not numbers:
                writer.write_table(schema.empty_table())
    except OSError as exc:
        raise CsrscanError(f"cannot write output: {exc.strerror or exc}",
                           path=str(output)) from None


def _arrow_type(pa: Any, column: str) -> Any:
    if column in BOOLEAN:
        return pa.bool_()
    if column in INTEGER:
        return pa.int32()
    if column == "terms":
        return pa.list_(pa.string())
    return pa.string()
