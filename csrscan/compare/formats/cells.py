"""Spreadsheet formula injection: text from a report never runs as a formula.

A CSV cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is
taken for a formula by Excel, LibreOffice and Sheets when the file is opened
(`=HYPERLINK(…)`, `@SUM(…)`, DDE such as `=cmd|' /C calc'!A0`). A company
name, a quote or a file name comes from an untrusted report, so such text
cells get a leading `'` (OWASP's "CSV injection" advice); numbers are never
touched: a negative score change stays a number (docs/compare.md, "Outputs").
XLSX needs no prefix: its cells carry a type, and xlsx.py writes such text
as a string, never as a formula.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# text that is only a number ("-3", "+0.5", "-12%"): a spreadsheet reads it as a
# number, never as a formula, so it keeps its sign
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?")


def csv_safe(value: Any) -> Any:
    """`value` for a CSV cell: text that a spreadsheet would run as a formula
    prefixed with `'`; numbers, and text that is only a number, as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_START) \
            and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_row(values: list[Any]) -> list[Any]:
    return [csv_safe(v) for v in values]
