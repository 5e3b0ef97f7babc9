"""Join the per-file shards of `csrscan tag` into one output, in path order.

CSV and JSONL shards already hold their final text: they are copied through
in the order of the sorted input paths (a shard at a time, so memory stays
flat whatever the batch). Parquet (optional extra `parquet`, pyarrow) gets
one row group per file, read from that file's JSONL shard.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from csrscan.errors import ConfigError, CsrscanError
from csrscan.tag.rows import BOOLEAN, COLUMNS, INTEGER, csv_header
from csrscan.tag.worker import shard_path

CHUNK = 1 << 20


def text_pieces(fmt: str, shard_dir: str, numbers: Sequence[int]) -> Iterator[str]:
    """The CSV (with its header) or JSONL text, piece by piece."""
    if fmt == "csv":
        yield csv_header()
    for n in numbers:
        path = shard_path(shard_dir, n)
        if not os.path.exists(path):  # a failed file: no rows
            continue
        with open(path, encoding="utf-8") as fh:
            while piece := fh.read(CHUNK):
                yield piece


def require_pyarrow() -> None:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise ConfigError("--format parquet needs pyarrow: pip install 'csrscan[parquet]'"
                          ) from None


def write_parquet(output: Path, shard_dir: str, numbers: Sequence[int]) -> None:
    """One row group per file with rows; typed columns (docs/research.md)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from csrscan.atomic import atomic_path

    schema = pa.schema([(c, _arrow_type(pa, c)) for c in COLUMNS])
    try:
        with atomic_path(output) as tmp, pq.ParquetWriter(str(tmp), schema) as writer:
            for n in numbers:
                rows = _shard_rows(shard_path(shard_dir, n))
                if rows:
                    columns = {c: [r[c] for r in rows] for c in COLUMNS}
                    writer.write_table(pa.table(columns, schema=schema))
            if writer.is_open and not numbers:
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


def _shard_rows(path: str) -> list[dict[str, Any]]:
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]
