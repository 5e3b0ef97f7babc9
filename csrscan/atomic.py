"""Write a file so that it appears only complete: into a temporary file in
the same folder, renamed over the target at the end. A failure (a full disk,
an error while rendering) leaves any earlier file at that path untouched."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A fresh temporary path beside `path` for the caller to write; renamed
    to `path` when the block ends well, removed when it does not. The caller
    creates the file, so it gets the usual permissions (the umask's)."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
