"""Tag mode: one row per evidence sentence of many reports (docs/research.md).

`rows` turns one scanned report and its sentences into rows; `worker` is the
per-file task (compare's pool, cache and error isolation) that writes each
file's rows to a shard; `output` joins the shards in path order into CSV,
JSONL or Parquet.
"""
