"""What every reader of the ingest stage shares: its options and the file hash.

Kept apart from the dispatcher (`dispatch`), which imports the readers: a
reader imports this module, never its dispatcher.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

Progress = Callable[[str], None]
DEFAULT_MAX_PAGES = 2000         # --max-pages (documented limit)
DEFAULT_MAX_BYTES = 256 * 2**20  # --max-bytes (documented limit)
DEFAULT_MAX_MEMORY = 2 * 2**30  # sized for a laptop: a 2,000-page report needs ~1 GiB


@dataclass(frozen=True, slots=True)
class IngestOptions:
    """Options of the ingest stage (mirrors the CLI flags)."""

    encoding: str | None = None      # --encoding override
    password: str | None = None      # --password for encrypted PDFs
    ocr: bool = False                # --ocr: Tesseract on pages without a text layer
    max_pages: int = DEFAULT_MAX_PAGES
    max_bytes: int = DEFAULT_MAX_BYTES
    jobs: int = 1                    # --jobs: processes reading one long PDF
    # --max-memory: address space a parsing process may use (None: no cap);
    # the CLI's default is DEFAULT_MAX_MEMORY (docs/ingest.md, Limits)
    max_memory: int | None = None
    timeout: float | None = None     # --timeout: seconds one input may take (None: none)
    attachments: bool = False        # --attachments: also read a PDF's embedded PDFs/docx


def sha256_hex(data: bytes) -> str:
    """The file hash every report and cache entry carries."""
    return hashlib.sha256(data).hexdigest()
