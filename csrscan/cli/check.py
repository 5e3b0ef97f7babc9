"""`csrscan check`, `csrscan diff`, `csrscan config show` (baseline: cli/baseline.py).

Exit codes (docs/check.md): 0 the policy holds, 1 it does not (check; diff
with --fail-on-regression), 2 usage, input, rules or config error.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from csrscan.cli.common import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_MEMORY_TEXT,
    DEFAULT_MAX_PAGES,
    MaxBytesOpt,
    MaxMemoryOpt,
    MaxPagesOpt,
    PasswordOpt,
    ScanTimeoutOpt,
    format_option,
)

if TYPE_CHECKING:
    from csrscan.check.config import Config
    from csrscan.check.evaluate import CheckResult
    from csrscan.models import Pack, Report

config_app = typer.Typer(help="Show the effective configuration.", no_args_is_help=True)


FilesArg = Annotated[list[Path], typer.Argument(
    metavar="FILES...", help="Report drafts (.md .txt .docx .pdf …).")]
ConfigOpt = Annotated[Optional[Path], typer.Option(
    "--config", "-c", metavar="FILE",
    help="Config file (.yaml or pyproject.toml); layered over the discovered one.")]
NoConfigOpt = Annotated[bool, typer.Option(
    "--no-config", help="Do not look for .csrscan.yaml / pyproject.toml.")]
PackOpt = Annotated[Optional[str], typer.Option("--pack", metavar="ID", help="Rule pack id.")]
RulesOpt = Annotated[Optional[list[Path]], typer.Option(
    "--rules", metavar="PATH", help="Add a rule pack (folder or YAML file); repeatable.")]
RequireOpt = Annotated[Optional[list[str]], typer.Option(
    "--require", metavar="TOPIC=LEVEL",
    help="Require a topic (or '*') at least at missing/partial/covered; repeatable.")]
IndicatorOpt = Annotated[Optional[list[str]], typer.Option(
    "--require-indicator", metavar="ID", help="Require an indicator to be found; repeatable.")]
MinScoreOpt = Annotated[Optional[float], typer.Option(
    "--min-score", metavar="X", help="Minimum overall score, 0 to 1.")]
SeverityOpt = Annotated[Optional[list[str]], typer.Option(
    "--severity", metavar="TOPIC=SEV", help="Severity of a topic's gaps: error/warning/info.")]
FailOnOpt = Annotated[Optional[str], typer.Option(
    "--fail-on", metavar="SEV", help="Fail on gaps at least this severe: error (default), "
    "warning, info, never.")]
BaselineOpt = Annotated[Optional[Path], typer.Option(
    "--baseline", metavar="FILE", help="Fail only on gaps not in this baseline file.")]
OutputOpt = Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to a file.")]
EncodingOpt = Annotated[Optional[str], typer.Option(help="Encoding of .txt/.md input.")]
OcrOpt = Annotated[bool, typer.Option("--ocr", help="OCR PDF pages without a text layer.")]


def start_dir(paths: list[Path]) -> Path:
    """Discovery starts in the deepest folder holding every checked file."""
    if not paths:
        return Path.cwd()
    folders = [str(p.resolve() if p.is_dir() else p.resolve().parent) for p in paths]
    return Path(os.path.commonpath(folders))


def resolve_config(paths: list[Path], config: Path | None, no_config: bool,
                   flags: dict[str, Any]) -> Config:
    from csrscan.check.config import Config

    return Config.resolve(start_dir(paths), config, flags, discover=not no_config)


def policy_flags(pack: str | None, rules: list[Path] | None, require: list[str] | None,
                 indicators: list[str] | None, min_score: float | None,
                 severity: list[str] | None, fail_on: str | None) -> dict[str, Any]:
    return {"pack": pack, "rules": tuple(str(r) for r in rules or ()),
            "policy.require": require or (), "policy.require_indicators": indicators or (),
            "policy.min_score": min_score, "policy.severity": severity or (),
            "policy.fail_on": fail_on}


def make_scanner(encoding: str | None, ocr: bool, password: str | None = None,
                 max_pages: int = DEFAULT_MAX_PAGES, max_bytes: int = DEFAULT_MAX_BYTES,
                 max_memory: str | None = DEFAULT_MAX_MEMORY_TEXT,
                 timeout: float = 0.0) -> Any:
    """Each draft scanned as `csrscan scan` would, with the same ingest options."""
    from csrscan.cli.common import ingest_options, scan_one

    options = ingest_options(encoding, password, ocr, max_pages, max_bytes, jobs=None,
                             max_memory=max_memory, timeout=timeout)

    def scanner(path: str, pack: Pack) -> Report:
        return scan_one(path, pack, options)

    return scanner


def choose_format(flag: str | None, config: Config) -> str:
    """--format, else the config's format, else github on GitHub Actions, else table."""
    if flag is not None:
        return flag
    if config.format:
        return config.format
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "table"


def render_check(result: CheckResult, fmt: str) -> str:
    from csrscan import formats

    return formats.get("check", fmt).load()(result)  # type: ignore[no-any-return]


def check(
    files: FilesArg,
    fmt: Annotated[Optional[str], format_option(
        "check", "Default: the config's, else github when GITHUB_ACTIONS=true, else table."
    )] = None,
    output: OutputOpt = None, config: ConfigOpt = None, no_config: NoConfigOpt = False,
    pack: PackOpt = None, rules: RulesOpt = None, require: RequireOpt = None,
    require_indicator: IndicatorOpt = None, min_score: MinScoreOpt = None,
    severity: SeverityOpt = None, fail_on: FailOnOpt = None, baseline: BaselineOpt = None,
    encoding: EncodingOpt = None, ocr: OcrOpt = False, password: PasswordOpt = None,
    max_pages: MaxPagesOpt = DEFAULT_MAX_PAGES, max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    max_memory: MaxMemoryOpt = DEFAULT_MAX_MEMORY_TEXT, timeout: ScanTimeoutOpt = 0.0,
) -> None:
    """Check drafts against the disclosure policy: exit 0 holds, 1 fails, 2 error.

    The policy comes from .csrscan.yaml / .csrscan.yml / [tool.csrscan] in
    pyproject.toml (found from the drafts' folder upward), then --config, then
    the flags; without any `policy.require`, every topic must be at least
    partial. Suppressed (<!-- csrscan-disable ID: reason -->) and baselined
    gaps are listed but do not fail. Reference: docs/check.md, docs/ci.md.
    """
    from csrscan.check.evaluate import run_check
    from csrscan.check.formats.github import append_step_summary
    from csrscan.cli.common import emit

    flags = policy_flags(pack, rules, require, require_indicator, min_score, severity, fail_on)
    flags["format"] = fmt
    flags["baseline"] = str(baseline) if baseline else None
    cfg = resolve_config(files, config, no_config, flags)
    scanner = make_scanner(encoding, ocr, password, max_pages, max_bytes, max_memory, timeout)
    result = run_check([str(f) for f in files], cfg, scanner)
    emit(render_check(result, choose_format(fmt, cfg)), output)
    append_step_summary(result)
    raise typer.Exit(result.exit_code)


def diff(
    old: Annotated[Path, typer.Argument(metavar="OLD", help="The earlier revision.")],
    new: Annotated[Path, typer.Argument(metavar="NEW", help="The later revision.")],
    fmt: Annotated[str, format_option("diff")] = "table",
    output: OutputOpt = None,
    fail_on_regression: Annotated[bool, typer.Option(
        "--fail-on-regression", help="Exit 1 when a topic level drops or an indicator is "
        "lost (default: always exit 0).")] = False,
    config: ConfigOpt = None, no_config: NoConfigOpt = False,
    pack: PackOpt = None, rules: RulesOpt = None,
    encoding: EncodingOpt = None, ocr: OcrOpt = False,
    show_all: Annotated[bool, typer.Option(
        "--all", help="Markdown: list every topic, not only those that changed.")] = False,
) -> None:
    """What NEW gained and lost against OLD: topic levels, indicators, evidence.

    Exit 0 (2 on errors); with --fail-on-regression, 1 when a topic's level
    dropped or an indicator was lost. Markdown output suits a PR comment: it
    lists only the topics that changed unless --all is given.
    """
    from dataclasses import replace

    from csrscan import formats
    from csrscan.check import diff as d
    from csrscan.cli.common import emit
    from csrscan.packs.select import select_pack

    cfg = resolve_config([old, new], config, no_config,
                         {"pack": pack, "rules": tuple(str(r) for r in rules or ())})
    rule_pack = select_pack(cfg.pack, cfg.rules)
    scanner = make_scanner(encoding, ocr)
    result = replace(d.diff_reports(scanner(str(old), rule_pack), scanner(str(new), rule_pack)),
                     show_all=show_all)
    emit(formats.get("diff", fmt).load()(result), output)
    raise typer.Exit(1 if fail_on_regression and result.regression else 0)


@config_app.command("show")
def config_show(
    paths: Annotated[Optional[list[Path]], typer.Argument(
        metavar="[PATHS]...", help="Resolve as `check PATHS` would (default: here).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    config: ConfigOpt = None, no_config: NoConfigOpt = False,
    pack: PackOpt = None, rules: RulesOpt = None, require: RequireOpt = None,
    require_indicator: IndicatorOpt = None, min_score: MinScoreOpt = None,
    severity: SeverityOpt = None, fail_on: FailOnOpt = None,
    fmt: Annotated[Optional[str], format_option("check")] = None,
    baseline: BaselineOpt = None,
) -> None:
    """Print the effective config and where each value came from; validates ids.

    Precedence: defaults < discovered file < --config < flags (docs/check.md).
    """
    from csrscan.check.config_show import render_config
    from csrscan.check.evaluate import load_config_pack

    flags = policy_flags(pack, rules, require, require_indicator, min_score, severity, fail_on)
    flags["format"] = fmt
    flags["baseline"] = str(baseline) if baseline else None
    cfg = resolve_config(paths or [], config, no_config, flags)
    rule_pack = load_config_pack(cfg)
    typer.echo(render_config(cfg, rule_pack, as_json), nl=False)


@config_app.command("schema")
def config_schema() -> None:
    """Print the JSON Schema of .csrscan.yaml (for editors)."""
    import json

    from csrscan.check.config import config_schema as schema

    typer.echo(json.dumps(schema(), ensure_ascii=False, indent=2))
