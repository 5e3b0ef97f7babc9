"""Matrix → a rich terminal table that fits the console, then failures and trends.

The widest layout that fits is chosen, so no column is squeezed to `c…`:
every topic its own column with the file path; without the path (the rows
numbered, their paths listed under the table); or the topic levels in one
column of marks (T1…T12 read left to right).  Company names wrap, they are
never cut.
"""

from __future__ import annotations

from typing import Any

from csrscan.compare.formats.matrix import LEVEL_MARK, LEVEL_NAME, LEVEL_STYLE, trend_change
from csrscan.compare.matrix import Matrix

COMPANY_MIN = 12  # cells a company name keeps however narrow the console


def layout(matrix: Matrix, width: int) -> str:
    """"full", "no-path" or "compact": the widest that fits `width` cells."""
    from rich.cells import cell_len

    company = min(max((cell_len(r.company or "?") for r in matrix.rows), default=7), 24)
    company += 11 if any(r.identity.guessed for r in matrix.rows) else 0
    path = max((len(r.path) for r in matrix.rows), default=4)
    topics = sum(len(f"T{n}") + 3 for n in range(1, len(matrix.topics) + 1))
    base = company + 3 + 4 + 3 + 5 + 3 + 1  # company, year, score, the outer border
    if base + topics + path + 3 <= width:
        return "full"
    number = len(str(len(matrix.rows))) + 3
    if base + topics + number <= width:
        return "no-path"
    return "compact"


def print_matrix(matrix: Matrix, console: Any) -> None:
    """The matrix as a rich table, then failures and trends."""
    from rich.markup import escape
    from rich.table import Table

    shape = layout(matrix, console.width)
    table = Table(title=f"csrscan compare · pack {matrix.pack_id} {matrix.pack_version}",
                  title_justify="left")
    if shape != "full":
        table.add_column("#", justify="right", no_wrap=True)
    table.add_column("company", overflow="fold", min_width=COMPANY_MIN)
    table.add_column("year", justify="right", no_wrap=True)
    if shape == "compact":
        table.add_column(f"T1…T{len(matrix.topics)}", no_wrap=True)
    else:
        for n, _ in enumerate(matrix.topics, start=1):
            table.add_column(f"T{n}", justify="center", no_wrap=True)
    table.add_column("score", justify="right", no_wrap=True)
    if shape == "full":
        table.add_column("path", overflow="fold")
    for n, r in enumerate(matrix.rows, start=1):
        marks = [f"[{LEVEL_STYLE[lv]}]{LEVEL_MARK[lv]}[/]" for lv in r.levels]
        guess = " [dim](guessed)[/]" if r.identity.guessed else ""
        cells = [escape(r.company or "?") + guess, str(r.year or "?"),
                 *(["".join(marks)] if shape == "compact" else marks), f"{r.score:.2f}"]
        table.add_row(*([str(n)] if shape != "full" else []), *cells,
                      *([escape(r.path)] if shape == "full" else []))
    console.print(table)
    if shape != "full":  # the paths the table had no room for, by row number
        for n, r in enumerate(matrix.rows, start=1):
            console.print(f"{n:>{len(str(len(matrix.rows)))}} {escape(r.path)}", highlight=False)
    legend = "  ".join(f"T{n}={t.id}" for n, t in enumerate(matrix.topics, start=1))
    console.print(f"[dim]{escape(legend)}  ● covered ◐ partial ○ missing[/]")
    console.print(f"{len(matrix.rows)} scanned, {len(matrix.failures)} failed")
    for f in matrix.failures:
        console.print(f"[red]failed[/] {escape(f.path)}: {escape(f'[{f.kind}]')} "
                      f"{escape(f.error)}", highlight=False)
    _print_trends(matrix, console)
    if matrix.shows:
        from csrscan.compare.formats.research import print_research

        print_research(matrix, console)


def _print_trends(matrix: Matrix, console: Any) -> None:
    from rich.markup import escape

    changed = [t for t in matrix.trends if t.gained or t.lost or t.from_level != t.to_level]
    if not matrix.trends:
        return
    console.print(f"\n[bold]Trends[/] ({len(changed)} topic changes between years)")
    for t in changed:
        arrow = {"up": "[green]▲[/]", "down": "[red]▼[/]", "same": "="}[trend_change(t)]
        parts = [f"+{g}" for g in t.gained] + [f"-{x}" for x in t.lost]
        console.print(f"  {escape(t.company)} {t.from_year}→{t.to_year} {t.topic}: "
                      f"{LEVEL_NAME[t.from_level]} → {LEVEL_NAME[t.to_level]} {arrow} "
                      f"{escape(' '.join(parts))}", highlight=False)
