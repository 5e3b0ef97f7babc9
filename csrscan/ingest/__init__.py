"""Ingest stage: a file (pdf, docx, html, md, txt) -> `Document`, one reader a format.

`registry` lists every format (suffixes, sniffer, reader); `dispatch` reads
the bytes, enforces the limits, sniffs the format (`sniff`) and calls its
reader (`pdf`, `docx`, `html`, `text` with `markdown`); readers share
`options` and `quality`; `cache` keeps extracted text for batches.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from csrscan.ingest.dispatch import (
        FORMATS,
        bytes_to_document,
        path_to_document,
        read_input,
        sniff_format,
    )
    from csrscan.ingest.options import IngestOptions, Progress, sha256_hex
    from csrscan.ingest.registry import READERS, Reader, suffixes

# Imported on first use: `csrscan --help` reads the registry's suffixes
# without loading the dispatcher and the readers' helpers.
_HOME = {"FORMATS": "dispatch", "bytes_to_document": "dispatch", "path_to_document": "dispatch",
         "read_input": "dispatch", "sniff_format": "dispatch", "IngestOptions": "options",
         "Progress": "options", "sha256_hex": "options", "READERS": "registry",
         "Reader": "registry", "suffixes": "registry"}
__all__ = ["FORMATS", "READERS", "IngestOptions", "Progress", "Reader", "bytes_to_document",
           "path_to_document", "read_input", "sha256_hex", "sniff_format", "suffixes"]


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
