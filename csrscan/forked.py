"""Forked helper processes: part of one scan on another core (see split.py).

A helper inherits the parent's memory (the PDF bytes, the compiled rule
pack, the tokenizer), so only small messages and its *results* cross a pipe.

A helper is an optimisation, never a source of errors: if it fails in any
way (an exception, a crash, a killed process) `recv()` gives None and the
caller does that part itself, so messages and exit codes stay those of the
sequential path.  Splitting is off where forking is unsafe or not allowed:
not Linux, other threads running, or inside a daemon worker of `compare`
(whose pool already uses the cores).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

MIN_PAGES_PER_PART = 60  # below this a part does not pay for its fork and pipe


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    if sys.platform != "linux" or threading.active_count() != 1:
        return False
    import multiprocessing as mp  # lazy: ~15 ms, and only long PDFs need it

    return not mp.current_process().daemon


def part_bounds(count: int, jobs: int) -> list[tuple[int, int]]:
    """[start, stop) ranges cutting `count` pages into at most `jobs` parts."""
    parts = max(1, min(jobs, count // MIN_PAGES_PER_PART))
    cuts = [count * i // parts for i in range(parts + 1)]
    return list(itertools.pairwise(cuts))


@dataclass(slots=True)
class Helper:
    """A forked child running fn(channel, *args), talked to over a duplex pipe.

    `recv()` returns None once the child has failed (an exception, a crash, a
    killed process); after that the helper is closed and the caller does the
    child's work itself.  A child never sends None on purpose.
    """

    proc: Any
    conn: Connection | None

    def send(self, value: Any) -> bool:
        if self.conn is None:
            return False
        try:
            self.conn.send(value)
        except (OSError, ValueError):  # the child is gone
            self.close()
            return False
        return True

    def recv(self) -> Any:
        if self.conn is None:
            return None
        try:
            return self.conn.recv()
        except (EOFError, OSError):  # the child died without answering
            self.close()
            return None

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None
        self.proc.join(timeout=5)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()


def start(fn: Callable[..., None], *args: Any) -> Helper | None:
    """Fork a child running fn(channel, *args); None if forking is not possible.

    fn and args are inherited by the fork, never pickled: the child sees the
    parent's memory (an open PDF, a compiled rule pack) as it was.
    """
    if not can_fork():
        return None
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    mine, theirs = ctx.Pipe(duplex=True)
    try:
        proc = ctx.Process(target=_child, args=(theirs, fn, args), daemon=True)
        proc.start()
    except OSError:  # no processes left, no memory to fork
        mine.close()
        theirs.close()
        return None
    theirs.close()
    return Helper(proc, mine)


def _child(conn: Connection, fn: Callable[..., None], args: Sequence[Any]) -> None:
    # any failure just closes the pipe: the parent then does the work itself
    with contextlib.suppress(BaseException):
        fn(conn, *args)
    conn.close()
