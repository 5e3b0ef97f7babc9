"""A small process pool that can kill one stuck task (docs/compare.md, --timeout).

`concurrent.futures.ProcessPoolExecutor` cannot stop a single running task:
killing a worker breaks the whole pool. Here every worker owns a pipe; the
supervisor hands one item at a time to an idle, ready worker, waits on all
pipes, kills a worker whose item runs past the deadline (the item is reported
as a timeout) and starts a fresh one. A worker that dies (segfault in a PDF
library, out of memory) is reported as a crash for its item and replaced.
Workers are recycled after `max_tasks` items to keep memory bounded, or at
once after a result that says `retire_worker` (it ran out of memory), and run
`initializer` once (compile the rule pack) before saying they are ready; with
fork the parent runs it first, so each worker finds it done (cached).
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing as mp
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

READY = "__ready__"
MAX_STARTUP_FAILURES = 5


@dataclass(frozen=True, slots=True)
class Failed(Generic[T]):
    """An item whose worker was killed (timeout) or died (crash)."""

    item: T
    kind: str  # "timeout" | "crash"
    message: str
    exitcode: int | None = None  # a crash: the worker's (negative: killed by that signal)
    page: int = 0  # a crash: the page the worker's PDF reader was on (0: none, unknown)


def _worker(conn: Connection, func: Callable[[Any], Any],
            initializer: Callable[[], None] | None, max_tasks: int,
            memory_limit: int | None = None, mark: Any = None) -> None:
    from csrscan.ingest.limits import die_with_parent, set_memory_limit, watch_pages

    die_with_parent()  # a killed supervisor (SIGKILL, a CI cancel) leaves no orphan
    watch_pages(mark)  # the page it reads, for the supervisor to name if it dies there
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the supervisor handles Ctrl-C
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the supervisor's handler
    if initializer is not None:
        initializer()
    set_memory_limit(memory_limit)  # after the initializer: the cap is for the inputs
    conn.send(READY)
    for _ in range(max_tasks):
        try:
            item = conn.recv()
        except EOFError:
            return
        if item is None:
            return
        result = func(item)
        conn.send(result)
        if getattr(result, "retire_worker", False):  # the supervisor replaces this worker
            return


@dataclass(slots=True)
class _Slot:
    proc: Any
    conn: Connection
    ready: bool = False
    item: Any = None
    busy: bool = False
    deadline: float = 0.0
    done: int = 0
    mark: Any = None  # its PageMark (forked workers only: the memory is inherited)


def _context(method: str | None = None) -> Any:
    """fork on Linux when no other thread runs (workers inherit the warm parent);
    else spawn (each worker runs the initializer)."""
    if method:
        return mp.get_context(method)
    if sys.platform == "linux" and threading.active_count() == 1:
        return mp.get_context("fork")
    return mp.get_context("spawn")


def run_pool(func: Callable[[T], R], items: list[T], jobs: int, timeout: float | None,
             initializer: Callable[[], None] | None = None, max_tasks: int = 50,
             start_method: str | None = None, memory_limit: int | None = None
             ) -> Iterator[R | Failed[T]]:
    """Yield func(item) for every item, or Failed, as each finishes (any order).

    `func` must catch its own exceptions; only timeouts and crashes are
    reported as `Failed`. `func`/`initializer` must be picklable. Each worker
    is held to `memory_limit` bytes (ingest.limits) and dies with this process.
    """
    ctx = _context(start_method)
    pending: deque[T] = deque(items)
    slots: list[_Slot] = []
    startup_failures = [0]

    forks = ctx.get_start_method() == "fork"
    frozen_by_caller = gc.get_freeze_count() > 0  # then the caller unfreezes, not we

    def spawn() -> _Slot:
        from csrscan.ingest.limits import PageMark

        parent, child = ctx.Pipe(duplex=True)
        mark = PageMark() if forks else None
        proc = ctx.Process(target=_worker, daemon=True,
                           args=(child, func, initializer, max_tasks, memory_limit, mark))
        if forks:
            # the parent's objects (compiled pack, tokenizer, modules) out of the
            # collector's reach: a child's collections then never walk them, which
            # would write their headers and copy every page they sit on
            gc.freeze()
        proc.start()
        child.close()
        return _Slot(proc=proc, conn=parent, mark=mark)

    def retire(slot: _Slot, kill: bool) -> None:
        if not slot.ready:
            startup_failures[0] += 1
            if startup_failures[0] > MAX_STARTUP_FAILURES:
                raise RuntimeError("worker processes die before they are ready")
        if kill:
            slot.proc.kill()
        slot.proc.join(timeout=5)
        slot.conn.close()
        if slot.mark is not None:
            slot.mark.close()
        slots.remove(slot)
        wanted = min(jobs, len(pending) + sum(s.busy for s in slots))
        if (pending or any(s.busy for s in slots)) and len(slots) < wanted:
            slots.append(spawn())

    try:
        for _ in range(max(1, min(jobs, len(items)))):
            slots.append(spawn())
        while pending or any(s.busy for s in slots):
            for slot in slots:
                if slot.ready and not slot.busy and pending:
                    slot.item = pending.popleft()
                    slot.busy = True
                    slot.deadline = time.monotonic() + timeout if timeout else float("inf")
                    with contextlib.suppress(OSError):  # a dead worker: EOF reports it
                        slot.conn.send(slot.item)
            now = time.monotonic()
            nearest = min((s.deadline for s in slots if s.busy), default=float("inf"))
            wait_for = None if nearest == float("inf") else max(0.0, nearest - now)
            ready = wait([s.conn for s in slots], timeout=wait_for)
            for slot in [s for s in slots if s.conn in ready]:
                yield from _receive(slot, retire, max_tasks)
            now = time.monotonic()
            for slot in [s for s in slots if s.busy and s.deadline <= now]:
                item, slot.busy = slot.item, False
                retire(slot, kill=True)
                yield Failed(item, "timeout", f"timed out after {timeout:g} s (worker killed)")
    finally:
        for slot in slots:
            if slot.proc.is_alive():
                slot.proc.kill()
            slot.proc.join(timeout=5)
            slot.conn.close()
            if slot.mark is not None:
                slot.mark.close()
        if forks and not frozen_by_caller:
            gc.unfreeze()  # the caller's heap as it was


def _receive(slot: _Slot, retire: Callable[[_Slot, bool], None], max_tasks: int
             ) -> Iterator[Any]:
    try:
        msg = slot.conn.recv()
    except (EOFError, OSError):
        slot.proc.join(timeout=5)
        code = slot.proc.exitcode
        if slot.busy:
            item, slot.busy = slot.item, False
            page = slot.mark.get() if slot.mark is not None else 0
            retire(slot, False)
            yield Failed(item, "crash", f"worker died (exit code {code})", code, page)
        else:
            retire(slot, False)
        return
    if isinstance(msg, str) and msg == READY:
        slot.ready = True
        return
    slot.busy = False
    slot.done += 1
    if slot.done >= max_tasks or getattr(msg, "retire_worker", False):
        retire(slot, False)
    yield msg
