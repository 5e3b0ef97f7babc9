"""Cache of extracted documents, keyed by file content hash and extractor version.

Layout (docs/compare.md): `<root>/documents/<EXTRACTOR_VERSION>/<sha[:2]>/<sha>-<opts>.json.gz`,
one gzip'd JSON `Document` per file content; `<opts>` hashes the ingest options
that change the extracted text (OCR, forced encoding, attachments, a hash of the
password). The root is
`$CSRSCAN_CACHE_DIR`, else the user cache dir (platformdirs). Entries of other
extractor versions are ignored (and removed by `csrscan cache clear`).
Writes are atomic (temp file + rename), so parallel workers can share a root.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from csrscan.atomic import atomic_path
from csrscan.models import Document, Page
from csrscan.version import __version__

CACHE_FORMAT = 1


def extractor_version() -> str:
    """Changes whenever extracted text may change: csrscan or ingest version."""
    from csrscan.ingest import dispatch as ingest

    return f"f{CACHE_FORMAT}-csrscan{__version__}-ingest{ingest.INGEST_VERSION}"


@dataclass(frozen=True, slots=True)
class DocumentCache:
    """Get/put `Document`s under one root; misses and I/O errors are silent."""

    root: Path
    options_key: str = "default"

    @property
    def folder(self) -> Path:
        return self.root / "documents" / extractor_version()

    def entry(self, sha256: str) -> Path:
        return self.folder / sha256[:2] / f"{sha256}-{self.options_key}.json.gz"

    def get(self, sha256: str, path: str) -> Document | None:
        """The cached document for this content, carrying `path` as given now."""
        try:
            with gzip.open(self.entry(sha256), "rt", encoding="utf-8") as fh:
                data = json.load(fh)
            return document_from_dict(data, path)
        except (OSError, ValueError, KeyError, TypeError, EOFError):
            return None

    def put(self, doc: Document) -> None:
        target = self.entry(doc.sha256)
        with contextlib.suppress(OSError):  # a read-only or full cache: no caching
            target.parent.mkdir(parents=True, exist_ok=True)
            with atomic_path(target) as tmp, tmp.open("wb") as raw, \
                    gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=1, mtime=0) as gz:
                gz.write(json.dumps(document_to_dict(doc), ensure_ascii=False).encode())


def options_key(ocr: bool, encoding: str | None, attachments: bool = False,
                password: str | None = None) -> str:
    """The part of an entry's name that the options which change the text make.

    The password is in it: a document read with `--password` must not be
    served to a run without it (or with another); only a salted hash of it
    enters the key, which is itself a hash. The key of the default options
    is that of csrscan before --attachments and --password joined it."""
    keys: dict[str, object] = {"ocr": ocr, "encoding": encoding}
    if attachments:
        keys["attachments"] = True
    if password is not None:
        keys["password"] = hashlib.sha256(f"csrscan-password\0{password}".encode()).hexdigest()
    raw = json.dumps(keys, sort_keys=True)
    return hashlib.sha256(raw.encode()).hexdigest()[:12]


def document_to_dict(doc: Document) -> dict[str, Any]:
    return {"format": doc.format, "sha256": doc.sha256, "encoding": doc.encoding,
            "warnings": list(doc.warnings),
            "pages": [[p.number, p.text, p.origin, p.first_line] for p in doc.pages]}


def document_from_dict(data: dict[str, Any], path: str) -> Document:
    pages = tuple(Page(number=int(n), text=str(t), origin=o, first_line=int(f))
                  for n, t, o, f in data["pages"])
    return Document(path=path, format=str(data["format"]), sha256=str(data["sha256"]),
                    pages=pages, encoding=data["encoding"],
                    warnings=tuple(data["warnings"]))


# ---- `csrscan cache info|clear` ---------------------------------------------------

@dataclass(frozen=True, slots=True)
class CacheInfo:
    root: Path
    version: str
    entries: int
    bytes: int
    stale_entries: int


def cache_info(root: Path) -> CacheInfo:
    current = extractor_version()
    entries = stale = size = 0
    docs = root / "documents"
    if docs.is_dir():
        for f in docs.rglob("*.json.gz"):
            size += f.stat().st_size
            if f.parent.parent.name == current:
                entries += 1
            else:
                stale += 1
    return CacheInfo(root=root, version=current, entries=entries, bytes=size,
                     stale_entries=stale)


def cache_clear(root: Path) -> int:
    """Remove every cached document; return how many were removed."""
    docs = root / "documents"
    if not docs.is_dir():
        return 0
    count = sum(1 for _ in docs.rglob("*.json.gz"))
    shutil.rmtree(docs)
    return count
