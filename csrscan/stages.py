"""The stages after ingest, composed once: pages -> evidence -> Report.

Both the one-process scan (`pipeline`) and the multi-process scan of a long
PDF (`parallel.split`, which only decides which pages each process reads) call
these functions, so the two cannot drift apart.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from itertools import chain, islice

from csrscan.errors import InputError
from csrscan.match.sentences import sentences_to_evidence
from csrscan.models import (
    Document,
    Evidence,
    NormPage,
    Pack,
    Page,
    Report,
    Sentence,
    SourceInfo,
    printable_path,
)
from csrscan.score.grade import own_names
from csrscan.score.topics import evidence_to_topics
from csrscan.text.normalize import (
    document_to_normpages,
    han_share,
    han_share_of,
    letter_counts,
    script_counts,
    script_from,
    script_of,
)
from csrscan.text.parts import is_parts, parts_to_normpages
from csrscan.text.segment import page_to_sentences

FRONT_PAGES = 5  # where a report introduces its own short name
MIN_HAN_SHARE = 0.2


Tap = Callable[[Sentence], None]


def document_to_report(doc: Document, pack: Pack, tap: Tap | None = None) -> Report:
    """Run every stage after ingest on one document; `tap` sees every sentence
    as it is segmented (`csrscan tag` keeps them; a scan passes none)."""
    if is_parts(doc.pages):
        return parts_to_report(*_parts_of(doc), pack, tap)
    pages = document_to_normpages(doc)
    if not any(p.norm.strip() for p in pages):
        raise InputError("no usable text in the document", path=doc.path)
    source = source_info(doc.path, doc.sha256, doc.format, len(doc.pages), doc.chars,
                         script_of(pages), doc.encoding)
    return make_report(source, doc.warnings, normpages_to_evidence(pages, pack, tap), pack,
                       han_share(pages))


def held_to_report(held: list[Document], pack: Pack) -> Report:
    """document_to_report of the one document in `held`, which it empties: a huge
    text's parts can then be let go one by one as they are read."""
    doc = held.pop()
    if not is_parts(doc.pages):
        return document_to_report(doc, pack)
    source, warnings, parts = _parts_of(doc)
    del doc
    return parts_to_report(source, warnings, parts, pack)


def _parts_of(doc: Document) -> tuple[SourceInfo, tuple[str, ...], list[Page]]:
    """A huge text's source info (its script not yet known), warnings and parts."""
    return (source_info(doc.path, doc.sha256, doc.format, 1, doc.chars, "", doc.encoding),
            doc.warnings, list(doc.pages))


def parts_to_report(source: SourceInfo, warnings: Sequence[str], parts: list[Page],
                    pack: Pack, tap: Tap | None = None) -> Report:
    """document_to_report of a huge text read in parts (ingest/text_parts.py): the
    parts are normalized, segmented and matched one at a time, never all held
    (`parts` is emptied as they are read); `source.script` is found here."""
    pages = parts_to_normpages(parts)
    front = deque(islice(pages, FRONT_PAGES))
    names = front_names(list(front))
    script, letters, usable = [0, 0], [0, 0], False

    def counted(parts: Iterable[NormPage]) -> Iterator[NormPage]:
        nonlocal usable
        for page in parts:
            for total, counts in ((script, script_counts([page])),
                                  (letters, letter_counts([page]))):
                total[0], total[1] = total[0] + counts[0], total[1] + counts[1]
            usable = usable or bool(page.norm.strip())
            yield page

    def drained() -> Iterator[NormPage]:  # the front parts, each let go once read
        while front:
            yield front.popleft()

    evidence = pages_to_evidence(counted(chain(drained(), pages)), pack, names, tap)
    if not usable:
        raise InputError("no usable text in the document", path=source.path)
    return make_report(replace(source, script=script_from((script[0], script[1]))), warnings,
                       evidence, pack, han_share_of((letters[0], letters[1])))


def source_info(path: str, sha256: str, fmt: str, pages: int, chars: int, script: str,
                encoding: str | None = None) -> SourceInfo:
    """What a report says of its input: the one place a SourceInfo is made."""
    return SourceInfo(path=printable_path(path), sha256=sha256, format=fmt, pages=pages,
                      chars=chars, script=script, encoding=encoding)


def make_report(source: SourceInfo, warnings: Sequence[str], evidence: Sequence[Evidence],
                pack: Pack, share: float | None) -> Report:
    """Score the evidence; `share` is the Han share of the letters (None: no letters)."""
    return Report(source=source, pack_id=pack.id, pack_version=pack.version,
                  topics=evidence_to_topics(tuple(evidence), pack),
                  warnings=(*warnings, *language_warnings(share, pack)))


def front_names(pages: Sequence[NormPage]) -> tuple[str, ...]:
    """The short names a report gives itself on its first pages (…以下简称“汇信”)."""
    return own_names("\n".join(p.norm for p in pages[:FRONT_PAGES]))


def normpages_to_evidence(pages: Sequence[NormPage], pack: Pack, tap: Tap | None = None
                          ) -> tuple[Evidence, ...]:
    """Segment and match normalized pages; the report's own short name counts as it."""
    return pages_to_evidence(pages, pack, front_names(pages), tap)


def pages_to_evidence(pages: Iterable[NormPage], pack: Pack, names: tuple[str, ...],
                      tap: Tap | None = None) -> tuple[Evidence, ...]:
    # sentences streamed, never all held: they would double the text in memory
    grading = pack.grading
    index = grading.index  # the pack's index markers: not evidence
    budget = (grading.guarded_by, "grading.index") if "index" in grading.guarded else None
    sentences = chain.from_iterable(page_to_sentences(page, index, budget) for page in pages)
    return sentences_to_evidence(sentences if tap is None else _tapped(sentences, tap),
                                 pack, names)


def _tapped(sentences: Iterable[Sentence], tap: Tap) -> Iterator[Sentence]:
    for sentence in sentences:
        tap(sentence)
        yield sentence


def language_warnings(share: float | None, pack: Pack) -> list[str]:
    """A Chinese pack finds nothing in an English report: say so, not just 'missing'."""
    if not pack.language.startswith("zh"):
        return []
    if share is not None and share < MIN_HAN_SHARE:
        return [f"little Chinese text ({share:.0%} of letters are Han): pack {pack.id} "
                "matches Chinese wording, so topics may show as missing"]
    return []
