"""Run part of one scan in forked helper processes (a long PDF on several cores).

A long report is cut into page ranges: the calling process works on the
first range while forked helpers work on the others, and their results are
joined in page order, so the output is the same as a sequential run.  A
helper inherits the parent's memory (the PDF bytes, the compiled rule pack,
the tokenizer), so only its *result* crosses a pipe.

A helper is an optimisation, never a source of errors: if it fails in any
way (an exception, a crash, a killed process) its result is None and the
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
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

R = TypeVar("R")

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
class Forked(Generic[R]):
    """fn(*args) running in a forked child; `result()` is None if it failed."""

    proc: Any
    conn: Connection

    def result(self) -> R | None:
        try:
            value: R | None = self.conn.recv()  # before join: a big result fills the pipe
        except (EOFError, OSError):  # the child died without answering
            value = None
        finally:
            self.conn.close()
            self.proc.join(timeout=5)
            if self.proc.is_alive():
                self.proc.kill()
        return value


def start(fn: Callable[..., R], *args: Any) -> Forked[R] | None:
    """Fork a child computing fn(*args); None if forking is not possible."""
    if not can_fork():
        return None
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    try:
        # fork: fn and args are inherited, never pickled
        proc = ctx.Process(target=_child, args=(send, fn, args), daemon=True)
        proc.start()
    except OSError:  # no processes left, no memory to fork
        receive.close()
        send.close()
        return None
    send.close()
    return Forked(proc, receive)


def _child(send: Connection, fn: Callable[..., Any], args: Sequence[Any]) -> None:
    result = None
    with contextlib.suppress(BaseException):  # any failure: the parent does the work
        result = fn(*args)
    with contextlib.suppress(BaseException):
        send.send(result)
    send.close()
