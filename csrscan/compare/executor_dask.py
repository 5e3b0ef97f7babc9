"""`--executor dask`: the same per-file task on an existing Dask cluster.

Needs the optional extra `csrscan[dask]` (dask + distributed) on the client
and on every worker, and the input files at the same paths on every worker
(shared storage). The rule pack travels with the task, so workers need no
rule files. Results stream back as they finish (`as_completed`).

Dask cannot stop one running task, so each task (`GuardedTask`) scans its
file in a forked child under the same limits as a local worker
(parallel/guard.py): `--max-memory` (the OS's cap, in the child only) and
`--timeout` (the child is killed). A bomb or a hang then costs that file,
never the Dask worker. A worker that dies all the same is retried by Dask
and, past its `allowed-failures`, listed as "crash".
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from csrscan.compare.batch import Executor, FileTask, Outcome
from csrscan.errors import ConfigError, LimitError


@dataclass(frozen=True, slots=True)
class GuardedTask:
    """The per-file task as it runs on a Dask worker: in a child held to the
    spec's --max-memory and to `timeout` seconds, as local workers are."""

    task: FileTask
    timeout: float | None

    def __call__(self, path: str) -> Outcome:
        from csrscan.compare.batch import _quiet_sha
        from csrscan.parallel.guard import run_guarded

        self.task.warm()  # once per worker process (cached): each child inherits it
        start = time.monotonic()
        try:
            return run_guarded(lambda: self.task(path), path, self.task.spec.ingest.max_memory,
                               self.timeout, threaded=True)
        except LimitError as exc:  # the child was killed (timeout) or died (the cap)
            seconds = time.monotonic() - start
            if self.timeout and seconds >= self.timeout:
                return Outcome(path, _quiet_sha(path), "timeout", seconds=seconds,
                               error=f"timed out after {self.timeout:g} s (task killed)")
            return Outcome(path, _quiet_sha(path), "crash", error=exc.message, seconds=seconds)


def dask_executor(address: str, timeout: float | None = None) -> Executor:
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise ConfigError("--executor dask needs the dask extra: "
                          "pip install 'csrscan[dask]'") from None

    def run(task: FileTask, paths: list[str]) -> Iterator[Outcome]:
        if not paths:
            return
        try:
            client = Client(address, timeout="20s")  # type: ignore[no-untyped-call]
        except OSError as exc:
            raise ConfigError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
        try:
            # Workers may run elsewhere: send absolute paths, report the given ones.
            absolute = {str(Path(p).resolve()): p for p in paths}
            futures = client.map(GuardedTask(task, timeout), list(absolute), pure=False)
            shown = {f.key: absolute[a] for f, a in zip(futures, absolute, strict=True)}
            for future in as_completed(futures):  # type: ignore[no-untyped-call]
                yield _outcome(future, shown[future.key])
        finally:
            client.close()  # type: ignore[no-untyped-call]
    return run


def _outcome(future: object, key_path: str) -> Outcome:
    from dataclasses import replace

    try:
        result: Outcome = future.result()  # type: ignore[attr-defined]
    except Exception as exc:
        return Outcome(key_path, "", "crash", error=f"{type(exc).__name__}: {exc}")
    data = result.data
    if data is not None:
        data = {**data, "source": {**data["source"], "path": key_path}}
    return replace(result, path=key_path, data=data)
