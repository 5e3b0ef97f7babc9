"""`csrscan tag`: one row per evidence sentence of many reports (docs/research.md)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from csrscan.cli.common import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_PAGES,
    EncodingOpt,
    MaxBytesOpt,
    MaxPagesOpt,
    OcrOpt,
    PackOpt,
    PasswordOpt,
    PathsArg,
    ProgressMode,
    RulesOpt,
    emit,
    ingest_options,
    load_pack,
)
from csrscan.errors import ConfigError

EXIT_SOME_FAILED = 2


class TagFormat(str, Enum):
    csv = "csv"
    jsonl = "jsonl"
    parquet = "parquet"


def tag(
    paths: PathsArg,
    fmt: Annotated[TagFormat, typer.Option(
        "--format", "-f", help="csv (UTF-8, header), jsonl (one object a row) or parquet "
        "(needs -o and the optional parquet extra).")] = TagFormat.csv,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="Write to this file (default: stdout).")] = None,
    all_sentences: Annotated[bool, typer.Option(
        "--all-sentences", help="Also write every sentence that is evidence of nothing "
        "(empty topic).")] = False,
    boilerplate: Annotated[bool, typer.Option(
        "--boilerplate", help="Fill the boilerplate column: the sentence recurs "
        "near-identically in another company's report of the batch (holds the batch's "
        "evidence sentences in memory).")] = False,
    jobs: Annotated[Optional[int], typer.Option(
        "--jobs", "-j", min=1, help="Worker processes (default: CPU count).")] = None,
    timeout: Annotated[float, typer.Option(
        min=0, help="Seconds per file before its worker is killed; 0 = no limit.")] = 300.0,
    max_tasks_per_child: Annotated[int, typer.Option(
        min=1, help="Restart a worker after this many files (bounds memory).")] = 50,
    manifest: Annotated[Optional[Path], typer.Option(
        metavar="CSV", help="CSV with columns path (or file),company,year[,industry] "
        "overriding the identity rules; year may list accepted years: 2015|2016.")] = None,
    industry: Annotated[Optional[list[str]], typer.Option(
        "--industry", metavar="WORD=NAME", help="A company whose name contains WORD is in "
        "industry NAME (when the manifest gives none); repeatable.")] = None,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", help="Neither read nor write the extracted-text cache.")] = False,
    progress: Annotated[ProgressMode, typer.Option(
        help="Progress on stderr: auto, bar, plain, none.")] = ProgressMode.auto,
    rules: RulesOpt = None, pack: PackOpt = None, encoding: EncodingOpt = None,
    password: PasswordOpt = None, ocr: OcrOpt = False,
    max_pages: MaxPagesOpt = DEFAULT_MAX_PAGES, max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
) -> None:
    """Tag many reports: one row per evidence sentence (file, page, line, sentence,
    topic, indicator, strength, flags), for research data sets.

    Exit 0 when every file was scanned, 2 when some failed (the others' rows are
    still written) or on a usage error.
    """
    from csrscan.cachedir import cache_root
    from csrscan.compare.batch import JobSpec, discover
    from csrscan.parallel.forked import available_cores
    from csrscan.tag.run import output_writer, shard_format, tag_batch

    if fmt is TagFormat.parquet:
        from csrscan.tag.output import require_pyarrow

        if output is None:
            raise ConfigError("--format parquet needs --output FILE")
        require_pyarrow()
    from csrscan.compare.research import parse_industry_rules

    industries = parse_industry_rules(industry or ())
    the_pack = load_pack(pack, rules)
    overrides = None
    if manifest is not None:
        from csrscan.compare.identity import read_manifest

        overrides = read_manifest(manifest)
    ours = output.resolve() if output is not None else None
    files = [f for f in discover(paths) if Path(f).resolve() != ours]
    spec = JobSpec(ingest=ingest_options(encoding, password, ocr, max_pages, max_bytes),
                   use_cache=not no_cache, cache_dir=str(cache_root()), quotes=False)
    write = output_writer(fmt.value, output, emit, boilerplate)
    outcomes = tag_batch(files, the_pack, spec, shard_format(fmt.value, boilerplate), write,
                         all_sentences=all_sentences, jobs=jobs or available_cores(),
                         timeout=timeout or None, max_tasks=max_tasks_per_child,
                         progress=progress.value, manifest=overrides, industries=industries)
    failed = [o for o in outcomes if not o.ok]
    for o in failed:
        typer.echo(f"csrscan: failed: {o.path}: [{o.kind}] {o.error}", err=True)
    if failed:
        typer.echo(f"csrscan: {len(outcomes) - len(failed)} scanned, {len(failed)} failed",
                   err=True)
        raise typer.Exit(EXIT_SOME_FAILED)
