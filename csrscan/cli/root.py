"""Command line: parse options, run the pipeline, render, map errors to exit codes.

Exit codes (README, docs/cli.md): 0 scanned / policy holds; 1 policy failed
(`check`); 2 usage, input, rules or config error; 3 internal error (a bug);
130 interrupted.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from csrscan.cli.common import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_MEMORY_TEXT,
    DEFAULT_MAX_PAGES,
    EXIT_ERROR,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_PIPE,
    AttachmentsOpt,
    EncodingOpt,
    JobsOpt,
    MaxBytesOpt,
    MaxMemoryOpt,
    MaxPagesOpt,
    OcrOpt,
    OutputClosed,
    PackOpt,
    PasswordOpt,
    RulesOpt,
    ScanTimeoutOpt,
    console_text,
    emit,
    format_option,
    ingest_options,
    load_pack,
    make_console,
    scan_one,
    stdout_failed,
)
from csrscan.errors import CsrscanError
from csrscan.version import __version__

if TYPE_CHECKING:
    from csrscan.models import Report

GC_THRESHOLD = 100_000  # allocations between collections of the youngest objects (default 700)

HELP = """Check what a Chinese CSR / ESG report discloses, topic by topic.

`csrscan REPORT` is short for `csrscan scan REPORT`.

Exit codes: 0 scanned (check: policy holds), 1 check: policy failed,
2 usage, input, rules or config error, 3 internal error."""

APP_SETTINGS: dict[str, Any] = {
    "help": HELP, "no_args_is_help": True, "add_completion": False,
    "context_settings": {"help_option_names": ["-h", "--help"]},
    "pretty_exceptions_enable": False, "rich_markup_mode": None}
app = typer.Typer(**APP_SETTINGS)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"csrscan {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: Annotated[bool, typer.Option(
        "--version", "-V", callback=_version, is_eager=True,
        help="Print the version and exit.")] = False) -> None:
    """Check what a Chinese CSR / ESG report discloses."""


@app.command()
def scan(
    report: Annotated[str, typer.Argument(metavar="REPORT",
                                          help="Report file (.pdf .docx .txt .md .html) or '-'.")],
    fmt: Annotated[str, format_option("scan")] = "table",
    evidence: Annotated[bool, typer.Option("--evidence", "-e",
                                           help="Quote the evidence with page:line.")] = False,
    all_evidence: Annotated[bool, typer.Option("--all-evidence",
                                               help="Quote every piece of evidence "
                                               "(implies --evidence).")] = False,
    output: Annotated[Optional[Path], typer.Option("--output", "-o",
                                                   help="Write to a file.")] = None,
    quality: Annotated[bool, typer.Option(
        "--quality", help="Table: also print the disclosure-quality indices per topic "
        "(JSON always holds them).")] = False,
    rules: RulesOpt = None, pack: PackOpt = None, encoding: EncodingOpt = None,
    password: PasswordOpt = None, ocr: OcrOpt = False,
    max_pages: MaxPagesOpt = DEFAULT_MAX_PAGES, max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    jobs: JobsOpt = None, max_memory: MaxMemoryOpt = DEFAULT_MAX_MEMORY_TEXT,
    timeout: ScanTimeoutOpt = 0.0,
    attachments: AttachmentsOpt = False,
) -> None:
    """Scan one report and print the gap table: each topic covered / partial / missing."""
    result = scan_one(report, load_pack(pack, rules),
                      ingest_options(encoding, password, ocr, max_pages, max_bytes, jobs,
                                     max_memory, timeout, attachments))
    # --all-evidence alone asks for quotes too (it used to print none without -e)
    emit(render_scan(result, fmt, evidence or all_evidence, all_evidence, output, quality),
         output)


def render_scan(report: Report, fmt: str, evidence: bool, all_evidence: bool,
                output: Path | None, quality: bool = False) -> str | Iterable[str] | None:
    """Render for a file or stdout; a console format prints itself and returns None."""
    from csrscan import formats

    chosen = formats.get("scan", fmt)
    if chosen.kind != "console":
        return chosen.load()(report, evidence, all_evidence)  # type: ignore[no-any-return]
    console = make_console(output)
    try:
        # only asked for when set: a console format registered without it still works
        chosen.load()(report, console, evidence, all_evidence, **({"quality": True}
                                                                   if quality else {}))
    except OSError as exc:  # stdout on a full disk (a closed pipe is OutputClosed)
        raise stdout_failed(exc) from None
    return console_text(console)


# The names _subcommands lists (a test keeps the two in step).
SUBCOMMANDS = ("rules", "check", "diff", "baseline", "config", "compare", "history", "cache",
               "tag")


def _subcommands() -> list[tuple[str, Any]]:
    """(name, command function or sub-app), in the order the help lists them.

    Sub-apps live in their own modules; imported here, when a command other
    than `scan` runs or the command list is shown (a plain scan skips the
    imports and typer's 10 ms of building them)."""
    from csrscan.cli.baseline import baseline_app
    from csrscan.cli.check import check, config_app, diff
    from csrscan.cli.compare import compare
    from csrscan.cli.rules import rules_app
    from csrscan.cli.store import cache_app, history
    from csrscan.cli.tag import tag

    return [("rules", rules_app), ("check", check), ("diff", diff), ("baseline", baseline_app),
            ("config", config_app), ("compare", compare), ("history", history),
            ("cache", cache_app), ("tag", tag)]


def _register_subcommands() -> None:
    if app.registered_groups:  # already done (main() called again in one process)
        return
    for name, target in _subcommands():
        if isinstance(target, typer.Typer):
            app.add_typer(target, name=name)
        else:
            app.command(name)(target)


def _app_for(args: list[str]) -> typer.Typer:
    """The app that runs `args`: for the root's own help, a twin listing the
    commands without building their options (cli/listing.py)."""
    if args in ([], ["-h"], ["--help"]):
        from csrscan.cli.listing import listing_app

        return listing_app(APP_SETTINGS, _root, [("scan", scan), *_subcommands()])
    if not args or args[0] != "scan":
        _register_subcommands()
    return app


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
        if sys.stdout is not None:
            sys.stdout.flush()
    except BrokenPipeError:  # the last of the output did not reach its reader
        code = EXIT_PIPE
    except OSError as exc:  # a full disk or a closed descriptor: the output is cut short
        with contextlib.suppress(OSError):
            print(f"csrscan: error: {stdout_failed(exc)}", file=sys.stderr)
        code = code or EXIT_ERROR
    except ValueError:  # stdout closed before the command began: nothing was written
        code = code or EXIT_ERROR
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
        from csrscan.cli.usage import near_command

        near = near_command(args[0], (*SUBCOMMANDS, "scan"))
        if near:  # `csrscan chek draft.md`: a typo, not a report file
            typer.echo(f"csrscan: error: unknown command {args[0]!r} (did you mean {near!r}?); "
                       "try 'csrscan -h'", err=True)
            sys.exit(EXIT_ERROR)
        args.insert(0, "scan")
    if os.environ.get("CSRSCAN_DEBUG"):  # what the library logs: e.g. why a split scan gave way
        import logging

        logging.basicConfig(level=logging.DEBUG, stream=sys.stderr,
                            format="csrscan: debug: %(name)s: %(message)s")
    stdout = sys.stdout
    if stdout is None:  # started with stdout closed (`csrscan r.pdf >&-`)
        typer.echo("csrscan: error: <stdout>: standard output is closed", err=True)
        sys.exit(EXIT_ERROR)
    try:
        if args in (["--version"], ["-V"]):  # answered before typer builds every command (~40 ms)
            emit(f"csrscan {__version__}\n", None)
            code = EXIT_OK
        else:
            code = _app_for(args)(args=args, prog_name="csrscan", standalone_mode=False)
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
        sys.exit(EXIT_INTERRUPTED)
    except typer.TyperException as exc:  # usage errors: click's message, exit 2
        from csrscan.cli.usage import usage_line

        typer.echo(usage_line(exc), err=True)
        sys.exit(EXIT_ERROR)
    except Exception as exc:
        if os.environ.get("CSRSCAN_DEBUG"):
            raise
        typer.echo(f"csrscan: internal error: {type(exc).__name__}: {exc} "
                   "(set CSRSCAN_DEBUG=1 for a traceback; please report it)", err=True)
        sys.exit(EXIT_INTERNAL)
    if code == EXIT_INTERRUPTED:  # typer turns Ctrl-C into a quiet return of 130
        typer.echo("csrscan: interrupted", err=True)
    sys.exit(code if isinstance(code, int) else EXIT_OK)
