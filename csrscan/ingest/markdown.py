"""Markdown -> plain text, line by line, never adding or removing a line.

Evidence cites file line numbers, so markup is stripped *in place*: a
heading stays on its line without its '#', a table row becomes its cells
joined by tabs, an HTML <table> keeps its rows on the lines they were
written on.  Lines that are pure markup (fences, rules, table delimiter
rows) become empty lines.
"""

from __future__ import annotations

import html
import re

from csrscan.ingest.quality import sanitize

_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}(\s+|$)")
_HEADING_TAIL = re.compile(r"\s+#+\s*$")
_RULE = re.compile(r"^\s{0,3}([-*_=])(\s*\1){2,}\s*$")
_QUOTE = re.compile(r"^\s{0,3}(>\s?)+")
_BULLET = re.compile(r"^(\s*)([-*+]|\d{1,9}[.)])\s+(\[[ xX]\]\s+)?")
_LINKDEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+.*$")
_TABLE_DELIM = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\](\([^)]*\)|\[[^\]]*\])")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EM_STAR = re.compile(r"\*(?=\S)(.+?)(?<=\S)\*")
_EM_UNDER = re.compile(r"(?<![A-Za-z0-9])_(?=\S)(.+?)(?<=\S)_(?![A-Za-z0-9])")
_STRIKE = re.compile(r"~~(.+?)~~")
_CODE = re.compile(r"`+([^`]*)`+")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_CELL_END = re.compile(r"</t[dh]\s*>|<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_COMMENT = re.compile(r"<!--.*?-->")


def strip_markdown(text: str) -> str:
    """Strip markup from every line; `len(result.split('\\n'))` is unchanged."""
    lines = text.split("\n")
    table_rows = _pipe_table_rows(lines)
    out: list[str] = []
    in_fence = in_comment = False
    for i, line in enumerate(lines):
        if _FENCE.match(line):
            in_fence = not in_fence
            out.append("")
        elif in_fence:
            out.append(line)  # code is shown verbatim
        else:
            line, in_comment = _drop_comments(line, in_comment)
            out.append(_strip_line(line, i in table_rows))
    assert len(out) == len(lines)
    return "\n".join(out)


def _pipe_table_rows(lines: list[str]) -> set[int]:
    """Indices of GFM table lines: header, delimiter and body rows."""
    rows: set[int] = set()
    for i, line in enumerate(lines):
        if "-" in line and _TABLE_DELIM.match(line) and ("|" in line or
                                                          "|" in lines[i - 1 if i else 0]):
            if i and "|" in lines[i - 1]:
                rows.add(i - 1)
            rows.add(i)
            j = i + 1
            while j < len(lines) and "|" in lines[j] and lines[j].strip():
                rows.add(j)
                j += 1
    return rows


def _drop_comments(line: str, in_comment: bool) -> tuple[str, bool]:
    """Remove HTML comments, which may span lines (their lines go blank)."""
    if in_comment:
        end = line.find("-->")
        if end < 0:
            return "", True
        line = line[end + 3:]
    line = _COMMENT.sub("", line)
    start = line.find("<!--")
    if start >= 0:
        return line[:start], True
    return line, False


def _strip_line(line: str, in_table: bool) -> str:
    if in_table:
        if _TABLE_DELIM.match(line):
            return ""
        return "\t".join(_inline(c.strip()) for c in _split_cells(line))
    if _RULE.match(line) or _LINKDEF.match(line):
        return ""
    line = _QUOTE.sub("", line)
    if _HEADING.match(line):
        line = _HEADING_TAIL.sub("", _HEADING.sub("", line))
    else:
        line = _BULLET.sub(r"\1", line)
    return _inline(line)


def _split_cells(line: str) -> list[str]:
    s = line.strip()
    s = s[1:] if s.startswith("|") else s
    s = s[:-1] if s.endswith("|") and not s.endswith("\\|") else s
    return re.split(r"(?<!\\)\|", s)


def _inline(text: str) -> str:
    if "<" in text:
        text = _AUTOLINK.sub(r"\1", text)
        # HTML tables inside Markdown: cell ends become tabs, so a row that
        # sits on one line reads as its cells in order.
        text = _CELL_END.sub("\t", text)
        text = _TAG.sub("", text)
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _CODE.sub(r"\1", text)
    text = _STRONG.sub(r"\2", text)
    text = _EM_STAR.sub(r"\1", text)
    text = _EM_UNDER.sub(r"\1", text)
    text = _STRIKE.sub(r"\1", text)
    text = _ESCAPE.sub(r"\1", text)
    if "&" in text:
        # '&#10;' must not smuggle a line break in
        text = sanitize(html.unescape(text)).replace("\n", " ")
    return text.rstrip("\t ") if "\t" in text else text
