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
import logging
import os
import pickle
import select
import signal
import struct
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, BinaryIO

from csrscan.ingest.limits import die_with_parent

log = logging.getLogger(__name__)

MIN_PAGES_PER_PART = 25  # below this a part does not pay for its fork and pipe (measured)
_LENGTH = struct.Struct("<Q")  # a message: its pickled length, then the pickle


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    if sys.platform != "linux" or threading.active_count() != 1:
        return False
    # a worker of compare's pool (multiprocessing is imported there) never forks again
    mp = sys.modules.get("multiprocessing")
    return mp is None or not mp.current_process().daemon


def part_bounds(count: int, jobs: int) -> list[tuple[int, int]]:
    """[start, stop) ranges cutting `count` pages into at most `jobs` equal parts.

    Equal is best measured: a larger first part (the parent's, to make up for
    taking in the helpers' evidence) made 300 and 1,000 pages 1.5–3 % slower,
    since the helpers then wait at the furniture count."""
    parts = max(1, min(jobs, count // MIN_PAGES_PER_PART))
    cuts = [count * i // parts for i in range(parts + 1)]
    return list(itertools.pairwise(cuts))


@dataclass(slots=True)
class Channel:
    """One end of a pair of pipes: whole pickled messages each way."""

    reader: BinaryIO | None
    writer: BinaryIO | None

    def send(self, value: Any) -> None:
        assert self.writer is not None
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        self.writer.write(_LENGTH.pack(len(data)) + data)
        self.writer.flush()

    def waiting(self, timeout: float = 0.0) -> bool:
        """A message has arrived, or does within `timeout` s (nothing is read).
        poll, not select: select fails on descriptors past 1023."""
        assert self.reader is not None
        poller = select.poll()
        poller.register(self.reader, select.POLLIN)
        return bool(poller.poll(max(0, round(timeout * 1000))))

    def recv(self) -> Any:
        assert self.reader is not None
        head = self.reader.read(_LENGTH.size)
        if len(head) < _LENGTH.size:
            raise EOFError("the other side closed its pipe")
        (size,) = _LENGTH.unpack(head)
        data = self.reader.read(size)
        if len(data) < size:
            raise EOFError("the other side closed its pipe mid-message")
        return pickle.loads(data)

    def close(self) -> None:
        for stream in (self.reader, self.writer):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        self.reader = self.writer = None


@dataclass(slots=True)
class Helper:
    """A forked child running fn(channel, *args), talked to over its channel.

    `recv()` returns None once the child has failed (an exception, a crash, a
    killed process); after that the helper is closed and the caller does the
    child's work itself.  A child never sends None on purpose.
    """

    pid: int
    channel: Channel
    failed: bool = False

    def send(self, value: Any) -> bool:
        if self.failed:
            return False
        try:
            self.channel.send(value)
        except (OSError, ValueError):  # the child is gone
            self.close()
            return False
        return True

    def recv(self, timeout: float | None = None) -> Any:
        """The child's next message; None if it failed, or sent nothing in `timeout` s
        (it is then killed)."""
        if self.failed:
            return None
        try:
            if timeout is not None and not self.channel.waiting(timeout):
                log.debug("helper process %d sent nothing in %s s: killed", self.pid, timeout)
                self.close(wait=0)
                return None
            return self.channel.recv()
        except (EOFError, OSError, pickle.UnpicklingError) as exc:  # died without answering
            log.debug("helper process %d ended without answering: %r", self.pid, exc)
            self.close()
            return None

    def close(self, wait: float = 5.0) -> None:
        """Close the pipes and reap the child (killed if it does not end in `wait` s)."""
        self.failed = True
        self.channel.close()
        if self.pid:
            deadline = time.monotonic() + wait
            while os.waitpid(self.pid, os.WNOHANG) == (0, 0):
                if time.monotonic() > deadline:
                    os.kill(self.pid, signal.SIGKILL)
                    os.waitpid(self.pid, 0)
                    break
                time.sleep(0.001)
            self.pid = 0


def start(fn: Callable[..., None], *args: Any) -> Helper | None:
    """Fork a child running fn(channel, *args); None if forking is not possible.

    fn and args are inherited by the fork, never pickled: the child sees the
    parent's memory (an open PDF, a compiled rule pack) as it was.  The child
    ends with os._exit: it never runs the parent's exit handlers or flushes
    the parent's buffered output a second time.
    """
    if not can_fork():
        return None
    fds: list[int] = []  # to the child (read, write), then to the parent
    try:
        fds += os.pipe()
        fds += os.pipe()
        pid = os.fork()
    except OSError:  # no descriptors or processes left, no memory to fork
        for fd in fds:
            os.close(fd)
        return None
    to_child, to_parent = fds[:2], fds[2:]
    if pid == 0:  # the child
        code = 1
        try:
            die_with_parent()  # a killed scan leaves no helper reading on
            os.close(to_child[1])
            os.close(to_parent[0])
            fn(Channel(os.fdopen(to_child[0], "rb"), os.fdopen(to_parent[1], "wb")), *args)
            code = 0
        except BaseException:  # the pipes close and the parent does the work; say why
            log.debug("helper process %d failed", os.getpid(), exc_info=True)
        finally:
            os._exit(code)
    os.close(to_child[0])
    os.close(to_parent[1])
    return Helper(pid, Channel(os.fdopen(to_parent[0], "rb"), os.fdopen(to_child[1], "wb")))
