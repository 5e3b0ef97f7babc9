"""`csrscan baseline create` and `csrscan baseline update`.

A baseline records the gaps of today's drafts and the ratchet: each file's
score and topic levels. `check --baseline` then fails on new gaps and on a
score or topic level below the ratchet; `update` only raises it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from csrscan.cli.check import (
    ConfigOpt,
    EncodingOpt,
    FilesArg,
    IndicatorOpt,
    MinScoreOpt,
    NoConfigOpt,
    OcrOpt,
    PackOpt,
    RequireOpt,
    RulesOpt,
    SeverityOpt,
    make_scanner,
    policy_flags,
    resolve_config,
)

if TYPE_CHECKING:
    from csrscan.check.evaluate import CheckResult

DEFAULT = ".csrscan-baseline.json"
OUTPUT_HELP = f"Baseline file. Default: the config's `baseline:`, else {DEFAULT}."

baseline_app = typer.Typer(
    help="Record the current gaps and levels so that check fails only on new gaps or a "
         "falling score.", no_args_is_help=True)


def _current(files: list[Path], config: Path | None, no_config: bool,
             flags: dict[str, object], encoding: str | None, ocr: bool,
             output: Path | None) -> tuple[CheckResult, Path]:
    """The drafts checked without a baseline, and the baseline file: -o, else
    the config's `baseline:` (the file `check` reads), else the default."""
    from csrscan.check.evaluate import run_check

    cfg = resolve_config(files, config, no_config, flags)
    result = run_check([str(f) for f in files], cfg, make_scanner(encoding, ocr),
                       use_baseline=False)
    return result, output or Path(cfg.baseline or DEFAULT)


def _write(output: Path, text: str) -> None:
    from csrscan.cli.common import emit
    from csrscan.errors import CsrscanError

    try:
        output.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CsrscanError(f"cannot create folder: {exc.strerror}", path=str(output)) from None
    emit(text, output)


@baseline_app.command("create")
def baseline_create(
    files: FilesArg,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help=OUTPUT_HELP)
                      ] = None,
    config: ConfigOpt = None, no_config: NoConfigOpt = False,
    pack: PackOpt = None, rules: RulesOpt = None, require: RequireOpt = None,
    require_indicator: IndicatorOpt = None, min_score: MinScoreOpt = None,
    severity: SeverityOpt = None, encoding: EncodingOpt = None, ocr: OcrOpt = False,
) -> None:
    """Write the current gaps, scores and topic levels of FILES to a baseline file.

    `check --baseline FILE` (or `baseline:` in the config) then fails only on
    gaps that are not in it, or when a file's score or a topic's level falls
    below the recorded one. Paths are relative to the baseline's folder.
    """
    from csrscan.check.baseline import baseline_entries, render_baseline

    flags = policy_flags(pack, rules, require, require_indicator, min_score, severity, None)
    result, output = _current(files, config, no_config, flags, encoding, ocr, output)
    _write(output, render_baseline(result.findings, output, result.pack.id,
                                   [r.report for r in result.files]))
    typer.echo(f"wrote {len(baseline_entries(result.findings, output))} gap(s) and the "
               f"levels of {len(result.files)} file(s) to {output}", err=True)


@baseline_app.command("update")
def baseline_update(
    files: FilesArg,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help=OUTPUT_HELP)
                      ] = None,
    config: ConfigOpt = None, no_config: NoConfigOpt = False,
    pack: PackOpt = None, rules: RulesOpt = None, require: RequireOpt = None,
    require_indicator: IndicatorOpt = None, min_score: MinScoreOpt = None,
    severity: SeverityOpt = None, encoding: EncodingOpt = None, ocr: OcrOpt = False,
) -> None:
    """Move the baseline's ratchet up: never down, never accepting a new gap.

    Gaps fixed since the baseline leave it; new gaps are not added (use
    `baseline create` to accept them). Each file's recorded score and topic
    levels become the higher of the recorded and the current ones.
    """
    from csrscan.check.baseline import dump_baseline, read_baseline, update_baseline

    flags = policy_flags(pack, rules, require, require_indicator, min_score, severity, None)
    result, output = _current(files, config, no_config, flags, encoding, ocr, output)
    old = read_baseline(output)
    new = update_baseline(old, result.findings, [r.report for r in result.files], output,
                          result.pack.id)
    _write(output, dump_baseline(new))
    raised = sum(new.ratchet[k] != old.ratchet.get(k) for k in new.ratchet)
    typer.echo(f"updated {output}: {len(old.gaps) - len(new.gaps)} gap(s) fixed and dropped, "
               f"{len(new.gaps)} kept; ratchet raised for {raised} file(s)", err=True)
