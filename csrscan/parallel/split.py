"""One PDF on several cores: page ranges read, normalized and matched apart.

Before any of this, readers (prefetch.py) read the pages beside each range
boundary while the parent builds the tokenizer the helpers inherit.  A PDF
too short for two ranges is scanned in one process, as with `-j 1`: its
tokenizer is the partial one (text/tokens.py), a few milliseconds, so there
is nothing to overlap, and a reader and a full tokenizer only cost CPU
(12 pages: 0.56 s of CPU against 0.42 s in one process, and no faster).
Without a usable lexicon (a first run builds it, an unwritable cache) the
one process builds the full tokenizer itself, not overlapped: the same
result, once, a little later.

The sequential scan reads every page, then normalizes (running headers are
found by counting the top and bottom lines of *all* pages; a sentence cut
by a page break is carried back to the page it starts on), then segments and
matches.  Split, each part (the parent's first range, a forked helper per
later range) does nearly all of that for its own pages, and only two small
things cross between processes:

1. `read`: a part reads its pages and counts their edge lines; the parent
   adds up the counts of all parts, decides the furniture, reads the
   report's own short name off its first pages and sends both to every part;
2. `finish`: a part normalizes its pages, carries cut sentences across its
   *inner* page breaks, matches its inner pages and sends back that
   evidence, plus the few pages whose carry-over crosses into the parts
   beside it.  The parent joins those across the part boundaries, in page
   order, and matches them itself.

Why this is the sequential result: carry-over between pages j-1 and j reads
only the end of page j-1 and the start of page j, and cuts page j no further
than its first line break.  So once a page has a line break, what happens at
its start and at its end are independent, and a part can do its inner page
breaks from its first page with a line break on (`PartResult.head` holds the
pages before that, still uncarried).  Evidence of a page depends only on
that page and the short name.  `tests/test_split.py` checks the output equals
the sequential scan, including helpers that fail or die (their part is then
done by the parent).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Any

from csrscan.errors import CsrscanError
from csrscan.ingest import IngestOptions, sha256_hex
from csrscan.ingest.pdf import has_text, issue_warnings, open_pdf, page_count, read_pages
from csrscan.match.sentences import warm_matcher
from csrscan.models import Evidence, NormPage, Pack, Page, Report
from csrscan.parallel import forked, prefetch
from csrscan.stages import FRONT_PAGES, front_names, make_report, pages_to_evidence, source_info
from csrscan.text.normalize import (
    Line,
    carry_chain,
    clean_normpage,
    edge_counts,
    furniture_of,
    han_share_of,
    letter_counts,
    page_to_lines,
    script_counts,
    script_from,
)
from csrscan.text.segment import tokenizer_built

log = logging.getLogger(__name__)

Counts = tuple[int, int]
_EVIDENCE_ROW = attrgetter(*(f.name for f in fields(Evidence)))  # Evidence(*row) rebuilds it


@dataclass(frozen=True, slots=True)
class PartRead:
    """What the parent needs of a part's pages before anything is normalized."""

    edges: Counter[str]
    issues: dict[str, list[int]]
    chars: int
    has_text: bool


@dataclass(slots=True)
class Tally:
    """Evidence and the document-wide counts of some final pages."""

    evidence: list[Evidence] = field(default_factory=list)
    script: Counts = (0, 0)    # normalize.script_counts
    letters: Counts = (0, 0)   # normalize.letter_counts
    has_text: bool = False     # some page has normalized text

    def add_pages(self, pages: Sequence[NormPage], pack: Pack, names: tuple[str, ...]
                  ) -> None:
        self.add(Tally(list(pages_to_evidence(pages, pack, names)), script_counts(pages),
                       letter_counts(pages), any(p.norm.strip() for p in pages)))

    def add(self, other: Tally) -> None:
        self.evidence += other.evidence
        self.script = (self.script[0] + other.script[0], self.script[1] + other.script[1])
        self.letters = (self.letters[0] + other.letters[0],
                        self.letters[1] + other.letters[1])
        self.has_text = self.has_text or other.has_text

    # Sent between processes as plain tuples: unpickling tens of thousands of
    # slotted dataclasses field by field costs the parent 3× as much.
    def __getstate__(self) -> tuple[Any, ...]:
        return list(map(_EVIDENCE_ROW, self.evidence)), self.script, self.letters, self.has_text

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        rows, self.script, self.letters, self.has_text = state
        self.evidence = [Evidence(*row) for row in rows]


@dataclass(frozen=True, slots=True)
class PartResult:
    """A part's pages after normalizing and matching.

    `head`: its first pages up to the first with a line break, their carry-over
    with the page before not yet done; `tail`: its last page (None if it is in
    `head`), waiting for the next part's first page; `inner`: the pages in
    between, final.
    """

    head: tuple[NormPage, ...]
    tail: NormPage | None
    inner: Tally


@dataclass(slots=True)
class Part:
    """Pages lo..hi-1 of an open PDF, worked on in one process; `before` and
    `after` are its first and last pages if a reader read them (prefetch.py)."""

    doc: Any
    data: bytes
    password: str | None
    lo: int
    hi: int
    before: prefetch.Ahead = field(default_factory=prefetch.Ahead)
    after: prefetch.Ahead = field(default_factory=prefetch.Ahead)
    pages: list[Page] = field(default_factory=list)
    lines: list[list[Line]] = field(default_factory=list)
    normed: list[NormPage] = field(default_factory=list)

    def read(self) -> PartRead:
        before, after = self.before, self.after
        own = range(self.lo + len(before.pages), self.hi - len(after.pages))
        pages, own_issues = read_pages(self.doc, self.data, self.password, own)
        self.pages = [*before.pages, *pages, *after.pages]
        self.lines = [*before.lines, *map(page_to_lines, pages), *after.lines]
        issues: prefetch.Issues = {}  # new lists: the ones read ahead stay as they were
        for more in (before.issues, own_issues, after.issues):
            prefetch.merge_issues(issues, more)
        return PartRead(edge_counts(self.lines), issues, sum(len(p.text) for p in self.pages),
                        has_text(self.pages, issues))

    def normalize(self, furniture: frozenset[str]) -> list[NormPage]:
        if not self.normed:
            if not self.lines:
                self.read()  # a helper failed: its part is done here
            self.normed = [clean_normpage(page, lines, furniture)
                           for page, lines in zip(self.pages, self.lines, strict=True)]
            self.pages, self.lines = [], []  # the normalized pages hold the text now
        return self.normed

    def front(self, furniture: frozenset[str]) -> list[NormPage]:
        """The first pages normalized, and the next one, which may carry a sentence back."""
        ahead = zip(self.pages[:FRONT_PAGES + 1], self.lines, strict=False)
        return [clean_normpage(page, lines, furniture) for page, lines in ahead]

    def finish(self, furniture: frozenset[str], names: tuple[str, ...], pack: Pack
               ) -> PartResult:
        head, inner, tail = carry_inside(self.normalize(furniture))
        tally = Tally()
        tally.add_pages(inner, pack, names)
        return PartResult(tuple(head), tail, tally)


def carry_inside(pages: Sequence[NormPage]
                 ) -> tuple[list[NormPage], list[NormPage], NormPage | None]:
    """A part's own carry-over: (head, inner, tail), see PartResult.

    From the first page with a line break on, every inner page break is
    carried over here; the pages before it wait for the page before the part.
    """
    pages = list(pages)
    first = next((k for k, p in enumerate(pages) if "\n" in p.norm), len(pages) - 1)
    carry_chain(pages, first + 1)
    if first == len(pages) - 1:
        return pages, [], None
    return pages[:first + 1], pages[first + 1:-1], pages[-1]


def carry_across(parts: Sequence[tuple[Sequence[NormPage], NormPage | None]]
                 ) -> list[list[NormPage]]:
    """Carry-over at the part boundaries, from each part's (head, tail).

    Item i holds the pages made final just before part i's inner pages; the
    extra last item, the document's last pages.
    """
    out: list[list[NormPage]] = []
    pending: list[NormPage] = []
    for head, tail in parts:
        chain = [*pending, *head]
        carry_chain(chain)
        done, pending = (chain, [tail]) if tail is not None else (chain[:-1], chain[-1:])
        out.append(done)
    return [*out, pending]


def scan_pdf(data: bytes, name: str, pack: Pack, options: IngestOptions) -> Report | None:
    """The scan of a PDF on `options.jobs` processes; None when it does not apply
    (one job, too few pages for two parts, no forking here): then scan sequentially.

    Any failure but the input's own (a CsrscanError, worded as the sequential
    scan words it) also gives None: the sequential scan then reads the file
    and says what is wrong with it as it would with `-j 1`."""
    try:
        return _scan_pdf(data, name, pack, options)
    except CsrscanError:
        raise
    except Exception:
        log.debug("split scan of %s failed; scanning it in one process", name, exc_info=True)
        return None


def _scan_pdf(data: bytes, name: str, pack: Pack, options: IngestOptions) -> Report | None:
    doc = open_pdf(data, name, options.password)
    try:
        count = page_count(doc, name, options.max_pages)
        bounds = forked.part_bounds(count, options.jobs)
        if len(bounds) < 2 or not forked.can_fork() \
                or doc.count_attachments():  # the one-process scan names or reads them
            return None
        # a tokenizer built already (a caller scanning many files), or none
        # needed (a report without Chinese, match/words.py): nothing to overlap
        tokens = not tokenizer_built() and prefetch.han_in_sample(doc, count)
        readers = prefetch.start(doc, data, options.password, bounds, read=tokens)
        try:  # while readers read ahead (prefetch.py), build what the helpers inherit
            warm_matcher(pack, tokens=tokens)
        finally:
            aheads = prefetch.stop(readers)
        parts = _parts(doc, data, options.password, bounds, aheads)
        helpers = [forked.start(_serve, part, pack) for part in parts[1:]]
        try:
            return _scan_parts(parts, helpers, data, name, pack, count)
        finally:
            for helper in helpers:
                if helper is not None:
                    helper.close()
    finally:
        doc.close()


def _parts(doc: Any, data: bytes, password: str | None, bounds: Sequence[tuple[int, int]],
           aheads: Sequence[tuple[prefetch.Ahead, prefetch.Ahead]]) -> list[Part]:
    """The parts, each given the pages read ahead beside its boundaries.

    aheads[i] was read around the end of part i (see prefetch.windows)."""
    nothing = (prefetch.Ahead(), prefetch.Ahead())
    starts, ends = [nothing, *aheads], [*aheads, nothing]
    return [Part(doc, data, password, lo, hi, before=starts[i][1], after=ends[i][0])
            for i, (lo, hi) in enumerate(bounds)]


def _scan_parts(parts: list[Part], helpers: list[forked.Helper | None], data: bytes,
                name: str, pack: Pack, count: int) -> Report | None:
    reads = [parts[0].read()]
    for helper, part in zip(helpers, parts[1:], strict=True):
        answer = helper.recv() if helper is not None else None
        reads.append(part.read() if answer is None else answer)
    if not any(r.has_text for r in reads):
        return None  # the sequential path says why, in its own words
    furniture = furniture_of(sum((r.edges for r in reads), Counter()), count)
    names = _front_names(parts[0].front(furniture))  # the helpers wait for it: first
    for helper in helpers:
        if helper is not None:
            helper.send((furniture, names))
    results = [parts[0].finish(furniture, names, pack)]
    for helper, part in zip(helpers, parts[1:], strict=True):
        answer = helper.recv() if helper is not None else None
        results.append(part.finish(furniture, names, pack) if answer is None else answer)
    tally = _join(results, pack, names)
    if not tally.has_text:
        return None
    issues: prefetch.Issues = {}
    for r in reads:
        prefetch.merge_issues(issues, r.issues)
    source = source_info(name, sha256_hex(data), "pdf", count, sum(r.chars for r in reads),
                         script_from(tally.script))
    return make_report(source, issue_warnings(issues, False), tally.evidence, pack,
                       han_share_of(tally.letters))


def _front_names(front: list[NormPage]) -> tuple[str, ...]:
    """The report's short names, from its first pages as the sequential scan has them."""
    carry_chain(front)
    return front_names(front)


def _join(results: Sequence[PartResult], pack: Pack, names: tuple[str, ...]) -> Tally:
    """Carry across the part boundaries; evidence and counts in page order."""
    tally = Tally()
    *edges, last = carry_across([(r.head, r.tail) for r in results])
    for done, r in zip(edges, results, strict=True):
        tally.add_pages(done, pack, names)
        tally.add(r.inner)
    tally.add_pages(last, pack, names)
    return tally


def _serve(conn: forked.Channel, part: Part, pack: Pack) -> None:
    """A helper's side: read, wait for furniture and names, finish."""
    conn.send(part.read())
    furniture, names = conn.recv()
    conn.send(part.finish(furniture, names, pack))
