"""The whole scan: ingest → normalize → segment → match → score → Report."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain
from pathlib import Path

from csrscan.errors import InputError
from csrscan.ingest import IngestOptions, bytes_to_document, read_input
from csrscan.match.sentences import sentences_to_evidence
from csrscan.models import Document, Evidence, NormPage, Pack, Report, SourceInfo
from csrscan.packs.load import select_pack
from csrscan.score.grade import own_names
from csrscan.score.topics import evidence_to_topics
from csrscan.text.normalize import document_to_normpages, han_share, script_of
from csrscan.text.segment import page_to_sentences

FRONT_PAGES = 5  # where a report introduces its own short name
MIN_HAN_SHARE = 0.2


def scan_path(path: str | Path, pack: Pack, options: IngestOptions = IngestOptions()
              ) -> Report:
    """Scan one report file; `options.jobs` processes share a long PDF."""
    return scan_bytes(read_input(str(path), options.max_bytes), str(path), pack, options)


def scan_bytes(data: bytes, name: str, pack: Pack,
               options: IngestOptions = IngestOptions()) -> Report:
    if options.jobs > 1 and not options.ocr and data.startswith(b"%PDF-") \
            and len(data) <= options.max_bytes:  # else bytes_to_document says why
        from csrscan.parallel.split import scan_pdf  # lazy: only PDFs with --jobs > 1 use it

        report = scan_pdf(data, name, pack, options)
        if report is not None:
            return report
    return document_to_report(bytes_to_document(data, name, options), pack)


def document_to_report(doc: Document, pack: Pack) -> Report:
    """Run every stage after ingest on one document."""
    pages = document_to_normpages(doc)
    if not any(p.norm.strip() for p in pages):
        raise InputError("no usable text in the document", path=doc.path)
    source = SourceInfo(path=doc.path, sha256=doc.sha256, format=doc.format,
                        pages=len(doc.pages), chars=doc.chars, script=script_of(pages),
                        encoding=doc.encoding)
    return make_report(source, doc.warnings, normpages_to_evidence(pages, pack), pack,
                       han_share(pages))


def make_report(source: SourceInfo, warnings: Sequence[str], evidence: Sequence[Evidence],
                pack: Pack, share: float | None) -> Report:
    """Score the evidence; `share` is the Han share of the letters (None: no letters)."""
    return Report(source=source, pack_id=pack.id, pack_version=pack.version,
                  topics=evidence_to_topics(tuple(evidence), pack),
                  warnings=(*warnings, *language_warnings(share, pack)))


def normpages_to_evidence(pages: Sequence[NormPage], pack: Pack) -> tuple[Evidence, ...]:
    """Segment and match normalized pages; the report's own short name counts as it."""
    names = own_names("\n".join(p.norm for p in pages[:FRONT_PAGES]))
    return pages_to_evidence(pages, pack, names)


def pages_to_evidence(pages: Sequence[NormPage], pack: Pack, names: tuple[str, ...]
                      ) -> tuple[Evidence, ...]:
    # sentences streamed, never all held: they would double the text in memory
    index = pack.grading.index  # the pack's index markers: not evidence
    return sentences_to_evidence(
        chain.from_iterable(page_to_sentences(page, index) for page in pages), pack, names)


def language_warnings(share: float | None, pack: Pack) -> list[str]:
    """A Chinese pack finds nothing in an English report: say so, not just 'missing'."""
    if not pack.language.startswith("zh"):
        return []
    if share is not None and share < MIN_HAN_SHARE:
        return [f"little Chinese text ({share:.0%} of letters are Han): pack {pack.id} "
                "matches Chinese wording, so topics may show as missing"]
    return []


def scan(path: str | Path, pack_id: str | None = None,
         rules: Sequence[str | Path] = ()) -> Report:
    """Library entry point: scan a file with the chosen pack."""
    return scan_path(path, select_pack(pack_id, rules))
