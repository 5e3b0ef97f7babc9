"""Ingest stage: a file (pdf, docx, html, md, txt) -> `Document`, one reader a format.

`registry` lists every format (suffixes, sniffer, reader); `dispatch` reads
the bytes, enforces the limits, sniffs the format (`sniff`) and calls its
reader (`pdf`, `docx`, `html`, `text` with `markdown`); readers share
`options` and `quality`; `cache` keeps extracted text for batches.
"""

from csrscan.ingest.dispatch import (
    FORMATS,
    bytes_to_document,
    path_to_document,
    read_input,
    sniff_format,
)
from csrscan.ingest.options import IngestOptions, Progress, sha256_hex
from csrscan.ingest.registry import READERS, Reader, suffixes

__all__ = ["FORMATS", "READERS", "IngestOptions", "Progress", "Reader", "bytes_to_document",
           "path_to_document", "read_input", "sha256_hex", "sniff_format", "suffixes"]
