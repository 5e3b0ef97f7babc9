"""Batch progress on stderr: a rich bar on a terminal, plain lines otherwise."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Any

from csrscan.compare.batch import Outcome

MODES = ("auto", "bar", "plain", "none")


class BatchProgress:
    """`advance(outcome)` after each file; use as a context manager."""

    def __init__(self, mode: str, total: int, stream: Any = None) -> None:
        self.stream = stream or sys.stderr
        if mode == "auto":
            mode = "bar" if self.stream.isatty() else "plain"
        self.mode = mode
        self.total = total
        self.done = 0
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> BatchProgress:
        if self.mode == "bar":
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self._bar = Progress(TextColumn("scanning"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("{task.fields[rate]}"), TimeElapsedColumn(),
                                 TextColumn("eta"), TimeRemainingColumn(),
                                 console=Console(file=self.stream), transient=False,
                                 auto_refresh=False)  # no thread: workers are forked
            self._bar.start()
            self._task = self._bar.add_task("scan", total=self.total, rate="")
            self._bar.refresh()
        return self

    def advance(self, outcome: Outcome) -> None:
        self.done += 1
        if self.mode == "bar":
            elapsed = self._bar.tasks[0].elapsed or 0.0
            rate = f"{self.done / elapsed:.1f} files/s" if elapsed > 0 else ""
            self._bar.update(self._task, advance=1, rate=rate, refresh=True)
            if not outcome.ok:
                from rich.markup import escape

                self._bar.console.print(f"[red]failed[/] {escape(outcome.path)}: "
                                        f"{escape(outcome.error)}", highlight=False)
        elif self.mode == "plain":
            status = "ok" if outcome.ok else f"failed ({outcome.kind}): {outcome.error}"
            print(f"[{self.done}/{self.total}] {outcome.path}: {status}",
                  file=self.stream, flush=True)

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._bar is not None:
            self._bar.stop()
