"""The guarded child's answer streams back (parallel/guard.py): the deadline
holds while it streams, and an answer cut short or unpicklable is one clear
error, never a hang or a traceback."""

from __future__ import annotations

import time

import pytest

from csrscan.errors import CsrscanError, LimitError
from csrscan.parallel.guard import run_guarded


class SlowToPickle:
    """Pickling it takes `seconds`: its answer streams in slowly."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def __reduce__(self) -> tuple[type, tuple[float]]:
        time.sleep(self.seconds)
        return SlowToPickle, (0.0,)


def test_the_deadline_holds_while_the_answer_streams() -> None:
    started = time.monotonic()
    with pytest.raises(LimitError, match=r"no answer within 1 s"):
        # the first frames (the bytes) arrive at once; the rest only after 6 s
        run_guarded(lambda: [b"x" * 300_000, SlowToPickle(6.0)], "slow.txt", None, 1.0)
    assert time.monotonic() - started < 4


def test_a_large_answer_streams_back_whole() -> None:
    answer = run_guarded(lambda: ["报告" * 1000] * 2000 + [b"y" * 5_000_000], "big.txt",
                         2**31, None)
    assert len(answer) == 2001 and answer[0] == "报告" * 1000 and len(answer[-1]) == 5_000_000


def test_an_answer_that_cannot_be_pickled_is_one_error() -> None:
    started = time.monotonic()
    with pytest.raises(CsrscanError, match=r"big\.txt: the reader ended without an answer"):
        run_guarded(lambda: [b"z" * 300_000, lambda: None], "big.txt", 2**31, None)
    assert time.monotonic() - started < 10


def test_the_input_is_released_in_the_parent_once_the_child_runs() -> None:
    held = [b"input"]
    assert run_guarded(lambda: held.pop(), "x.txt", 2**31, None, release=held.clear) == b"input"
    assert held == []  # the parent's copy: let go (the child popped its own)
