"""What the commands share: exit codes, common options, loading a pack, scanning
one input, and writing output to stdout or a file."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from csrscan import formats
from csrscan.atomic import atomic_path
from csrscan.errors import CsrscanError, InputError
from csrscan.ingest.options import DEFAULT_MAX_BYTES as DEFAULT_MAX_BYTES
from csrscan.ingest.options import DEFAULT_MAX_PAGES as DEFAULT_MAX_PAGES
from csrscan.ingest.registry import suffixes

if TYPE_CHECKING:
    from csrscan.ingest.options import IngestOptions
    from csrscan.models import Pack, Report

EXIT_OK, EXIT_POLICY, EXIT_ERROR, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT
EXIT_PIPE = 128 + 13  # stdout's reader went away (`| head`): the command ends as by SIGPIPE
FILE_WIDTH = 200

RulesOpt = Annotated[Optional[list[Path]], typer.Option(
    "--rules", metavar="PATH", help="Add a rule pack (folder or YAML file); repeatable.")]
PackOpt = Annotated[Optional[str], typer.Option(
    "--pack", metavar="ID", help="Rule pack to use (default: cn-fin-csr, or the last --rules).")]
EncodingOpt = Annotated[Optional[str], typer.Option(
    help="Text encoding of .txt/.md input (default: detected).")]
PasswordOpt = Annotated[Optional[str], typer.Option(help="Password of an encrypted PDF.")]
OcrOpt = Annotated[bool, typer.Option("--ocr", help="OCR PDF pages without a text layer.")]
MaxPagesOpt = Annotated[int, typer.Option(help="Refuse PDFs with more pages.")]
PathsArg = Annotated[list[str], typer.Argument(
    metavar="PATHS...", help="Report files, folders (searched recursively for "
    f"{' '.join(suffixes())}) and glob patterns.")]


class ProgressMode(str, Enum):
    """How a batch (compare, tag) shows its progress on stderr."""

    auto = "auto"
    bar = "bar"
    plain = "plain"
    none = "none"



def parse_bytes(value: str | int) -> int:
    """--max-bytes: a size as --max-memory takes it (256MiB, 1GiB) or bytes."""
    if isinstance(value, int):  # the default
        return value
    size = parse_size(value)
    if size is None:
        raise typer.BadParameter(f"{value!r}: the limit must be above 0")
    return size


MaxBytesOpt = Annotated[int, typer.Option(
    metavar="SIZE", parser=parse_bytes,
    help="Refuse inputs larger than this (bytes, or e.g. 256MiB, 1GiB).")]


def parse_size(value: str | None) -> int | None:
    """'2GiB', '512MiB', '1G', '300M' or bytes; 0 is None (no cap)."""
    if value is None:
        return None
    units = {"": 1, "K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}
    text = value.strip().upper().removesuffix("B").removesuffix("I")
    unit = text[-1:] if text[-1:] in units else ""
    try:
        size = float(text[:-1] if unit else text) * units[unit]
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a size (e.g. 2GiB, 512MiB)") from None
    if size < 0 or size != size:
        raise typer.BadParameter(f"{value!r} is not a size (e.g. 2GiB, 512MiB)")
    return int(size) or None


MaxMemoryOpt = Annotated[Optional[str], typer.Option(
    "--max-memory", metavar="SIZE", help="Memory a process parsing one input may use "
    "(e.g. 2GiB, 512MiB; 0 = no cap); past it the input is refused as too large.")]
DEFAULT_MAX_MEMORY_TEXT = "2GiB"  # = ingest.options.DEFAULT_MAX_MEMORY
ScanTimeoutOpt = Annotated[float, typer.Option(
    "--timeout", min=0, help="Seconds the scan may take before it is stopped; 0 = no limit "
    "(a FIFO or device must give data within it, or 30 s).")]
AttachmentsOpt = Annotated[bool, typer.Option(
    "--attachments", help="Also read the PDF and .docx files embedded in a PDF (a portfolio); "
    "without it they are only named in a warning.")]


JobsOpt = Annotated[Optional[int], typer.Option(
    "--jobs", "-j", min=1, help="Processes sharing one PDF (default: the CPU count; "
    "PDFs of 50+ pages are split over them).")]


def format_option(mode: formats.Mode, note: str = "") -> Any:
    """`--format/-f` of a command: its choices and help come from the format registry."""
    known = formats.names(mode)

    def known_only(value: str | None) -> str | None:
        if value is not None and value not in known:
            raise typer.BadParameter(f"{value!r} is not one of {', '.join(known)}")
        return value
    return typer.Option("--format", "-f", metavar="[" + "|".join(known) + "]",
                        help=f"{formats.help_text(mode)} {note}".strip(), callback=known_only)


def ingest_options(encoding: str | None, password: str | None, ocr: bool,
                   max_pages: int, max_bytes: int, jobs: int | None = 1,
                   max_memory: str | None = DEFAULT_MAX_MEMORY_TEXT,
                   timeout: float | None = None, attachments: bool = False) -> IngestOptions:
    """The ingest settings; `jobs` None means one process per available core."""
    from csrscan.ingest import IngestOptions
    from csrscan.parallel.forked import available_cores

    return IngestOptions(encoding=encoding, password=password, ocr=ocr, max_pages=max_pages,
                         max_bytes=max_bytes, jobs=jobs or available_cores(),
                         max_memory=parse_size(max_memory), timeout=timeout or None,
                         attachments=attachments)


def load_pack(pack: str | None, rules: list[Path] | None) -> Pack:
    from csrscan.packs.select import select_pack

    return select_pack(pack, rules or ())


def scan_one(path: str, pack: Pack, options: IngestOptions) -> Report:
    """Scan a path, or standard input when path is '-'."""
    from csrscan.pipeline import scan_bytes, scan_path

    if path == "-":
        return scan_bytes(read_stdin(options.max_bytes + 1), "<stdin>", pack, options)
    from csrscan.compare.batch import display_path

    return scan_path(display_path(path), pack, options)


class OutputClosed(Exception):
    """The reader of stdout went away (`csrscan … | head`): the output is cut short."""


def make_console(output: Path | None = None) -> Any:
    """A rich Console for a console format: the terminal itself; else one that
    records, for `console_text` to hand to `emit` without rich's padding."""
    from rich.console import Console

    class PipeConsole(Console):
        def on_broken_pipe(self) -> None:  # rich's own exits 1, check's "policy fails"
            raise OutputClosed

    if output is not None:
        # a file gets a fixed, wide layout: deterministic and no folded paths
        return PipeConsole(record=True, width=FILE_WIDTH, file=io.StringIO(), color_system=None)
    if not sys.stdout.isatty():
        # a pipe: as wide as COLUMNS says, else wide (no squeezed columns)
        width = None if "COLUMNS" in os.environ else FILE_WIDTH
        return PipeConsole(record=True, highlight=False, width=width, file=io.StringIO(),
                           color_system=None)
    return PipeConsole(highlight=False)


def console_text(console: Any) -> str | None:
    """What a recording console printed, each line without the trailing spaces
    rich pads it with; None when it printed straight to the terminal."""
    if not console.record:
        return None
    return "\n".join(line.rstrip() for line in console.export_text().split("\n"))


def read_stdin(limit: int) -> bytes:
    """Standard input's bytes, at most `limit`; closed or unreadable is an input error."""
    if sys.stdin is None:  # started with stdin closed (`csrscan - <&-`)
        raise InputError("standard input is closed", path="<stdin>")
    try:
        data: bytes = sys.stdin.buffer.read(limit)
    except (OSError, ValueError) as exc:  # a closed or unreadable descriptor
        raise InputError(f"cannot read standard input: {getattr(exc, 'strerror', None) or exc}",
                         path="<stdin>") from None
    if len(data) >= limit:  # only `limit` bytes were read: the input's size is unknown
        raise InputError(f"standard input is larger than --max-bytes {limit - 1}",
                         path="<stdin>")
    return data


def stdout_failed(exc: OSError) -> CsrscanError:
    """The error of a standard output that takes no more (a full disk, a closed descriptor)."""
    return CsrscanError(f"cannot write output: {exc.strerror or exc}", path="<stdout>")


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
        except OSError as exc:
            raise stdout_failed(exc) from None
        return
    try:
        with atomic_path(output) as tmp, tmp.open("w", encoding="utf-8") as fh:
            for piece in pieces:
                fh.write(piece)
    except OSError as exc:
        raise CsrscanError(f"cannot write output: {exc.strerror}", path=str(output)) from None
