"""Document → NormPages: width and script folding, noise removal, CJK line joins.

The normalized text (`norm`) stays aligned character by character with the
report's own words (`orig`), so evidence is found in simplified, half-width
text yet quoted exactly as the report wrote it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache

from csrscan import regexcache
from csrscan.models import Document, NormPage, Page
from csrscan.text.furniture import Line as Line
from csrscan.text.furniture import edge_counts as edge_counts
from csrscan.text.furniture import furniture_of as furniture_of
from csrscan.text.furniture import noise_kind, printed_pages, repeated_furniture
from csrscan.text.noise import drop_invisible, fold_ocr

# Full-width ASCII → ASCII, ideographic space → space: one char for one char.
_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20, 0xA0: 0x20}
_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_SPACE_BETWEEN_HAN = regexcache.compile(rf"(?<=[{_HAN}])[ \t]+(?=[{_HAN}])")
# a line may wrap after a closing bracket or quote (…《目录》|和…), not after 。
_ENDS_JOINABLE = regexcache.compile(rf"[{_HAN}\w，、,（(“‘《》）)”’」』]$")
_STARTS_JOINABLE = regexcache.compile(rf"^[{_HAN}\w，、。；：,.;:）)”’》%]")
_HAN_CHAR = regexcache.compile(rf"[{_HAN}]")
_FIGURE = regexcache.compile(r"[-+]?[\d.,]+\s?%?")
_ROW_CODE = regexcache.compile(r"[A-Za-z]{1,5}[-.]?\d{1,3}(?:[.-]\d{1,3})*[a-z]?\s")
_PAGE_REFS = regexcache.compile(r"\s\d{1,3}(?:\s?[-,，、]\s?\d{1,3})*$")
_HAN_RUN = regexcache.compile(r"[\u4e00-\u9fff]")
_LETTER = regexcache.compile(r"[^\W\d_]")
SCRIPT_SAMPLE = 400


@cache
def _t2s() -> Callable[[str], str]:
    import opencc  # lazy: conversion is only needed when a document is read

    convert: Callable[[str], str] = opencc.OpenCC("t2s").convert
    return convert


def fold_width(text: str) -> str:
    """Map full-width ASCII and odd spaces to their half-width forms."""
    return text.translate(_WIDTH)


def to_simplified(text: str) -> str:
    """Traditional → simplified, keeping the length (one char for one char)."""
    out = _t2s()(text)
    if len(out) == len(text):
        return out
    convert = _t2s()
    return "".join(c if len(s := convert(c)) != 1 else s for c in text)


def normalize_term(term: str) -> str:
    """Fold a rule term the same way as report text."""
    return fold_ocr(to_simplified(fold_width(drop_invisible(term))).lower())


def document_to_normpages(doc: Document) -> tuple[NormPage, ...]:
    """Normalize every page of a document (a huge text's parts: text.parts)."""
    pages = [page_to_lines(p) for p in doc.pages]
    # text without page breaks: its page numbers say where the pages were
    furniture = repeated_furniture(pages if doc.format == "pdf" else
                                   [part for lines in pages for part in printed_pages(lines)])
    normed = [clean_normpage(page, lines, furniture)
              for page, lines in zip(doc.pages, pages, strict=True)]
    carry_chain(normed)
    return tuple(normed)


def clean_normpage(page: Page, lines: Sequence[Line], furniture: frozenset[str]) -> NormPage:
    """One page's lines, noise dropped, joined into its NormPage (before carry-over).

    A sentence may run on over dropped page furniture (a page break inside a
    text file: ...较去 | 27 | 某某银行股份有限公司 | 年同期...), never over web chrome.
    """
    kept: list[Line] = []
    bridged: set[int] = set()
    gap: set[str] = set()  # kinds of noise dropped since the last kept line
    for ln in lines:
        kind = noise_kind(ln, furniture)
        if kind is not None:
            gap.add(kind)
            continue
        if kept and gap == {"furniture"}:
            bridged.add(ln.number)
        kept.append(ln)
        gap = set()
    return lines_to_normpage(page, kept, frozenset(bridged))


def carry_chain(pages: list[NormPage], start: int = 1) -> None:
    """Carry cut sentences back across the page breaks before pages[start:], in order."""
    for i in range(start, len(pages)):
        pages[i - 1], pages[i] = carry_over(pages[i - 1], pages[i])


CARRY_MIN_CHARS = 20  # shorter open endings are titles and headings, not cut sentences
_OPEN_END = _ENDS_JOINABLE
_SENTENCE_END = regexcache.compile(r"[。！？!?；;]|\n")


def carry_over(prev: NormPage, nxt: NormPage) -> tuple[NormPage, NormPage]:
    """A sentence cut by a page break: move its tail back to the page it starts on."""
    last_paragraph = prev.norm.rsplit("\n", 1)[-1]
    if len(last_paragraph) < CARRY_MIN_CHARS or not _OPEN_END.search(prev.norm) \
            or not nxt.norm[:1] or nxt.norm[0].isspace() or not _STARTS_JOINABLE.match(nxt.norm):
        return prev, nxt
    m = _SENTENCE_END.search(nxt.norm)
    cut = m.end() if m and m.group() != "\n" else (m.start() if m else len(nxt.norm))
    # the line holding `cut` now starts the page; later lines shift with it
    first = max(i for i, start in enumerate(nxt.line_starts) if start <= cut)
    keep = range(first, len(nxt.line_starts))
    head = NormPage(prev.number, prev.orig + nxt.orig[:cut], prev.norm + nxt.norm[:cut],
                    prev.line_starts, prev.line_numbers, prev.origin)
    tail = NormPage(nxt.number, nxt.orig[cut:], nxt.norm[cut:],
                    tuple(max(nxt.line_starts[i] - cut, 0) for i in keep),
                    tuple(nxt.line_numbers[i] for i in keep), nxt.origin)
    return head, tail


def page_to_lines(page: Page) -> list[Line]:
    """Split a page into numbered lines with aligned normalized twins."""
    text = drop_invisible(page.text)  # from both twins: a quote shows what a reader sees
    raw = text.split("\n")
    norm = fold_ocr(to_simplified(fold_width(text)).lower()).split("\n")
    if len(norm) != len(raw):  # lower() of odd letters may change length
        norm = [fold_ocr(to_simplified(fold_width(r))) for r in raw]
    lines = []
    for i, (o, n) in enumerate(zip(raw, norm, strict=True)):
        if len(o) != len(n):
            n = fold_width(o)
        o, n = _tidy_tabs(*_drop_han_spaces(o, n))
        lines.append(Line(page.first_line + i, o.rstrip(), n.rstrip()))
    return lines


def _drop_han_spaces(orig: str, norm: str) -> tuple[str, str]:
    """Remove letter-spacing between Han characters in both twins alike."""
    if " " not in norm and "\t" not in norm:
        return orig, norm
    gaps = [m.span() for m in _SPACE_BETWEEN_HAN.finditer(norm)]
    if not gaps:
        return orig, norm
    return _cut(orig, norm, gaps)


def _cut(orig: str, norm: str, spans: Sequence[tuple[int, int]]) -> tuple[str, str]:
    """Both twins without the same ordered, disjoint spans: they stay aligned."""
    keep = [(a, b) for (_, a), (b, _) in zip([(0, 0), *spans], [*spans, (len(norm), 0)],
                                             strict=True)]
    return "".join(orig[a:b] for a, b in keep), "".join(norm[a:b] for a, b in keep)


_TAB_RUN = regexcache.compile(r"^[ \t]*\t[ \t]*|(?<=\S)[ \t]*\t[ \t]*")


def _tidy_tabs(orig: str, norm: str) -> tuple[str, str]:
    """Tabs separate cells: empty cells (\t\t\t) are one gap, a leading tab no indent.

    A PDF's table row has one gap between its cells, and its extractor never
    starts a line with the empty cell of a left column; the same row in a
    text file must read the same.
    """
    if "\t" not in norm:
        return orig, norm
    spans = []
    for m in _TAB_RUN.finditer(norm):
        if m.start() == 0:
            spans.append(m.span())
        elif m.group() != "\t":
            tab = norm.index("\t", m.start())
            spans += [(m.start(), tab), (tab + 1, m.end())]
    return _cut(orig, norm, [(a, b) for a, b in spans if b > a])


def lines_to_normpage(page: Page, lines: Sequence[Line],
                      bridged: frozenset[int] = frozenset()) -> NormPage:
    """Join lines into page text: wrapped lines joined, paragraph breaks kept.

    `bridged` lines follow dropped page furniture only: the line before them
    may run on into them as if the furniture had never been there.
    """
    width = _typical_width(lines)
    orig_parts: list[str] = []
    norm_parts: list[str] = []
    starts: list[int] = []
    numbers: list[int] = []
    offset = 0
    prev: Line | None = None
    sep = "\n"
    for line in lines:
        if prev is not None:
            sep = _separator(prev, line, width, continuing=sep != "\n",
                             bridged=line.number in bridged)
            orig_parts.append(sep)
            norm_parts.append(sep)
            offset += len(sep)
        starts.append(offset)
        numbers.append(line.number)
        orig_parts.append(line.orig)
        norm_parts.append(line.norm)
        offset += len(line.norm)
        prev = line
    return NormPage(number=page.number, orig="".join(orig_parts), norm="".join(norm_parts),
                    line_starts=tuple(starts), line_numbers=tuple(numbers),
                    origin=page.origin)


def _typical_width(lines: Sequence[Line]) -> int:
    widths = sorted(len(ln.norm.strip()) for ln in lines if ln.norm.strip())
    return widths[int(len(widths) * 0.8)] if widths else 0


def _separator(prev: Line, line: Line, width: int, continuing: bool = False,
               bridged: bool = False) -> str:
    """'' inside a wrapped CJK paragraph, ' ' inside wrapped Latin, '\\n' at a break.

    A short line ends a paragraph unless the paragraph was already running
    into it (PDF extractors cut lines at font changes: 累计发|卡9.20万张).
    """
    a, b = prev.norm.strip(), line.norm.lstrip()
    if not a or not b or (line.number != prev.number + 1 and not bridged) \
            or line.norm[:1] == " ":
        return "\n"
    short = len(a) < 0.75 * width and not continuing
    if ("\t" in a and _FIGURE.fullmatch(a.rsplit("\t", 1)[1])) or _index_row_ends(a, b):
        return "\n"  # a table row ending in its figure cell: the next line is another row
    if bridged and len(b) < 0.75 * width and not _SENTENCE_END.search(b[-1:]):
        return "\n"  # a short line after a page break: a header we did not know
    if short or not _ENDS_JOINABLE.search(a) or not _STARTS_JOINABLE.match(b):
        return "\n"
    if _HAN_CHAR.match(b[0]) or _HAN_CHAR.match(a[-1]):
        return ""
    return " "


def _index_row_ends(a: str, b: str) -> bool:
    """Inside an index table (EN3 … 57,63-66), a row ends where the next code starts.

    Tabs or spaces (a PDF) may separate the cells: a row that starts with a
    code and ends with page references is whole, and a line starting with a
    code after a row's code or page references starts the next row.
    """
    a_code, a_refs = _ROW_CODE.match(a), _PAGE_REFS.search(a)
    return bool((a_code and a_refs) or (_ROW_CODE.match(b) and (a_code or a_refs)))


def han_share(pages: Sequence[NormPage]) -> float | None:
    """Han characters among all letters, on the same per-page sample as script_of."""
    return han_share_of(letter_counts(pages))


def letter_counts(pages: Sequence[NormPage]) -> tuple[int, int]:
    """(Han characters, letters) in the first SCRIPT_SAMPLE characters of each page."""
    text = "".join(p.norm[:SCRIPT_SAMPLE] for p in pages)
    return len(_HAN_RUN.findall(text)), len(_LETTER.findall(text))


def han_share_of(counts: tuple[int, int]) -> float | None:
    han, letters = counts
    return han / letters if letters else None


def script_of(pages: Sequence[NormPage]) -> str:
    """'simplified', 'traditional' or 'mixed', from how much t2s changed.

    Looks at the first SCRIPT_SAMPLE characters of each page: enough to tell,
    and cheap on a thousand-page report.
    """
    return script_from(script_counts(pages))


def script_counts(pages: Sequence[NormPage]) -> tuple[int, int]:
    """(Han characters, Han characters t2s changed) in each page's first characters.

    Counts add up over page ranges, so parts of a document can be counted apart.
    """
    han = changed = 0
    for p in pages:
        orig, norm = p.orig[:SCRIPT_SAMPLE], p.norm[:SCRIPT_SAMPLE]
        han += len(_HAN_RUN.findall(orig))
        changed += sum(1 for o, n in zip(orig, norm, strict=True)
                       if o != n and "\u4e00" <= o <= "\u9fff")
    return han, changed


def script_from(counts: tuple[int, int]) -> str:
    han, changed = counts
    share = changed / han if han else 0.0
    return "traditional" if share >= 0.08 else "mixed" if share >= 0.01 else "simplified"
