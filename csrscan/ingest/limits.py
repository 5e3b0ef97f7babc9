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


def too_large(name: str, limit: int | None, where: str = "") -> LimitError:
    """The error of an input whose parsing ran out of its memory cap; `where`
    ('; page 12', '; the reader died by SIGABRT') is added to the note."""
    cap = f"in {mib(limit)} MiB (--max-memory{where})" if limit else \
        f"in the memory available{f' ({where[2:]})' if where else ''}"
    return LimitError(f"input too large to parse {cap}", path=name)


def died(name: str, limit: int | None, status: int) -> LimitError:
    """The error of a parsing process that died by a signal: with a memory cap
    in force a C library's failed allocation is the likely cause."""
    try:
        sig = signal.Signals(status).name
    except ValueError:
        sig = f"signal {status}"
    return too_large(name, limit, f"; the reader died by {sig}")


def timed_out(name: str, seconds: float) -> LimitError:
    return LimitError(f"no answer within {seconds:g} s (--timeout)", path=name)
