"""Report → rich terminal table (the only renderer that imports rich).

Two layouts: the table, when the console has room for it (WIDE_AT columns),
and below that a compact one, a line a topic (status, found/total, strength,
name) with its missing indicators wrapped beneath, between names, never
inside one.  Column labels are the JSON field names (docs/json.md, "One
vocabulary").  Evidence: the label (page:line and grade) and the quote on one
line, a long quote wrapping under itself (a hanging indent).
"""

from __future__ import annotations

from typing import Any

from csrscan.models import Report, TopicResult
from csrscan.render.report import QUOTES_PER_INDICATOR, strongest, summary_line

STATUS_STYLE = {"covered": "bold green", "partial": "bold yellow", "missing": "bold red"}
BAR_WIDTH = 10
MAX_EVIDENCE_PER_INDICATOR = QUOTES_PER_INDICATOR
WIDE_AT = 100  # columns the full table needs to show names unfolded


def coverage_bar(score: float) -> str:
    filled = round(score * BAR_WIDTH)
    return "█" * filled + "░" * (BAR_WIDTH - filled)


def print_report(report: Report, console: Any, evidence: bool = False,
                 all_evidence: bool = False, quality: bool = False) -> None:
    """Print the gap table (and evidence) to a rich Console."""
    from rich.markup import escape

    src = report.source
    title = f"{escape(src.path)} · {src.format}, {src.pages} p., {src.script}"
    if console.width >= WIDE_AT:
        _print_table(report, console, title)
    else:
        _print_compact(report, console, title)
    console.print(summary_line(report))
    for w in sorted(report.warnings):
        console.print(f"[yellow]warning:[/] {escape(w)}", highlight=False)
    if quality:
        _print_quality(report, console)
    if evidence:
        _print_evidence(report, console, all_evidence)


def _print_table(report: Report, console: Any, title: str) -> None:
    from rich.table import Table

    table = Table(title=title, title_justify="left", expand=False)
    table.add_column("topic", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("found", justify="right", no_wrap=True)
    table.add_column("score", no_wrap=True)
    table.add_column("strength", no_wrap=True)
    table.add_column("missing", overflow="fold", ratio=1)
    for t in report.topics:
        table.add_row(*_row(t))
    console.print(table)


def percent(share: float | None) -> str:
    """A quality index as the tables show it: 67%, or — where there is no evidence."""
    return "—" if share is None else f"{share:.0%}"


def _print_quality(report: Report, console: Any) -> None:
    """`scan --quality`: the indices of docs/scoring.md, per topic and for the report."""
    from rich.table import Table

    from csrscan.score.quality import Quality, report_quality, topic_quality

    def cells(q: Quality) -> list[str]:
        return [str(q.sentences), percent(q.specificity), percent(q.quantitative),
                percent(q.cheap_talk)]
    table = Table(title="disclosure quality", title_justify="left", expand=False)
    table.add_column("topic", no_wrap=True)
    for name in ("sentences", "specificity", "quantitative", "cheap_talk"):  # JSON names
        table.add_column(name, justify="right", no_wrap=True)
    for t in report.topics:
        table.add_row(t.topic.id, *cells(topic_quality(t)))
    table.add_row("[bold]report[/]", *cells(report_quality(report.topics)))
    console.print(table)


def _row(t: TopicResult) -> list[str]:
    from rich.markup import escape

    found = sum(r.found for r in t.indicators)
    missing = ", ".join(r.indicator.name for r in t.indicators if not r.found)
    return [f"{escape(t.topic.name)}\n[dim]{escape(t.topic.id)}[/]",
            f"[{STATUS_STYLE[t.status]}]{t.status}[/]", f"{found}/{len(t.indicators)}",
            coverage_bar(t.score), strongest(t), escape(missing) or "—"]


def _print_compact(report: Report, console: Any, title: str) -> None:
    from rich.cells import cell_len
    from rich.markup import escape

    console.print(title, highlight=False)
    console.print("[dim]status   found  strength     topic[/]")
    for t in report.topics:
        found = sum(r.found for r in t.indicators)
        head = (f"[{STATUS_STYLE[t.status]}]{t.status:<8}[/] "
                f"{f'{found}/{len(t.indicators)}':>5}  {strongest(t):<11}  ")
        name = escape(t.topic.name)
        room = console.width - 29 - cell_len(t.topic.name)
        ident = f" [dim]{escape(t.topic.id)}[/]" if room > len(t.topic.id) else ""
        console.print(head + name + ident, highlight=False)
        missing = [r.indicator.name for r in t.indicators if not r.found]
        for line in wrap_names(missing, console.width - 4, "missing: "):
            console.print(f"    [dim]{escape(line)}[/]", highlight=False)


def wrap_names(names: list[str], width: int, lead: str = "") -> list[str]:
    """Names joined by ', ' in lines of at most `width` cells, broken between
    names only (a name longer than a line stands alone); continuation lines
    are indented under the first name."""
    from rich.cells import cell_len

    lines: list[str] = []
    indent = " " * len(lead)
    current = lead
    for n, name in enumerate(names):
        piece = name + ("," if n < len(names) - 1 else "")
        bare = current in (lead, indent)
        if not bare and cell_len(current) + 1 + cell_len(piece) > width:
            lines.append(current)
            current, bare = indent, True
        current += piece if bare else " " + piece
    if names:
        lines.append(current)
    return lines


def _print_evidence(report: Report, console: Any, all_evidence: bool) -> None:
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    for t in report.topics:
        if not any(r.found for r in t.indicators):
            continue
        console.print(f"\n[bold]{escape(t.topic.name)}[/] [dim]{escape(t.topic.id)}[/] — "
                      f"{t.status}")
        for r in t.indicators:
            if not r.found:
                continue
            console.print(f"  [cyan]{escape(r.indicator.name)}[/] [dim]{r.indicator.id}[/]")
            shown = r.evidence if all_evidence else r.evidence[:MAX_EVIDENCE_PER_INDICATOR]
            # a grid: the quote's column wraps under itself, never under the label
            grid = Table.grid(padding=(0, 1, 0, 0))
            grid.add_column(no_wrap=True)
            grid.add_column(no_wrap=True)
            grid.add_column(overflow="fold", ratio=1)
            for e in shown:
                quote = Text(e.text.strip())
                quote.highlight_words(_terms_in_quote(e.text, e.terms), "bold magenta")
                grid.add_row("   ", Text(f"p.{e.page}:{e.line} [{e.strength}]"), quote)
            console.print(grid)
            if len(shown) < len(r.evidence):
                console.print(f"    [dim]… {len(r.evidence) - len(shown)} more "
                              "(--all-evidence shows all)[/]")


def _terms_in_quote(text: str, terms: tuple[str, ...]) -> list[str]:
    """Terms are normalized; highlight their spans in the original quote."""
    from csrscan.render.html_common import term_spans

    return sorted({text[a:b] for a, b in term_spans(text, terms)})
