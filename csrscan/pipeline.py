"""The whole scan of one input: ingest, then the stages (`stages`) in one
process, or shared by several processes for a long PDF (`parallel.split`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from csrscan.errors import CsrscanError
from csrscan.ingest import IngestOptions, bytes_to_document, read_input, sniff_format
from csrscan.models import Pack, Report
from csrscan.packs.select import select_pack
from csrscan.stages import held_to_report

# Building the tokenizer's lexicon (once per cache folder) takes ~150 MB and ~1.4 s:
# under a smaller cap than this, or a --timeout, the parent builds it before the
# child held to them starts.
LEXICON_ROOM = 512 * 2**20


def scan_path(path: str | Path, pack: Pack, options: IngestOptions = IngestOptions()
              ) -> Report:
    """Scan one report file; `options.jobs` processes share a long PDF."""
    return scan_bytes(read_input(str(path), options.max_bytes, options.timeout), str(path),
                      pack, options)


def scan_bytes(data: bytes, name: str, pack: Pack,
               options: IngestOptions = IngestOptions()) -> Report:
    """Scan a report given as bytes; `name` is what messages and the report call it.

    With `options.max_memory` or `options.timeout` the scan runs in a forked
    child held to them (`parallel.guard`): a bomb ends as a `LimitError`."""
    # the bytes are handed on in a list that the scan empties: once read into a
    # document they can be freed, where a huge text needs the room (in a guarded
    # child its copy of the list is emptied, the parent's once the child runs)
    held = [data]
    del data
    if options.max_memory is None and not options.timeout:
        return _scan_held(held, name, pack, options)
    from csrscan.parallel.guard import run_guarded

    if options.timeout or (options.max_memory is not None and options.max_memory < LEXICON_ROOM):
        from csrscan.text.lexicon_store import usable_lexicon

        # a first run builds it here, not in the child held to a small cap or a time limit
        usable_lexicon()
    return run_guarded(lambda: _scan_held(held, name, pack, options), name,
                       options.max_memory, options.timeout, release=held.clear)


def _scan_held(held: list[bytes], name: str, pack: Pack, options: IngestOptions) -> Report:
    data = held.pop()
    if options.jobs > 1 and not options.ocr and len(data) <= options.max_bytes \
            and _is_pdf(data, name):  # else bytes_to_document says why
        from csrscan.parallel.split import scan_pdf  # lazy: only PDFs with --jobs > 1

        report = scan_pdf(data, name, pack, options)
        if report is not None:
            return report
    doc = [bytes_to_document(data, name, options)]
    del data
    return held_to_report(doc, pack)


def _is_pdf(data: bytes, name: str) -> bool:
    """A PDF by content and by name, as the one-process scan judges it."""
    try:
        return sniff_format(data, name) == "pdf"
    except CsrscanError:  # a contradiction: the one-process scan words it
        return False


def scan(path: str | Path, pack_id: str | None = None,
         rules: Sequence[str | Path] = ()) -> Report:
    """Library entry point: scan a file with the chosen pack."""
    return scan_path(path, select_pack(pack_id, rules))
