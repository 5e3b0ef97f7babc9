"""`csrscan history COMPANY [--db FILE]` and `csrscan cache info|clear`.

Without --db, history takes the database from the config's `db:` key
(.csrscan.yaml / pyproject.toml found from here upward, or --config).
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

cache_app = typer.Typer(help="Inspect or empty the extracted-text cache.", no_args_is_help=True)


class HistoryFormat(str, Enum):
    table = "table"
    json = "json"


def history(
    company: Annotated[str, typer.Argument(help="Company name, or part of it.")],
    db: Annotated[Optional[Path], typer.Option(
        "--db", metavar="FILE", help="SQLite file written by `compare --db`. Default: the "
        "config's `db:` key.")] = None,
    fmt: Annotated[HistoryFormat, typer.Option("--format", "-f", help="table or json.")
                   ] = HistoryFormat.table,
    config: Annotated[Optional[Path], typer.Option(
        "--config", "-c", metavar="FILE", help="Config file holding `db:` (default: "
        ".csrscan.yaml / pyproject.toml found from here upward).")] = None,
) -> None:
    """Print every stored result of a company, by year and run (exit 2 if none)."""
    import json

    from csrscan.compare.db import history as load
    from csrscan.errors import InputError

    db = db or _config_db(config)
    rows = load(db, company)
    if not rows:
        raise InputError(f"no results for company {company!r}", path=str(db))
    if fmt is HistoryFormat.json:
        typer.echo(json.dumps([{"run_id": r.run_id, "started_utc": r.started_utc,
                                "company": r.company, "year": r.year, "path": r.path,
                                "sha256": r.sha256, "pack_version": r.pack_version,
                                "score": r.score, "levels": dict(r.levels)} for r in rows],
                              ensure_ascii=False, indent=2))
        return
    _print_history(rows)


def _config_db(config: Path | None) -> Path:
    from csrscan.check.config import Config
    from csrscan.errors import ConfigError

    cfg = Config.resolve(Path.cwd(), config)
    if not cfg.db:
        where = ", ".join(cfg.files) or "no config file found"
        raise ConfigError(f"no database: give --db FILE or set `db:` in the config ({where})")
    return Path(cfg.db)


def _print_history(rows: list) -> None:  # type: ignore[type-arg]
    from rich.markup import escape
    from rich.table import Table

    from csrscan.compare.formats.matrix import LEVEL_MARK, LEVEL_STYLE

    topics = [t for t, _ in rows[0].levels]
    table = Table(title_justify="left", title="csrscan history",
                  caption=" ".join(f"T{n}={t}" for n, t in enumerate(topics, 1)),
                  caption_justify="left")
    table.add_column("company", no_wrap=True)
    for col in ("year", "run", "score", *(f"T{n}" for n in range(1, len(topics) + 1))):
        table.add_column(col, no_wrap=True)
    table.add_column("path", overflow="fold")
    for r in rows:
        levels = dict(r.levels)
        marks = [f"[{LEVEL_STYLE[levels[t]]}]{LEVEL_MARK[levels[t]]} {levels[t]}[/]"
                 if t in levels else "" for t in topics]
        table.add_row(escape(r.company), str(r.year or "?"), f"{r.run_id} {r.started_utc}",
                      f"{r.score:.2f}", *marks, escape(r.path))
    from csrscan.cli.common import console_text, emit, make_console

    console = make_console()
    console.print(table)
    emit(console_text(console), None)


@cache_app.command("info")
def cache_info() -> None:
    """Print the cache folder, extractor version, entries and size."""
    from csrscan.cachedir import cache_root
    from csrscan.ingest.cache import cache_info as info

    i = info(cache_root())
    typer.echo(f"folder: {i.root}\nextractor version: {i.version}\nentries: {i.entries}\n"
               f"stale entries (other versions): {i.stale_entries}\nsize: {i.bytes} bytes")


@cache_app.command("clear")
def cache_clear() -> None:
    """Delete every cached document (all extractor versions)."""
    from csrscan.cachedir import cache_root
    from csrscan.ingest.cache import cache_clear as clear

    root = cache_root()
    typer.echo(f"removed {clear(root)} cached documents from {root}")
