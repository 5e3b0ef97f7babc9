"""A huge text's parts (ingest/text_parts.py) normalized one at a time.

A text over the parts threshold is read as parts that all are its page 1; its
stages take them one by one, so memory holds one part's normalized text, not
the whole text's.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from csrscan.models import NormPage, Page
from csrscan.text.furniture import (
    ANY_LONG_LINE,
    Line,
    furniture_view,
    printed_pages,
    repeated_furniture,
    surely_no_furniture,
)
from csrscan.text.normalize import clean_normpage, page_to_lines


def is_parts(pages: Sequence[Page]) -> bool:
    """The pages are the parts of one huge text (ingest/text_parts.py): all page 1."""
    return len(pages) > 1 and all(p.number == pages[0].number for p in pages)


def _view(part: Page) -> list[Line]:
    """furniture_view of the part's lines; long lines of prose (a one-line
    text's) are told from the raw text, only the others normalized for it."""
    raw = part.text.split("\n")
    sure = list(map(surely_no_furniture, raw))
    if all(sure):
        return [Line(part.first_line + i, "", ANY_LONG_LINE) for i in range(len(raw))]
    others = [r for r, s in zip(raw, sure, strict=True) if not s]
    view = iter(furniture_view(page_to_lines(Page(part.number, "\n".join(others)))))
    return [Line(part.first_line + i, "", ANY_LONG_LINE if s else next(view).norm)
            for i, s in enumerate(sure)]


def parts_to_normpages(parts: list[Page]) -> Iterator[NormPage]:
    """A huge text's parts normalized one at a time, as they are asked for;
    `parts` is emptied as they are (its caller may hold the only reference).

    Its furniture is that of the whole text (its lines are read twice: a
    first pass keeps only what the furniture search looks at); a sentence cut
    by a part's end is not carried over, so a part's text stays bounded."""
    lines = [ln for part in parts for ln in _view(part)]
    furniture = repeated_furniture(printed_pages(lines))
    del lines
    parts.reverse()
    while parts:
        part = parts.pop()
        yield clean_normpage(part, page_to_lines(part), furniture)
