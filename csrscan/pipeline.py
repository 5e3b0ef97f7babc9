"""The whole scan: ingest → normalize → segment → match → score → Report."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from . import forked
from .errors import InputError
from .grade import own_names
from .ingest import IngestOptions, bytes_to_document, path_to_document
from .match import sentences_to_evidence, warm_matcher
from .models import Document, Evidence, NormPage, Pack, Report, SourceInfo
from .normalize import document_to_normpages, han_share, script_of
from .rules import select_pack
from .score import evidence_to_topics
from .segment import normpages_to_sentences

FRONT_PAGES = 5  # where a report introduces its own short name
MIN_HAN_SHARE = 0.2


def scan_path(path: str | Path, pack: Pack, options: IngestOptions = IngestOptions()
              ) -> Report:
    """Scan one report file; `options.jobs` processes share a long PDF."""
    return document_to_report(path_to_document(path, options), pack, options.jobs)


def scan_bytes(data: bytes, name: str, pack: Pack,
               options: IngestOptions = IngestOptions()) -> Report:
    return document_to_report(bytes_to_document(data, name, options), pack, options.jobs)


def document_to_report(doc: Document, pack: Pack, jobs: int = 1) -> Report:
    """Run every stage after ingest on one document."""
    pages = document_to_normpages(doc)
    if not any(p.norm.strip() for p in pages):
        raise InputError("no usable text in the document", path=doc.path)
    topics = evidence_to_topics(normpages_to_evidence(pages, pack, jobs), pack)
    source = SourceInfo(path=doc.path, sha256=doc.sha256, format=doc.format,
                        pages=len(doc.pages), chars=doc.chars, script=script_of(pages),
                        encoding=doc.encoding)
    warnings = (*doc.warnings, *language_warnings(pages, pack))
    return Report(source=source, pack_id=pack.id, pack_version=pack.version,
                  topics=topics, warnings=tuple(warnings))


def normpages_to_evidence(pages: Sequence[NormPage], pack: Pack, jobs: int = 1
                          ) -> tuple[Evidence, ...]:
    """Segment and match normalized pages; the report's own short name counts as it.

    With `jobs` > 1 a long document's later page ranges go to forked helpers
    (see forked.py); pages are independent here, so the joined evidence is
    the sequential result.
    """
    names = own_names("\n".join(p.norm for p in pages[:FRONT_PAGES]))
    ranges = forked.part_bounds(len(pages), jobs)
    if len(ranges) > 1:
        warm_matcher(pack)  # before forking: helpers inherit the automaton and tokenizer
    helpers = [forked.start(_pages_to_evidence, pages[lo:hi], pack, names)
               for lo, hi in ranges[1:]]
    found = list(_pages_to_evidence(pages[slice(*ranges[0])], pack, names))
    for (lo, hi), helper in zip(ranges[1:], helpers, strict=True):
        part = helper.result() if helper else None
        found += _pages_to_evidence(pages[lo:hi], pack, names) if part is None else part
    return tuple(found)


def _pages_to_evidence(pages: Sequence[NormPage], pack: Pack, names: tuple[str, ...]
                       ) -> tuple[Evidence, ...]:
    return sentences_to_evidence(normpages_to_sentences(pages), pack, names)


def language_warnings(pages: Sequence[NormPage], pack: Pack) -> list[str]:
    """A Chinese pack finds nothing in an English report: say so, not just 'missing'."""
    if not pack.language.startswith("zh"):
        return []
    share = han_share(pages)
    if share is not None and share < MIN_HAN_SHARE:
        return [f"little Chinese text ({share:.0%} of letters are Han): pack {pack.id} "
                "matches Chinese wording, so topics may show as missing"]
    return []


def scan(path: str | Path, pack_id: str | None = None,
         rules: Sequence[str | Path] = ()) -> Report:
    """Library entry point: scan a file with the chosen pack."""
    return scan_path(path, select_pack(pack_id, rules))
