"""`csrscan rules …`: list, show, validate, test and document rule packs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

if TYPE_CHECKING:
    from csrscan.models import Pack

rules_app = typer.Typer(help="List, show, validate, test and document rule packs.",
                        no_args_is_help=True, rich_markup_mode=None)

RulesOpt = Annotated[Optional[list[Path]], typer.Option(
    "--rules", metavar="PATH", help="Add a rule pack (folder or YAML file); repeatable.")]


def _pack(pack_id: str | None, rules: list[Path] | None) -> Pack:
    from csrscan.cli.common import (
        load_pack,  # the one place the CLI turns --pack/--rules into a Pack
    )

    return load_pack(pack_id, rules)


@rules_app.command("list")
def list_rules(pack: Annotated[Optional[str], typer.Argument(help="Pack id.")] = None,
               rules: RulesOpt = None) -> None:
    """List the available packs, or the topics and indicators of one pack."""
    from csrscan.packs.load import discover_packs, load_pack

    if pack is None and not rules:
        for pid, path in sorted(discover_packs().items()):
            p = load_pack(path)
            typer.echo(f"{pid}\t{p.version}\t{len(p.topics)} topics, "
                       f"{len(p.indicators)} indicators\t{p.name}")
        return
    p = _pack(pack, rules)
    for topic in p.topics:
        typer.echo(f"{topic.id}\t{topic.name}")
        for ind in topic.indicators:
            typer.echo(f"  {ind.id}\t{ind.name}")


@rules_app.command("show")
def show(rule_id: Annotated[str, typer.Argument(metavar="ID", help="Topic or indicator id.")],
         pack: Annotated[Optional[str], typer.Option("--pack")] = None,
         rules: RulesOpt = None) -> None:
    """Show one topic or indicator: names, references, patterns, examples."""
    from csrscan.errors import RuleError
    from csrscan.packs.doc import indicator_markdown, topic_markdown

    p = _pack(pack, rules)
    for topic in p.topics:
        if topic.id == rule_id:
            typer.echo(topic_markdown(topic))
            return
        for ind in topic.indicators:
            if ind.id == rule_id:
                typer.echo(indicator_markdown(ind))
                return
    raise RuleError(f"no topic or indicator {rule_id!r} in pack {p.id}")


@rules_app.command("validate")
def validate(paths: Annotated[list[Path], typer.Argument(help="Pack folders or YAML files.")]
             ) -> None:
    """Validate rule packs against the schema; exit 2 on the first error.
    Regexes that may backtrack without end (nested quantifiers) are warned about."""
    from csrscan.packs.load import load_pack
    from csrscan.packs.regexlint import pack_warnings

    for path in paths:
        p = load_pack(path)
        for warning in pack_warnings(p):
            typer.echo(f"csrscan: warning: {warning}", err=True)
        typer.echo(f"{path}: ok ({p.id} {p.version}, {len(p.topics)} topics, "
                   f"{len(p.indicators)} indicators)")


@rules_app.command("test")
def test(pack: Annotated[Optional[str], typer.Argument(help="Pack id.")] = None,
         rules: RulesOpt = None,
         verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False) -> None:
    """Run every indicator's pass/fail examples; exit 1 if any fails."""
    from csrscan.packs.examples import pack_examples

    p = _pack(pack, rules)
    results = pack_examples(p)
    failed = [r for r in results if not r.ok]
    for r in results if verbose else failed:
        mark = "ok  " if r.ok else "FAIL"
        why = "no pass and fail examples" if r.kind == "missing" else r.text
        typer.echo(f"{mark} {r.indicator} [{r.kind}] {why}"
                   + (f"  (found: {', '.join(r.found) or 'nothing'})" if not r.ok else ""))
    typer.echo(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    if failed:
        raise typer.Exit(1)


@rules_app.command("doc")
def doc(pack: Annotated[Optional[str], typer.Argument(help="Pack id.")] = None,
        rules: RulesOpt = None) -> None:
    """Print the pack's reference as Markdown (docs/rules.md is made by this)."""
    from csrscan.packs.doc import pack_markdown

    typer.echo(pack_markdown(_pack(pack, rules)), nl=False)


@rules_app.command("schema")
def schema() -> None:
    """Print the JSON Schema of rule files (for editors)."""
    from csrscan.packs.load import schema_path

    typer.echo(schema_path().read_text(encoding="utf-8"), nl=False)
