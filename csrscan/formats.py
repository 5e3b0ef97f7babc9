"""Every output format of every command, in one registry.

A format is a function in a module of its mode (`render/`, `check/formats/`,
`compare/formats/`), named here as "module:function" and imported only when
it is used, so that `--help` stays instant.  Adding a format is one module
and one line in FORMATS: the commands' `--format` choices and help, the
config's `format:` key and docs/cli.md all read this list.

What a format's function takes depends on its mode and kind:

| mode | kind | called as |
| --- | --- | --- |
| scan | text | fn(report, evidence, all_evidence) -> str or an iterable of str |
| scan | console | fn(report, console, evidence, all_evidence): prints to a rich Console |
| check, diff | text | fn(result) -> str |
| compare | text | fn(matrix) -> str |
| compare | console | fn(matrix, console) |
| compare | file | fn(matrix, path): writes the file itself (needs -o) |
| compare | stream | none: written while the batch runs (the JSONL journal) |
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from csrscan.errors import ConfigError

Mode = Literal["scan", "check", "diff", "compare"]
Kind = Literal["text", "console", "file", "stream"]


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    mode: Mode
    target: str  # "module:function" ("" for a stream)
    help: str
    kind: Kind = "text"
    quotes: bool = False  # compare: shows evidence quotes, so workers must send them

    def load(self) -> Callable[..., Any]:
        """The format's function (its module imported now)."""
        module, _, function = self.target.partition(":")
        return getattr(importlib.import_module(module), function)  # type: ignore[no-any-return]


_CHECK = "csrscan.check.formats"
_MATRIX = "csrscan.compare.formats"
FORMATS: tuple[Format, ...] = (
    Format("table", "scan", "csrscan.render.table:print_report", "the gap table", "console"),
    Format("json", "scan", "csrscan.render.report:json_chunks", "csrscan.report/1 JSON"),
    Format("markdown", "scan", "csrscan.render.report:render_markdown", "the table as Markdown"),
    Format("html", "scan", "csrscan.render.html_report:render_html",
           "an offline page: chart, topic cards, evidence, gaps"),
    Format("table", "check", f"{_CHECK}.text:render_check_table", "verdict and findings"),
    Format("json", "check", f"{_CHECK}.text:render_check_json", "csrscan.check/1 JSON"),
    Format("markdown", "check", f"{_CHECK}.text:render_check_markdown", "a PR comment"),
    Format("sarif", "check", f"{_CHECK}.sarif:render_sarif", "SARIF 2.1.0, for code scanning"),
    Format("junit", "check", f"{_CHECK}.junit:render_junit", "JUnit XML, for test reports"),
    Format("github", "check", f"{_CHECK}.github:render_github", "GitHub Actions annotations"),
    Format("gitlab", "check", f"{_CHECK}.gitlab:render_gitlab", "GitLab Code Quality JSON"),
    Format("rdjson", "check", f"{_CHECK}.rdjson:render_rdjson", "reviewdog rdjson"),
    Format("rdjsonl", "check", f"{_CHECK}.rdjson:render_rdjsonl", "reviewdog rdjsonl"),
    Format("concise", "check", f"{_CHECK}.concise:render_concise",
           "path:line: severity rule: message"),
    Format("table", "diff", "csrscan.check.diff:render_diff_table", "what changed"),
    Format("json", "diff", "csrscan.check.diff:render_diff_json", "csrscan.diff/1 JSON"),
    Format("markdown", "diff", "csrscan.check.diff:render_diff_markdown", "a PR comment"),
    Format("concise", "diff", f"{_CHECK}.diffci:render_diff_concise",
           "path:line: severity rule: message, per regression"),
    Format("rdjson", "diff", f"{_CHECK}.diffci:render_diff_rdjson", "reviewdog rdjson"),
    Format("rdjsonl", "diff", f"{_CHECK}.diffci:render_diff_rdjsonl", "reviewdog rdjsonl"),
    Format("table", "compare", f"{_MATRIX}.table:print_matrix", "the matrix", "console"),
    Format("csv", "compare", f"{_MATRIX}.matrix:render_csv", "one row a report"),
    Format("json", "compare", f"{_MATRIX}.matrix:render_json", "csrscan.matrix/1 JSON"),
    Format("jsonl", "compare", "", "one report per line, streamed", "stream"),
    Format("xlsx", "compare", f"{_MATRIX}.xlsx:write_xlsx", "a workbook (needs -o)", "file",
           quotes=True),
    Format("html", "compare", f"{_MATRIX}.html:render_html", "an offline page", quotes=True),
)


def names(mode: Mode) -> tuple[str, ...]:
    """The format names of a command, in registry order."""
    return tuple(f.name for f in FORMATS if f.mode == mode)


def get(mode: Mode, name: str) -> Format:
    """The format `name` of a command; ConfigError naming the known ones otherwise."""
    for f in FORMATS:
        if f.mode == mode and f.name == name:
            return f
    raise ConfigError(f"unknown format {name!r} (known: {', '.join(names(mode))})")


def help_text(mode: Mode) -> str:
    """`--format`'s help: every format with what it is."""
    return "Output format: " + "; ".join(f"{f.name}: {f.help}" for f in FORMATS
                                          if f.mode == mode) + "."
