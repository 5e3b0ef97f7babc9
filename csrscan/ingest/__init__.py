"""Ingest stage: a file (pdf, docx, html, md, txt) -> `Document`, one reader a format.

`dispatch` sniffs the format, enforces the limits and calls the reader
(`pdf`, `docx`, `html`, `text`, `markdown`); readers share `options` and
`quality`; `cache` keeps extracted text for batches.
"""

from csrscan.ingest.dispatch import (
    FORMATS,
    bytes_to_document,
    path_to_document,
    read_input,
    sniff_format,
)
from csrscan.ingest.options import IngestOptions, Progress, sha256_hex

__all__ = ["FORMATS", "IngestOptions", "Progress", "bytes_to_document", "path_to_document",
           "read_input", "sha256_hex", "sniff_format"]
