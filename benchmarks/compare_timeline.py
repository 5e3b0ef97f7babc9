#!/usr/bin/env python3
"""Where a `csrscan compare` run spends its wall time: the parent's serial start
(imports, rule pack, warm-up), each worker's files, the tail, the parent's end.

    python benchmarks/compare_timeline.py [--jobs N] [compare options] PATHS...

Runs the compare command in this process (`--no-cache --progress none --format
json` added), with the pool's parent and workers stamping what they do into a
shared folder; prints one line per process. Amdahl: with 2 jobs the run cannot be
faster than the parent's start plus half the workers' work plus the tail.
"""

from __future__ import annotations

import contextlib
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

T0 = time.time()
STAMPS = Path(tempfile.mkdtemp(prefix="csrscan-timeline-"))


def stamp(what: str) -> None:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    with (STAMPS / str(os.getpid())).open("a", encoding="utf-8") as fh:
        fh.write(f"{time.time() - T0:.4f} {ru.ru_utime + ru.ru_stime:.4f} "
                 f"{ru.ru_minflt} {what}\n")


def instrument() -> None:
    from csrscan.compare import batch, journal, pool

    warm, scan_file, worker = batch.FileTask.warm, batch.scan_file, pool._worker
    write = journal.JournalWriter.write

    def timed_write(self: Any, outcome: Any) -> None:  # the parent has a file's result
        stamp("result")
        write(self, outcome)

    def timed_warm(self: Any) -> None:
        stamp("warm<")
        warm(self)
        stamp("warm>")

    def timed_scan(path: str, spec: Any, pack: Any) -> Any:
        out = scan_file(path, spec, pack)
        stamp("file")  # when it ends
        return out

    def timed_worker(*args: Any, **kwargs: Any) -> None:
        stamp("worker<")
        worker(*args, **kwargs)

    batch.FileTask.warm = timed_warm  # type: ignore[method-assign]
    batch.scan_file = timed_scan
    pool._worker = timed_worker
    journal.JournalWriter.write = timed_write  # type: ignore[method-assign]


def report() -> None:
    rows = {int(f.name): [line.split(maxsplit=3) for line in f.read_text().splitlines()]
            for f in STAMPS.iterdir()}
    parent = rows.pop(os.getpid())
    marks = {r[3]: float(r[0]) for r in parent}  # "result": the last one
    first_fork = min((float(r[0][0]) for r in rows.values() if r), default=0.0)
    print(f"parent: start to warm-up {marks.get('warm<', 0):.3f} s, warm-up "
          f"{marks.get('warm>', 0) - marks.get('warm<', 0):.3f} s, first worker at "
          f"{first_fork:.3f} s, end {marks['end']:.3f} s; cpu {float(parent[-1][1]):.3f} s")
    spans = []
    for pid, lines in sorted(rows.items()):
        files = [r for r in lines if r[3] == "file"]
        if not files:
            continue
        spans.append((float(lines[0][0]), float(lines[-1][0])))
        print(f"worker {pid}: {len(files)} files, {spans[-1][0]:.3f}–{spans[-1][1]:.3f} s, "
              f"cpu {float(lines[-1][1]):.3f} s, minor faults {lines[-1][2]}")
    if spans:
        last = max(spans, key=lambda s: s[1])
        # the last worker alone: after every worker that ran beside it (not one it replaced)
        beside = [end for start, end in spans if (start, end) != last and end > last[0]]
        tail = last[1] - max(beside) if beside else 0.0
        print(f"tail (last worker alone) {tail:.3f} s; the parent has the last result "
              f"{marks['result'] - last[1]:.3f} s after the last file ends, and ends "
              f"{marks['end'] - marks['result']:.3f} s later")


def main() -> int:
    instrument()
    from csrscan.cli.root import main as cli

    stamp("start")
    with contextlib.suppress(SystemExit):
        cli(["compare", "--no-cache", "--progress", "none", "--format", "json",
             "-o", os.devnull, *sys.argv[1:]])
    stamp("end")
    report()
    return 0


if __name__ == "__main__":
    sys.exit(main())
