"""`csrscan compare`, `csrscan history` and `csrscan cache` (docs/compare.md)."""

from __future__ import annotations

import contextlib
import signal
import sys
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from csrscan import formats
from csrscan.cli.common import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_MEMORY_TEXT,
    DEFAULT_MAX_PAGES,
    AttachmentsOpt,
    EncodingOpt,
    MaxBytesOpt,
    MaxMemoryOpt,
    MaxPagesOpt,
    OcrOpt,
    PackOpt,
    PasswordOpt,
    PathsArg,
    ProgressMode,
    RulesOpt,
    emit,
    format_option,
    ingest_options,
    load_pack,
)
from csrscan.errors import ConfigError

if TYPE_CHECKING:
    from csrscan.compare.batch import Executor, Outcome
    from csrscan.compare.matrix import Matrix, Query
    from csrscan.formats import Format

EXIT_SOME_FAILED = 2
EXIT_TERMINATED = 128 + 15  # as a shell reports a process ended by SIGTERM
EXIT_INTERRUPTED = 130


class ExecutorKind(str, Enum):
    local = "local"
    dask = "dask"


def compare(
    paths: PathsArg,
    fmt: Annotated[str, format_option("compare")] = "table",
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="Write to this file (default: stdout).")] = None,
    jsonl: Annotated[Optional[Path], typer.Option(
        "--jsonl", metavar="FILE", help="Also stream every result to this JSONL file as it "
        "finishes (implied by --format jsonl -o FILE).")] = None,
    resume: Annotated[bool, typer.Option(
        "--resume", help="Skip files already in the JSONL output (same path, sha256, "
        "pack id and version); failed files are tried again.")] = False,
    jobs: Annotated[Optional[int], typer.Option(
        "--jobs", "-j", min=1, help="Worker processes (default: CPU count).")] = None,
    timeout: Annotated[float, typer.Option(
        min=0, help="Seconds per file before its worker (on Dask: the task's child) is "
        "killed and the file listed as 'timeout'; 0 = no limit.")] = 300.0,
    max_tasks_per_child: Annotated[int, typer.Option(
        min=1, help="Restart a worker after this many files (bounds memory).")] = 50,
    executor: Annotated[ExecutorKind, typer.Option(
        help="local: process pool on this machine; dask: an existing Dask cluster "
        "(--scheduler; needs the optional dask extra).")
    ] = ExecutorKind.local,
    scheduler: Annotated[Optional[str], typer.Option(
        metavar="ADDRESS", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786.")] = None,
    manifest: Annotated[Optional[Path], typer.Option(
        metavar="CSV", help="CSV with columns path (or file),company,year[,industry] "
        "overriding the identity rules; year may list accepted years: 2015|2016.")] = None,
    sort: Annotated[str, typer.Option(
        help="Row order: company, year, score (highest first), path, or a topic id "
        "(highest level first).")] = "company",
    reverse: Annotated[bool, typer.Option("--reverse", help="Reverse the row order.")] = False,
    topic: Annotated[Optional[list[str]], typer.Option(
        "--topic", metavar="ID", help="Show only these topic columns; repeatable.")] = None,
    min_score: Annotated[Optional[float], typer.Option(help="Keep rows scoring at least this.")
                         ] = None,
    max_score: Annotated[Optional[float], typer.Option(help="Keep rows scoring at most this.")
                         ] = None,
    company: Annotated[Optional[list[str]], typer.Option(
        "--company", metavar="TEXT", help="Keep rows whose company contains TEXT; "
        "repeatable.")] = None,
    year: Annotated[Optional[list[int]], typer.Option(
        "--year", help="Keep rows of this year; repeatable.")] = None,
    missing: Annotated[Optional[list[str]], typer.Option(
        "--missing", metavar="ID", help="Keep rows where this topic is missing (level 0); "
        "repeatable.")] = None,
    db: Annotated[Optional[Path], typer.Option(
        "--db", metavar="FILE", help="Append this run to an SQLite database.")] = None,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", help="Neither read nor write the extracted-text cache.")] = False,
    progress: Annotated[ProgressMode, typer.Option(
        help="Progress on stderr: auto (bar on a terminal, else plain lines), bar, plain, "
        "none.")] = ProgressMode.auto,
    quality: Annotated[bool, typer.Option(
        "--quality", help="Add disclosure-quality indices and cross-company boilerplate "
        "(docs/research.md).")] = False,
    peers: Annotated[bool, typer.Option(
        "--peers", help="Add percentiles of score and topic levels within industry and "
        "year (industry from --manifest or --industry).")] = False,
    industry: Annotated[Optional[list[str]], typer.Option(
        "--industry", metavar="WORD=NAME", help="A company whose name contains WORD is in "
        "industry NAME (when the manifest gives none); repeatable.")] = None,
    trend: Annotated[bool, typer.Option(
        "--trend", help="Add each report's change from its company's previous year stored "
        "in --db.")] = False,
    rules: RulesOpt = None, pack: PackOpt = None, encoding: EncodingOpt = None,
    password: PasswordOpt = None, ocr: OcrOpt = False,
    max_pages: MaxPagesOpt = DEFAULT_MAX_PAGES, max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    max_memory: MaxMemoryOpt = DEFAULT_MAX_MEMORY_TEXT, attachments: AttachmentsOpt = False,
) -> None:
    """Scan many reports in parallel and compare them: company × year × topic matrix.

    Exit 0 when every file was scanned, 2 when some failed (all others are
    still written) or on a usage error.
    """
    from csrscan.compare.batch import FileTask, JobSpec, discover
    from csrscan.compare.matrix import Query

    chosen = formats.get("compare", fmt)
    if chosen.kind == "file" and output is None:
        raise ConfigError("--format xlsx needs --output FILE")
    if chosen.kind == "stream" and jsonl is not None and jsonl != output:
        raise ConfigError("with --format jsonl the stream goes to --output; drop --jsonl")
    journal = output if chosen.kind == "stream" else jsonl
    if resume and journal is None:
        raise ConfigError("--resume needs --jsonl FILE (or --format jsonl -o FILE)")
    if executor is ExecutorKind.dask and not scheduler:
        raise ConfigError("--executor dask needs --scheduler ADDRESS")
    if trend and db is None:
        raise ConfigError("--trend needs --db FILE (the history it compares with)")
    from csrscan.compare.research import parse_industry_rules

    industry_rules = parse_industry_rules(industry or ())
    the_pack = load_pack(pack, rules)
    query = Query(sort=sort, reverse=reverse, topics=tuple(topic or ()), min_score=min_score,
                  max_score=max_score, companies=tuple(company or ()),
                  years=tuple(year or ()), missing=tuple(missing or ()))
    _check_query(the_pack, query)
    from csrscan.compare.identity import read_manifest

    overrides = read_manifest(manifest) if manifest else None
    files = _without_outputs(discover(paths), output, journal, db)
    shows_quotes = db is not None or chosen.quotes or quality  # boilerplate reads quotes
    spec = JobSpec(ingest=ingest_options(encoding, password, ocr, max_pages, max_bytes,
                                          max_memory=max_memory, attachments=attachments),
                   use_cache=not no_cache, cache_dir=_cache_dir(executor),
                   quotes=shows_quotes or journal is not None or chosen.kind == "stream")
    run = _executor(executor, scheduler, jobs, timeout, max_tasks_per_child)
    outcomes = _run(FileTask(spec, the_pack), files, run, journal, resume, progress.value,
                    stdout_jsonl=chosen.kind == "stream" and output is None,
                    pack_id=the_pack.id, pack_version=the_pack.version)
    from csrscan.compare.matrix import build_matrix, topic_columns

    full = build_matrix(outcomes, the_pack.id, the_pack.version, topic_columns(the_pack),
                        overrides, with_evidence=shows_quotes)
    full = _research(full, quality, peers or bool(industry_rules), industry_rules,
                     db if trend else None)
    if db is not None:
        from csrscan.compare.db import append_run

        append_run(db, full)
    _output(full, query, chosen, output)
    if full.failures:
        raise typer.Exit(EXIT_SOME_FAILED)


def _research(full: Matrix, quality: bool, peers: bool,
              industry_rules: tuple[tuple[str, str], ...], history_db: Path | None) -> Matrix:
    """The research fields asked for (before this run joins the database)."""
    from dataclasses import replace

    from csrscan.compare import research

    if quality:
        full = research.add_boilerplate(full)
    if peers:
        full = research.add_peers(full, industry_rules)
    if history_db is not None:
        full = research.add_history(full, history_db)
    shows = {"quality": quality, "peers": peers, "trend": history_db is not None}
    return replace(full, shows=frozenset(k for k, on in shows.items() if on))


def _without_outputs(files: list[str], *outputs: Path | None) -> list[str]:
    """Never scan our own output (an HTML report written into the input folder)."""
    ours = {p.resolve() for p in outputs if p is not None}
    if not ours:  # no output file: no path to resolve (a syscall or more per input file)
        return files
    return [f for f in files if Path(f).resolve() not in ours]


def _check_query(pack: object, query: Query) -> None:
    from csrscan.compare.matrix import Matrix, select, topic_columns

    select(Matrix("", "", topic_columns(pack), (), ()), query)


def _cache_dir(executor: ExecutorKind) -> str | None:
    """Local workers share the parent's cache root; Dask workers use their own."""
    if executor is ExecutorKind.dask:
        return None
    from csrscan.cachedir import cache_root

    return str(cache_root())


def _executor(kind: ExecutorKind, scheduler: str | None, jobs: int | None, timeout: float,
              max_tasks: int) -> Executor:
    if kind is ExecutorKind.dask:
        from csrscan.compare.executor_dask import dask_executor

        assert scheduler  # compare() refuses dask without one, before any work
        return dask_executor(scheduler, timeout or None)
    from csrscan.compare.batch import local_executor
    from csrscan.parallel.forked import available_cores

    return local_executor(jobs or available_cores(), timeout or None, max_tasks)


def _run(task: object, files: list[str], run: Executor, journal: Path | None, resume: bool,
         progress: str, stdout_jsonl: bool, pack_id: str, pack_version: str) -> list[Outcome]:
    from csrscan.compare.journal import JournalWriter, plan_resume, read_journal
    from csrscan.compare.progress import BatchProgress

    todo, done = files, []
    keep: list[dict[str, object]] = []
    if resume and journal is not None:
        plan = plan_resume(read_journal(journal), files, pack_id, pack_version)
        todo, done, keep = plan.todo, list(plan.reused), plan.keep_lines
    writer = (JournalWriter(None, stream=sys.stdout) if stdout_jsonl
              else JournalWriter(journal, keep))
    count = len(done)
    try:
        with _stop_on_sigterm(), BatchProgress(progress, len(todo)) as bar:
            for outcome in run(task, todo):  # type: ignore[arg-type]
                writer.write(outcome)
                bar.advance(outcome)
                done.append(outcome)
    except (_Terminated, KeyboardInterrupt) as exc:  # the pool has killed its workers
        kept = (f"; {writer.written} result(s) of this run are in {journal}, "
                "--resume goes on from them") if journal is not None and not stdout_jsonl \
            else "; nothing was kept (no --jsonl)"
        why = "stopped by SIGTERM" if isinstance(exc, _Terminated) else "interrupted"
        typer.echo(f"csrscan: {why} after {len(done) - count} of {len(todo)} files{kept}",
                   err=True)
        raise typer.Exit(EXIT_TERMINATED if isinstance(exc, _Terminated)
                         else EXIT_INTERRUPTED) from None
    finally:
        writer.close()
    return done


class _Terminated(BaseException):
    """SIGTERM (a CI cancel, `kill`): raised in the main thread to end the batch cleanly."""


@contextlib.contextmanager
def _stop_on_sigterm() -> Iterator[None]:
    """SIGTERM ends the batch as Ctrl-C does: workers killed, the journal closed, a summary."""
    def stop(signum: int, frame: object) -> None:
        raise _Terminated

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread (a library caller): leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _output(full: Matrix, query: Query, chosen: Format, output: Path | None) -> None:
    from csrscan.compare.matrix import select

    view = select(full, query)
    if chosen.kind != "console":  # a table shows the failures in itself
        _print_failures(full)
    if chosen.kind == "stream":  # written while the batch ran
        return
    if chosen.kind == "console":
        from csrscan.cli.common import console_text, make_console, stdout_failed

        console = make_console(output)
        try:
            chosen.load()(view, console)
        except OSError as exc:  # stdout on a full disk (a closed pipe is OutputClosed)
            raise stdout_failed(exc) from None
        emit(console_text(console), output)
    elif chosen.kind == "file":
        assert output is not None  # compare() refuses a file format without -o
        chosen.load()(view, output)
    else:
        emit(chosen.load()(view), output)


def _print_failures(full: Matrix) -> None:
    for f in full.failures:
        typer.echo(f"csrscan: failed: {f.path}: [{f.kind}] {f.error}", err=True)
    if full.failures:
        typer.echo(f"csrscan: {len(full.rows)} scanned, {len(full.failures)} failed", err=True)
