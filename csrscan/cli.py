"""Command line: parse options, run the pipeline, render, map errors to exit codes.

Exit codes (README, docs/cli.md): 0 scanned / policy holds; 1 policy failed
(`check`); 2 usage, input, rules or config error; 3 internal error (a bug);
130 interrupted.
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
import signal
import sys
from collections.abc import Iterable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from . import __version__
from .errors import CsrscanError

if TYPE_CHECKING:
    from .ingest import IngestOptions
    from .models import Pack, Report

EXIT_OK, EXIT_POLICY, EXIT_ERROR, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_PIPE = 128 + 13  # stdout's reader went away (`| head`): the command ends as by SIGPIPE
FILE_WIDTH = 200
GC_THRESHOLD = 100_000  # allocations between collections of the youngest objects (default 700)

HELP = """Check what a Chinese CSR / ESG report discloses, topic by topic.

`csrscan REPORT` is short for `csrscan scan REPORT`.

Exit codes: 0 scanned (check: policy holds), 1 check: policy failed,
2 usage, input, rules or config error, 3 internal error."""

app = typer.Typer(help=HELP, no_args_is_help=True, add_completion=False,
                  context_settings={"help_option_names": ["-h", "--help"]},
                  pretty_exceptions_enable=False, rich_markup_mode=None)


class ScanFormat(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"csrscan {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: Annotated[bool, typer.Option(
        "--version", "-V", callback=_version, is_eager=True,
        help="Print the version and exit.")] = False) -> None:
    """Check what a Chinese CSR / ESG report discloses."""


RulesOpt = Annotated[Optional[list[Path]], typer.Option(
    "--rules", metavar="PATH", help="Add a rule pack (folder or YAML file); repeatable.")]
PackOpt = Annotated[Optional[str], typer.Option(
    "--pack", metavar="ID", help="Rule pack to use (default: cn-fin-csr, or the last --rules).")]
EncodingOpt = Annotated[Optional[str], typer.Option(
    help="Text encoding of .txt/.md input (default: detected).")]
PasswordOpt = Annotated[Optional[str], typer.Option(help="Password of an encrypted PDF.")]
OcrOpt = Annotated[bool, typer.Option("--ocr", help="OCR PDF pages without a text layer.")]
MaxPagesOpt = Annotated[int, typer.Option(help="Refuse PDFs with more pages.")]
MaxBytesOpt = Annotated[int, typer.Option(help="Refuse inputs larger than this many bytes.")]


JobsOpt = Annotated[Optional[int], typer.Option(
    "--jobs", "-j", min=1, help="Processes sharing one PDF (default: the CPU count; "
    "PDFs of 50+ pages are split, shorter ones of 8+ pages are read ahead).")]


def ingest_options(encoding: str | None, password: str | None, ocr: bool,
                   max_pages: int, max_bytes: int, jobs: int | None = 1) -> IngestOptions:
    """The ingest settings; `jobs` None means one process per available core."""
    from .forked import available_cores
    from .ingest import IngestOptions

    return IngestOptions(encoding=encoding, password=password, ocr=ocr, max_pages=max_pages,
                         max_bytes=max_bytes, jobs=jobs or available_cores())


def load_pack(pack: str | None, rules: list[Path] | None) -> Pack:
    from .rules import select_pack

    return select_pack(pack, rules or ())


def scan_one(path: str, pack: Pack, options: IngestOptions) -> Report:
    """Scan a path, or standard input when path is '-'."""
    from .pipeline import scan_bytes, scan_path

    if path == "-":
        return scan_bytes(sys.stdin.buffer.read(options.max_bytes + 1), "<stdin>", pack, options)
    from .batch import display_path

    return scan_path(display_path(path), pack, options)


@app.command()
def scan(
    report: Annotated[str, typer.Argument(metavar="REPORT",
                                          help="Report file (.pdf .docx .txt .md .html) or '-'.")],
    fmt: Annotated[ScanFormat, typer.Option("--format", "-f", help="Output format.")
                   ] = ScanFormat.table,
    evidence: Annotated[bool, typer.Option("--evidence", "-e",
                                           help="Quote the evidence with page:line.")] = False,
    all_evidence: Annotated[bool, typer.Option("--all-evidence",
                                               help="With --evidence: every quote.")] = False,
    output: Annotated[Optional[Path], typer.Option("--output", "-o",
                                                   help="Write to a file.")] = None,
    rules: RulesOpt = None, pack: PackOpt = None, encoding: EncodingOpt = None,
    password: PasswordOpt = None, ocr: OcrOpt = False,
    max_pages: MaxPagesOpt = 2000, max_bytes: MaxBytesOpt = 256 * 2**20,
    jobs: JobsOpt = None,
) -> None:
    """Scan one report and print the gap table: each topic covered / partial / missing."""
    result = scan_one(report, load_pack(pack, rules),
                      ingest_options(encoding, password, ocr, max_pages, max_bytes, jobs))
    emit(render_scan(result, fmt.value, evidence, all_evidence, output), output)


def render_scan(report: Report, fmt: str, evidence: bool, all_evidence: bool,
                output: Path | None) -> str | Iterable[str] | None:
    """Render for a file or stdout; the table prints itself and returns None."""
    from . import render

    if fmt == "json":
        return render.json_chunks(report)  # written a topic at a time: less memory
    if fmt == "markdown":
        return render.render_markdown(report, evidence)
    from .render_table import print_report

    console = make_console(output)
    print_report(report, console, evidence, all_evidence)
    return str(console.export_text()) if output else None


class OutputClosed(Exception):
    """The reader of stdout went away (`csrscan … | head`): the output is cut short."""


def make_console(output: Path | None = None) -> Any:
    from rich.console import Console

    class PipeConsole(Console):
        def on_broken_pipe(self) -> None:  # rich's own exits 1, check's "policy fails"
            raise OutputClosed

    if output is not None:
        # a file gets a fixed, wide layout: deterministic and no folded paths
        return PipeConsole(record=True, width=FILE_WIDTH, file=io.StringIO(), color_system=None)
    if not sys.stdout.isatty() and "COLUMNS" not in os.environ:
        return PipeConsole(highlight=False, width=FILE_WIDTH)  # pipes: no squeezed columns
    return PipeConsole(highlight=False)


def emit(text: str | Iterable[str] | None, output: Path | None) -> None:
    """Write rendered output, given whole or in pieces, to stdout or a file."""
    if text is None:
        return
    pieces = [text] if isinstance(text, str) else text
    if output is None:
        try:
            for piece in pieces:
                sys.stdout.write(piece)
        except BrokenPipeError:
            raise OutputClosed from None
        return
    try:
        with output.open("w", encoding="utf-8") as fh:
            for piece in pieces:
                fh.write(piece)
    except OSError as exc:
        raise CsrscanError(f"cannot write output: {exc.strerror}", path=str(output)) from None


# Registered by _register_subcommands (a test keeps the two in step).
SUBCOMMANDS = ("rules", "check", "diff", "baseline", "config", "compare", "history", "cache")


def _register_subcommands() -> None:
    """Sub-apps live in their own modules; imported here, when a command other
    than `scan` runs or the command list is shown (a plain scan skips the
    imports and typer's 10 ms of building them)."""
    if app.registered_groups:  # already done (main() called again in one process)
        return
    from .cli_check import baseline_app, check, config_app, diff
    from .cli_compare import compare
    from .cli_rules import rules_app
    from .cli_store import cache_app, history

    app.add_typer(rules_app, name="rules")
    app.command("check")(check)
    app.command("diff")(diff)
    app.add_typer(baseline_app, name="baseline")
    app.add_typer(config_app, name="config")
    app.command("compare")(compare)
    app.command("history")(history)
    app.add_typer(cache_app, name="cache")


def run() -> None:
    """The `csrscan` command: main(), then exit at once.

    A long scan leaves hundreds of thousands of objects whose one-by-one
    freeing at interpreter exit costs 30–60 ms: once the output is flushed
    and every file closed (main() closes them), there is nothing left to
    clean up, so the process ends without it (as mypy does). Library and
    test callers use main(), which exits normally.

    The cyclic garbage collector runs rarely here: a scan makes hundreds of
    thousands of objects (pages, sentences, evidence) that live to the end
    and form no cycles, and the default pace (a collection every 700
    allocations, the survivors rescanned again and again) cost 5–7 % of a
    long scan.  Cycles are still collected, every 100,000 allocations.
    """
    gc.set_threshold(GC_THRESHOLD, 50, 100)
    try:
        main()
        code: object = EXIT_OK
    except SystemExit as exc:
        code = exc.code
    if not isinstance(code, int):  # sys.exit(None) or a message, as SystemExit does
        if code is not None:
            print(code, file=sys.stderr)
        code = EXIT_OK if code is None else EXIT_ERROR
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the last of the output did not reach its reader
        code = EXIT_PIPE
    except OSError:
        pass
    with contextlib.suppress(OSError):
        sys.stderr.flush()
    if code == EXIT_PIPE:  # end as `cat` and `grep` do when their reader has gone
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGPIPE)
    os._exit(code)


def main(argv: list[str] | None = None) -> None:
    """Default to `scan`, map errors to exit codes (the `csrscan` command is run())."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and (args[0] == "-" or (not args[0].startswith("-")
                                    and args[0] not in (*SUBCOMMANDS, "scan"))):
        args.insert(0, "scan")
    if not args or args[0] != "scan":
        _register_subcommands()
    stdout = sys.stdout
    try:
        code = app(args=args, prog_name="csrscan", standalone_mode=False)
    except OutputClosed:
        sys.exit(EXIT_PIPE)
    except SystemExit:
        if sys.stdout is not stdout:  # click met a closed pipe: it swapped in a quiet stdout
            sys.exit(EXIT_PIPE)
        raise
    except CsrscanError as exc:
        typer.echo(f"csrscan: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        typer.echo("csrscan: interrupted", err=True)
        sys.exit(130)
    except typer.TyperException as exc:  # usage errors: click's message, exit 2
        exc.show()  # type: ignore[attr-defined]
        sys.exit(EXIT_ERROR)
    except Exception as exc:
        if os.environ.get("CSRSCAN_DEBUG"):
            raise
        typer.echo(f"csrscan: internal error: {type(exc).__name__}: {exc} "
                   "(set CSRSCAN_DEBUG=1 for a traceback; please report it)", err=True)
        sys.exit(EXIT_INTERNAL)
    sys.exit(code if isinstance(code, int) else EXIT_OK)
