"""Scan one input in a forked child under its memory cap and time limit.

`scan` and `check` parse in a child so that the limits hold even when a C
library is the one that blows up: PDFium aborts its process when an
allocation fails (a flate bomb under the cap), and a regex or a parser stuck
in C never returns to Python to see a SIGALRM. The parent only waits: the
child's answer (the `Report`, or the error it raised, pickled), its death
(by a signal: worded as the memory cap), or the deadline (the child is
killed). The child dies with the parent (die_with_parent), so a killed scan
leaves nothing behind.

Without fork (not Linux, other threads running, a `compare` worker, which
has its own limits) `fn` runs in this process without them; a Dask worker's
task forks all the same (`threaded`: compare/executor_dask.py).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any, BinaryIO, TypeVar

from csrscan.errors import CsrscanError, InputError
from csrscan.ingest.limits import (
    PageMark,
    die_with_parent,
    died,
    reading_page,
    set_memory_limit,
    timed_out,
    too_large,
    watch_pages,
)
from csrscan.parallel import forked

T = TypeVar("T")
ANSWER_TOO_LARGE = 75  # the child's exit when its answer did not fit under the cap
GRACE = 1.0  # seconds a child whose answer ended short may take to finish dying


def run_guarded(fn: Callable[[], T], name: str, max_memory: int | None,
                timeout: float | None, threaded: bool = False,
                release: Callable[[], None] | None = None) -> T:
    """fn() in a child limited to `max_memory` bytes and `timeout` seconds.

    `threaded`: fork even though other threads run in this (daemonic) process:
    a Dask worker's task, whose child only scans, answers and exits.
    `release`: called in the parent once the child runs, to let go of what
    only the child needs (the input's bytes: a huge text's copy would
    otherwise sit in the parent beside the answer it reads)."""
    if max_memory is None and not timeout:
        return fn()
    if not (forked.can_fork() or (threaded and sys.platform == "linux")):
        return fn()
    mark = PageMark()  # the page the child reads: named if it dies there
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: answer once, then leave without the parent's exit handlers
        os.close(read_fd)
        watch_pages(mark)
        _child(fn, name, max_memory, os.fdopen(write_fd, "wb"))
    os.close(write_fd)
    if release is not None:
        release()
    try:
        with os.fdopen(read_fd, "rb") as reader:
            return _wait(reader, pid, name, max_memory, timeout, mark)  # type: ignore[no-any-return]
    finally:
        mark.close()


def _child(fn: Callable[[], object], name: str, max_memory: int | None,
           writer: BinaryIO) -> None:
    code = 0
    try:
        die_with_parent()
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the parent answers it
        set_memory_limit(max_memory)
        try:
            answer: tuple[str, object] = ("ok", fn())
        except MemoryError:
            answer = ("error", too_large(name, max_memory, page=reading_page()))
        except CsrscanError as exc:
            answer = ("error", _portable(exc))
        except BaseException as exc:  # a bug: the parent raises it as an internal error
            if os.environ.get("CSRSCAN_DEBUG"):  # the traceback is the child's
                traceback.print_exc()
            answer = ("error", _portable(exc))
        try:  # streamed: the answer's pickle is never held whole beside the answer
            pickle.dump(answer, writer, protocol=pickle.HIGHEST_PROTOCOL)
            writer.flush()
        except BaseException as exc:  # the stream is cut short: only the exit code speaks
            code = ANSWER_TOO_LARGE if isinstance(exc, MemoryError) else 1
            return
    except BaseException as exc:  # the child's own plumbing failed: say how, if it can
        code = 1
        with contextlib.suppress(BaseException):
            writer.write(pickle.dumps(("error", RuntimeError(
                f"the reader's process failed: {type(exc).__name__}: {exc}"))))
            writer.flush()
    finally:
        os._exit(code)


def _portable(exc: BaseException) -> BaseException:
    """The exception itself when it survives pickling; else the same csrscan
    error made anew from its message and path, or a RuntimeError saying it.

    A reader's error has been seen to drag an lxml error log along (one that
    cannot be pickled) in a long-running process: the user's message must
    still arrive."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        if isinstance(exc, CsrscanError):
            with contextlib.suppress(Exception):
                fresh = type(exc)(exc.message, path=exc.path)
                pickle.dumps(fresh)
                return fresh
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc


def _wait(reader: BinaryIO, pid: int, name: str, max_memory: int | None,
          timeout: float | None, mark: PageMark) -> Any:
    answer: tuple[str, Any] | None = None
    ended = False  # the stream ended (complete or not), not a timeout or Ctrl-C
    deadline = time.monotonic() + timeout if timeout else None
    try:
        # unpickled as it streams in: the pickle's bytes are never held whole
        # beside the objects they make (a huge text's answer is hundreds of MB);
        # the deadline holds while it streams too
        with contextlib.suppress(EOFError, pickle.UnpicklingError, TypeError,
                                 AttributeError, ValueError, IndexError, KeyError):
            answer = pickle.load(_DeadlineReader(reader.fileno(), deadline))
        ended = True
    except TimeoutError:
        raise timed_out(name, timeout or 0) from None
    finally:  # a timeout, a garbled answer or Ctrl-C in the parent: the child goes too
        status = _reap(pid, reader, answer is None, GRACE if ended else 0.0)
    if answer is None:  # nothing, or a pickle cut short: the child died answering
        if status is None:  # killed here: the stream was garbled, the child alive
            raise InputError("the reader's answer was garbled", path=name)
        if os.WIFSIGNALED(status):
            raise died(name, max_memory, os.WTERMSIG(status), mark.get())
        if os.WEXITSTATUS(status) == ANSWER_TOO_LARGE:
            raise too_large(name, max_memory)
        raise InputError(f"the reader ended without an answer (exit {os.WEXITSTATUS(status)})",
                         path=name)
    kind, value = answer
    if kind == "ok":
        return value
    raise value


def _reap(pid: int, reader: BinaryIO, unanswered: bool, grace: float) -> int | None:
    """The child's wait status; None when it was still running without an
    answer (a timeout, Ctrl-C, a garbled stream: after `grace` seconds to
    finish dying) and was killed here."""
    if unanswered:
        reader.close()  # a child still writing gets EPIPE, never a full pipe
        until = time.monotonic() + grace
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return status
            if time.monotonic() >= until:
                break
            time.sleep(0.01)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        return None
    return os.waitpid(pid, 0)[1]


class _DeadlineReader:
    """The pipe as pickle.load reads it, each read waiting no later than `deadline`."""

    def __init__(self, fd: int, deadline: float | None) -> None:
        self.fd, self.deadline = fd, deadline

    def read(self, size: int = -1) -> bytes:
        chunks: list[bytes] = []
        got = 0
        while size < 0 or got < size:
            self._wait()
            chunk = os.read(self.fd, 1 << 20 if size < 0 else min(size - got, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks)

    def readline(self) -> bytes:  # only text opcodes use it: a byte at a time will do
        line = b""
        while not line.endswith(b"\n"):
            byte = self.read(1)
            if not byte:
                break
            line += byte
        return line

    def _wait(self) -> None:
        left = None if self.deadline is None else self.deadline - time.monotonic()
        if left is not None and (left <= 0 or not _poll(self.fd, left)):
            raise TimeoutError


def _poll(fd: int, seconds: float) -> bool:
    import select

    poller = select.poll()  # not select(): descriptors past 1023
    poller.register(fd, select.POLLIN)
    return bool(poller.poll(max(0, round(seconds * 1000))))
