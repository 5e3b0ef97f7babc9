"""Report → rich terminal table (the only renderer that imports rich)."""

from __future__ import annotations

from typing import Any

from csrscan.models import Report, TopicResult
from csrscan.render.report import strongest, summary_line

STATUS_STYLE = {"covered": "bold green", "partial": "bold yellow", "missing": "bold red"}
BAR_WIDTH = 10
MAX_EVIDENCE_PER_INDICATOR = 3


def coverage_bar(score: float) -> str:
    filled = round(score * BAR_WIDTH)
    return "█" * filled + "░" * (BAR_WIDTH - filled)


def print_report(report: Report, console: Any, evidence: bool = False,
                 all_evidence: bool = False, quality: bool = False) -> None:
    """Print the gap table (and evidence) to a rich Console."""
    from rich.table import Table

    src = report.source
    table = Table(title=f"{src.path} · {src.format}, {src.pages} p., {src.script}",
                  title_justify="left", expand=False)
    table.add_column("topic", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("found", justify="right", no_wrap=True)
    table.add_column("coverage", no_wrap=True)
    table.add_column("depth", no_wrap=True)
    table.add_column("missing indicators", overflow="fold", ratio=1)
    for t in report.topics:
        table.add_row(*_row(t))
    console.print(table)
    console.print(summary_line(report))
    for w in sorted(report.warnings):
        console.print(f"[yellow]warning:[/] {w}", highlight=False)
    if quality:
        _print_quality(report, console)
    if evidence:
        _print_evidence(report, console, all_evidence)


def _print_quality(report: Report, console: Any) -> None:
    """`scan --quality`: the indices of docs/scoring.md, per topic and for the report."""
    from rich.table import Table

    from csrscan.score.quality import Quality, report_quality, topic_quality

    def pct(v: float | None) -> str:
        return "—" if v is None else f"{v:.0%}"

    def cells(q: Quality) -> list[str]:
        return [str(q.sentences), pct(q.specificity), pct(q.quantitative), pct(q.cheap_talk)]
    table = Table(title="disclosure quality", title_justify="left", expand=False)
    table.add_column("topic", no_wrap=True)
    for name in ("sentences", "specificity", "quantitative", "cheap talk"):
        table.add_column(name, justify="right", no_wrap=True)
    for t in report.topics:
        table.add_row(t.topic.id, *cells(topic_quality(t)))
    table.add_row("[bold]report[/]", *cells(report_quality(report.topics)))
    console.print(table)


def _row(t: TopicResult) -> list[str]:
    found = sum(r.found for r in t.indicators)
    missing = ", ".join(r.indicator.name for r in t.indicators if not r.found)
    return [f"{t.topic.name}\n[dim]{t.topic.id}[/]",
            f"[{STATUS_STYLE[t.status]}]{t.status}[/]", f"{found}/{len(t.indicators)}",
            coverage_bar(t.score), strongest(t), missing or "—"]


def _print_evidence(report: Report, console: Any, all_evidence: bool) -> None:
    from rich.markup import escape
    from rich.text import Text

    for t in report.topics:
        if not any(r.found for r in t.indicators):
            continue
        console.print(f"\n[bold]{t.topic.name}[/] [dim]{t.topic.id}[/] — {t.status}")
        for r in t.indicators:
            if not r.found:
                continue
            console.print(f"  [cyan]{escape(r.indicator.name)}[/] [dim]{r.indicator.id}[/]")
            shown = r.evidence if all_evidence else r.evidence[:MAX_EVIDENCE_PER_INDICATOR]
            for e in shown:
                line = Text(f"    p.{e.page}:{e.line} [{e.strength}] ")
                quote = Text(e.text.strip())
                quote.highlight_words(_terms_in_quote(e.text, e.terms), "bold magenta")
                console.print(line + quote)
            if len(shown) < len(r.evidence):
                console.print(f"    [dim]… {len(r.evidence) - len(shown)} more "
                              "(--all-evidence shows all)[/]")


def _terms_in_quote(text: str, terms: tuple[str, ...]) -> list[str]:
    """Terms are normalized; highlight their spans in the original quote."""
    from csrscan.text.normalize import fold_width, to_simplified

    norm = to_simplified(fold_width(text)).lower()
    out = []
    for term in terms:
        start = norm.find(term)
        if start >= 0 and len(norm) == len(text):
            out.append(text[start:start + len(term)])
    return out
