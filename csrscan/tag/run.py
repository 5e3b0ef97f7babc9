"""Run `csrscan tag` over a batch: the pool, progress, shards, then one output."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from csrscan.compare.batch import JobSpec, Outcome, local_executor
from csrscan.compare.identity import ManifestEntry
from csrscan.models import Pack
from csrscan.tag.worker import TagTask

FORMATS = ("csv", "jsonl", "parquet")
Writer = Callable[[str, Sequence[int]], None]  # shard folder, shard numbers in output order


def tag_batch(files: Sequence[str], pack: Pack, spec: JobSpec, fmt: str, write: Writer,
              all_sentences: bool = False, jobs: int = 1, timeout: float | None = None,
              max_tasks: int = 50, progress: str = "none",
              manifest: dict[str, ManifestEntry] | None = None,
              industries: tuple[tuple[str, str], ...] = ()) -> list[Outcome]:
    """Tag every file (sorted: `discover` sorts them) and hand the shards to `write`
    in that order; the outcomes (failures included) in path order. `fmt` is the
    shards' format: csv or jsonl (what parquet and --boilerplate read back)."""
    from csrscan.compare.progress import BatchProgress

    order = {path: n for n, path in enumerate(files)}
    outcomes: list[Outcome] = []
    with tempfile.TemporaryDirectory(prefix="csrscan-tag-") as shards:
        task = TagTask(spec, pack, shard_dir=shards, order=order, fmt=fmt,
                       all_sentences=all_sentences, manifest=manifest or {},
                       industries=industries)
        run = local_executor(jobs, timeout, max_tasks)
        with BatchProgress(progress, len(files)) as bar:
            for outcome in run(task, list(files)):
                bar.advance(outcome)
                outcomes.append(outcome)
        write(shards, [order[o.path] for o in sorted(outcomes, key=lambda o: order[o.path])
                       if o.ok])
    return sorted(outcomes, key=lambda o: order[o.path])


def shard_format(fmt: str, boilerplate: bool) -> str:
    """Shards hold the final text, unless they must be read back as rows."""
    return "jsonl" if fmt == "parquet" or boilerplate else fmt


def output_writer(fmt: str, output: Path | None,
                  emit: Callable[[Iterable[str], Path | None], None],
                  boilerplate: bool = False) -> Writer:
    """How the shards become the output: text through the CLI's `emit` (stdout or
    an atomic file), Parquet written by pyarrow; with `boilerplate`, each row's
    flag is set from the whole batch first."""
    def write(shards: str, numbers: Sequence[int]) -> None:
        from csrscan.tag.output import boilerplate_marker, text_pieces, write_parquet

        mark = boilerplate_marker(shards, numbers) if boilerplate else None
        if fmt == "parquet":
            assert output is not None  # the command refuses parquet without -o
            write_parquet(output, shards, numbers, mark)
        else:
            emit(text_pieces(fmt, shards, numbers, mark), output)
    return write
