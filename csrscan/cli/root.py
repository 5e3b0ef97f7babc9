"""Command line: parse options, run the pipeline, render, map errors to exit codes.

Exit codes (README, docs/cli.md): 0 scanned / policy holds; 1 policy failed
(`check`); 2 usage, input, rules or config error; 3 internal error (a bug);
130 interrupted.
"""

from __future__ import annotations

import contextlib
import gc
import os
import re
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

app = typer.Typer(help=HELP, no_args_is_help=True, add_completion=False,
                  context_settings={"help_option_names": ["-h", "--help"]},
                  pretty_exceptions_enable=False, rich_markup_mode=None)


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


# Registered by _register_subcommands (a test keeps the two in step).
SUBCOMMANDS = ("rules", "check", "diff", "baseline", "config", "compare", "history", "cache",
               "tag")


def _register_subcommands() -> None:
    """Sub-apps live in their own modules; imported here, when a command other
    than `scan` runs or the command list is shown (a plain scan skips the
    imports and typer's 10 ms of building them)."""
    if app.registered_groups:  # already done (main() called again in one process)
        return
    from csrscan.cli.baseline import baseline_app
    from csrscan.cli.check import check, config_app, diff
    from csrscan.cli.compare import compare
    from csrscan.cli.rules import rules_app
    from csrscan.cli.store import cache_app, history
    from csrscan.cli.tag import tag

    app.add_typer(rules_app, name="rules")
    app.command("check")(check)
    app.command("diff")(diff)
    app.add_typer(baseline_app, name="baseline")
    app.add_typer(config_app, name="config")
    app.command("compare")(compare)
    app.command("history")(history)
    app.add_typer(cache_app, name="cache")
    app.command("tag")(tag)


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


def near_command(word: str) -> str | None:
    """The command a bare word is a near miss of, unless it names an existing path."""
    import difflib

    if os.path.exists(word) or "." in word or "/" in word:  # check.md is a (missing) file
        return None
    close = difflib.get_close_matches(word, (*SUBCOMMANDS, "scan"), n=1, cutoff=0.75)
    return close[0] if close else None


def usage_line(exc: Any) -> str:
    """A usage error in one line, with where to look: click prints three."""
    ctx = getattr(exc, "ctx", None)
    where = ctx.command_path if ctx is not None else "csrscan"
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    possible = getattr(exc, "possibilities", None)
    if possible and getattr(exc, "option_name", None):  # `--evidnce`: name the nearest
        import difflib

        near = difflib.get_close_matches(exc.option_name, possible, n=1, cutoff=0) or possible
        message = f"no such option: {exc.option_name} (did you mean {near[0]!r}?)"
    # click's sentences end in '.' and may add "Did you mean …?": one clause before the hint
    message = re.sub(r"\.?\s+Did you mean (.+)\?$", r" (did you mean \1?)", message.strip())
    return f"csrscan: error: {message.rstrip('.')}; try '{where} -h'"


def main(argv: list[str] | None = None) -> None:
    """Default to `scan`, map errors to exit codes (the `csrscan` command is run())."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and (args[0] == "-" or (not args[0].startswith("-")
                                    and args[0] not in (*SUBCOMMANDS, "scan"))):
        near = near_command(args[0])
        if near:  # `csrscan chek draft.md`: a typo, not a report file
            typer.echo(f"csrscan: error: unknown command {args[0]!r} (did you mean {near!r}?); "
                       "try 'csrscan -h'", err=True)
            sys.exit(EXIT_ERROR)
        args.insert(0, "scan")
    if not args or args[0] != "scan":
        _register_subcommands()
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
        sys.exit(EXIT_INTERRUPTED)
    except typer.TyperException as exc:  # usage errors: click's message, exit 2
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
