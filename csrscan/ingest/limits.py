"""Resource limits of the processes that parse input (docs/ingest.md, Limits).

A hostile file (a flate bomb in a PDF, a 200 MB document.xml) must end as a
clear input error, never as a machine swapping or a process killed by the
kernel. The cap is the OS's own: `RLIMIT_DATA` (heap and private writable
mappings, what a parser's allocations use; unlike `RLIMIT_AS` it does not
count the address space that libraries merely reserve), set in the process
that parses, never in the parent that supervises it. Python then raises
MemoryError, which becomes `LimitError`; a C library that aborts instead
(PDFium does) kills its process, which the supervisor words the same way.
"""

from __future__ import annotations

import contextlib
import signal
import sys
from collections.abc import Iterator

from csrscan.errors import LimitError

PR_SET_PDEATHSIG = 1  # linux/prctl.h


def set_memory_limit(limit: int | None) -> None:
    """Let this process's data segment grow by at most `limit` bytes (None: no cap).

    The cap counts from what the process holds already: a forked child
    inherits its parent's heap (a library caller's, a test runner's), which
    is not the input's doing."""
    if limit is None or sys.platform == "win32":
        return
    import resource

    limit += _data_now()
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    soft = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
    with contextlib.suppress(ValueError, OSError):  # a lower hard cap stays in force
        resource.setrlimit(resource.RLIMIT_DATA, (soft, hard))


def _data_now() -> int:
    """The process's data segment now (VmData, Linux); 0 where unknown."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmData:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def die_with_parent() -> None:
    """Have the kernel kill this process when its parent dies (Linux): a
    killed `compare` or `scan` leaves no worker running on as an orphan."""
    if sys.platform != "linux":
        return
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def mib(limit: int) -> int:
    return limit // 2**20


class PageMark:
    """The page a parsing process is reading (1-based; 0: none), in memory it
    shares with its supervisor: a process that dies in C (PDFium aborts on a
    failed allocation) cannot say where it was, so the reader notes each page
    while it parses it (noting_page) and the supervisor reads it after."""

    __slots__ = ("_buffer",)

    def __init__(self) -> None:
        import mmap

        self._buffer = mmap.mmap(-1, 8)  # anonymous and shared: a forked child writes it

    def set(self, number: int) -> None:
        self._buffer[:8] = number.to_bytes(8, "little")

    def get(self) -> int:
        return int.from_bytes(self._buffer[:8], "little")

    def close(self) -> None:
        self._buffer.close()


_mark: list[PageMark] = []  # the mark of this process, when a supervisor gave it one


def watch_pages(mark: PageMark | None) -> None:
    """Have noting_page write to `mark` in this process (None: stop)."""
    _mark[:] = [mark] if mark is not None else []


@contextlib.contextmanager
def noting_page(number: int) -> Iterator[None]:
    """The reader is on page `number` in this block. Past it, on no page (a
    later failure, in matching, is no page's), unless it failed: the page it
    failed on stays noted for the error (MemoryError) to name."""
    if not _mark:  # no supervisor asked: nothing to note
        yield
        return
    _mark[0].set(number)
    yield
    _mark[0].set(0)


def reading_page() -> int:
    """The page this process is reading (0: none, or none noted)."""
    return _mark[0].get() if _mark else 0


def too_large(name: str, limit: int | None, where: str = "", page: int = 0) -> LimitError:
    """The error of an input whose parsing ran out of its memory cap; `where`
    ('; the reader died by SIGABRT') is added to the note; `page`, when
    known, is the page it was reading."""
    at = f" at page {page}" if page else ""
    cap = f"in {mib(limit)} MiB{at} (--max-memory{where})" if limit else \
        f"in the memory available{at}{f' ({where[2:]})' if where else ''}"
    return LimitError(f"input too large to parse {cap}", path=name)


def died(name: str, limit: int | None, status: int, page: int = 0) -> LimitError:
    """The error of a parsing process that died by a signal: with a memory cap
    in force a C library's failed allocation is the likely cause."""
    try:
        sig = signal.Signals(status).name
    except ValueError:
        sig = f"signal {status}"
    return too_large(name, limit, f"; the reader died by {sig}", page)


def raise_if_out_of_memory(exc: BaseException) -> None:
    """Re-raise as MemoryError an lxml error whose cause was a failed allocation:
    libxml2 reports it as a syntax error ('unknown error', ERR_NO_MEMORY in its
    log), which a reader would word as a damaged file."""
    log = getattr(exc, "error_log", None) or ()
    if any(getattr(entry, "type_name", "") == "ERR_NO_MEMORY" for entry in log):
        raise MemoryError(str(exc)) from None


def timed_out(name: str, seconds: float) -> LimitError:
    return LimitError(f"no answer within {seconds:g} s (--timeout)", path=name)
