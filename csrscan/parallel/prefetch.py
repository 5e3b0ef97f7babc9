"""Pages read ahead while the parent builds the tokenizer (split.py's first step).

Every process that matches needs the pack's tokenizer, and building it takes
~0.1 s (rjieba loads jieba's dictionary holding the GIL, so no thread can
overlap it).  split.py builds it once, before forking its helpers, which
inherit it; during the build the other cores would idle.  So first, for each
boundary between two parts, a reader is forked that reads the pages beside
the boundary, outward and alternately (b-1, b, b-2, b+1, …), until the parent
says stop.  Reading (PDFium's text, the lines) needs no tokenizer.  (A PDF
too short to split is scanned in one process, with the partial tokenizer:
nothing to overlap.)

The pages below a boundary then join the part before it, those above it the
part after it: each part still normalizes and matches exactly its own range,
and the parts are left with about as many pages each to read themselves.  A
reader that fails or dies hands over nothing, and the parts read those pages.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from csrscan.ingest.pdf import PageReader
from csrscan.match.compiled import HAN
from csrscan.models import Page
from csrscan.parallel import forked
from csrscan.text.normalize import Line, page_to_lines

Issues = dict[str, list[int]]  # problem kind → page numbers, as ingest_pdf reports them
STOP = "stop"
# A reader stops after the page it is on.  One that takes longer to answer
# (a page that needs the pdfminer fallback) is killed: the parts read its pages.
PATIENCE = 0.25  # seconds


@dataclass(slots=True)
class Ahead:
    """Pages read ahead for one part, in page order, with their lines and problems."""

    pages: list[Page] = field(default_factory=list)
    lines: list[list[Line]] = field(default_factory=list)
    issues: Issues = field(default_factory=dict)

    def add(self, page: Page) -> None:
        self.pages.append(page)
        self.lines.append(page_to_lines(page))

    # Sent as plain tuples: unpickling thousands of slotted dataclasses costs 3× as much.
    def __getstate__(self) -> tuple[Any, ...]:
        return ([(p.number, p.text, p.origin, p.first_line) for p in self.pages],
                [[(ln.number, ln.orig, ln.norm) for ln in lines] for lines in self.lines],
                self.issues)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        pages, lines, self.issues = state
        self.pages = [Page(*p) for p in pages]
        self.lines = [[Line(*ln) for ln in page_lines] for page_lines in lines]


def merge_issues(into: Issues, more: Issues) -> Issues:
    for kind, numbers in more.items():
        into.setdefault(kind, []).extend(numbers)
    return into


def start(doc: Any, data: bytes, password: str | None, bounds: Sequence[tuple[int, int]],
          *, read: bool = True) -> list[forked.Helper | None]:
    """A reader for each boundary between the parts `bounds`, reading until
    `stop`; with `read` False, none (None each)."""
    return [forked.start(_read_around, doc, data, password, window) if read else None
            for window in windows(bounds)]


def stop(readers: Sequence[forked.Helper | None]) -> list[tuple[Ahead, Ahead]]:
    """Stop the readers; for each boundary, (the pages read below it, those above it)."""
    for reader in readers:
        if reader is not None:
            reader.send(STOP)
    deadline = time.monotonic() + PATIENCE  # one wait for all: they stop at once
    out = []
    try:
        for reader in readers:
            answer = None
            if reader is not None:
                answer = reader.recv(timeout=max(0.0, deadline - time.monotonic()))
            out.append(answer if answer is not None else (Ahead(), Ahead()))
    finally:
        for reader in readers:
            if reader is not None:
                reader.close()
    return out


def windows(bounds: Sequence[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """(lowest, boundary, highest + 1) page index each reader may read.

    A reader goes as far as the next boundary, or halfway to it when another
    reader comes from there."""
    cuts = [lo for lo, _ in bounds] + [bounds[-1][1]]
    last = len(cuts) - 2
    out = []
    for i in range(1, last + 1):
        below = cuts[i - 1] if i == 1 else (cuts[i - 1] + cuts[i]) // 2
        above = cuts[i + 1] if i == last else (cuts[i] + cuts[i + 1]) // 2
        out.append((below, cuts[i], above))
    return out


def outward(window: tuple[int, int, int], stopped: Callable[[], bool]) -> Iterator[int]:
    """b-1, b, b-2, b+1, … inside the window, until `stopped()`: the pages left
    to read on the two sides stay equal, one side's end aside."""
    below, boundary, above = window
    down, up = boundary - 1, boundary
    while (down >= below or up < above) and not stopped():
        if down >= below and (boundary - 1 - down <= up - boundary or up >= above):
            yield down
            down -= 1
        else:
            yield up
            up += 1


def _read_around(conn: forked.Channel, doc: Any, data: bytes, password: str | None,
                 window: tuple[int, int, int]) -> None:
    """A reader's side: read outward until stopped, then send both sides."""
    below, above = Ahead(), Ahead()
    boundary = window[1]
    pages = PageReader.of(doc, data, password)
    for index in outward(window, conn.waiting):
        (below if index < boundary else above).add(pages.read(index))
    conn.recv()  # the parent's stop, if the window ran out before it came
    below.pages.reverse()  # read downward: put in page order
    below.lines.reverse()
    for kind, numbers in pages.issues.by_kind.items():
        for number in numbers:  # page numbers are 1-based, the boundary an index
            (below if number <= boundary else above).issues.setdefault(kind, []).append(number)
    conn.send((below, above))


def han_in_sample(doc: Any, count: int) -> bool:
    """Whether pages spread over the PDF hold Chinese characters, the sign
    that the parts will need the tokenizer (a part that needs it anyway
    builds its own)."""
    for index in sorted({0, count // 4, count // 2, 3 * count // 4}):
        page = doc[index]
        textpage = page.get_textpage()
        try:
            if HAN.search(textpage.get_text_range()):
                return True
        finally:
            textpage.close()
            page.close()
    return False
