"""Write a file so that it appears only complete: into a temporary file in
the same folder, renamed over the target at the end. A failure (a full disk,
an error while rendering) leaves any earlier file at that path untouched.

Only regular files are replaced so: a device or a pipe (`-o /dev/null`,
`-o /dev/stdout`) is written in place, and a symbolic link keeps being a link
(the file it points to is replaced)."""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A path for the caller to write; for a regular file a fresh temporary
    beside it, renamed to `path` when the block ends well and removed when it
    does not. The caller creates the file, so it gets the umask's permissions."""
    try:
        mode = os.stat(path).st_mode  # follows links
    except OSError:
        mode = None  # not there (yet): a new regular file
    if mode is not None and not stat.S_ISREG(mode):
        yield path  # a device, a pipe: no file of ours to swap in
        return
    target = path.resolve() if path.is_symlink() else path
    tmp = target.with_name(f".{target.name}.{os.urandom(4).hex()}.tmp")
    try:
        yield tmp
        if mode is not None:  # an earlier file's permissions carry over (a 0600 stays 0600)
            os.chmod(tmp, stat.S_IMODE(mode))
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
