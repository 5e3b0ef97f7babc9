"""Batch scanning: find files, scan each in a worker, stream outcomes, resume.

The per-file task (`FileTask`) is the same for every executor (local process
pool, Dask): read the file, hash it, take the `Document` from the cache or
ingest it, identify company/year, scan it, and return an `Outcome` holding
the `csrscan.report/1` dict (plus `identity`) or the failure. It never raises.
"""

from __future__ import annotations

import glob
import hashlib
import os
import stat
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from csrscan.errors import CsrscanError, InputError, LimitError
from csrscan.ingest import IngestOptions, suffixes
from csrscan.ingest.limits import died, too_large
from csrscan.match.sentences import warm_matcher
from csrscan.models import Document, Pack, printable_path

GLOB_CHARS = set("*?[")
ERROR_SCHEMA = "csrscan.error/1"
# the pack warmed last in this process: a forked worker inherits it, and so knows
# that its parent did the work (a spawned worker unpickles another Pack: not in it)
_WARMED: list[Pack] = []


@dataclass(frozen=True, slots=True)
class JobSpec:
    """Everything a worker needs; picklable, sent once per worker/task."""

    ingest: IngestOptions = field(default_factory=IngestOptions)
    use_cache: bool = True
    cache_dir: str | None = None  # None: the worker's own default
    # every quote in the result (journal, xlsx, html, --db show them); without,
    # a report crosses to the parent a fraction of its size (~2,000 quotes each)
    quotes: bool = True


@dataclass(frozen=True, slots=True)
class Outcome:
    """One file's result: `data` is the report dict (ok) or None (failed)."""

    path: str
    sha256: str
    kind: str  # ok | resumed | input | error | timeout | crash
    data: dict[str, Any] | None = None
    error: str = ""
    seconds: float = 0.0
    cached: bool = False
    # the worker ran out of its memory cap: its heap stays fragmented, so the
    # pool replaces it rather than give it the next file (pool.RETIRE)
    retire_worker: bool = False

    def __post_init__(self) -> None:
        # the path as outputs show it (a report's source.path is made so too)
        object.__setattr__(self, "path", printable_path(self.path))

    @property
    def ok(self) -> bool:
        return self.data is not None

    def to_line(self) -> dict[str, Any]:
        """The JSONL record: the report, or a `csrscan.error/1` record."""
        if self.data is not None:
            return self.data
        return {"schema": ERROR_SCHEMA, "path": self.path, "sha256": self.sha256 or None,
                "kind": self.kind, "error": self.error}


# ---- discovery ------------------------------------------------------------------

def discover(args: Sequence[str]) -> list[str]:
    """Expand files, folders (recursive, supported suffixes) and globs; sorted, unique."""
    found: set[str] = set()
    for arg in args:
        if GLOB_CHARS & set(arg):
            matches = glob.glob(arg, recursive=True)
            if not matches:
                raise InputError("no file matches this pattern", path=arg)
        else:
            if not os.path.exists(arg):
                raise InputError("no such file or directory", path=arg)
            matches = [arg]
        expanded = [f for m in matches for f in _expand(Path(m))]
        if not expanded:  # a folder (or the folders a glob names) with no report in it
            raise InputError(f"no report file here (looked for {' '.join(suffixes())})",
                             path=arg)
        found.update(expanded)
    return sorted(found)


def _expand(path: Path) -> list[str]:
    if path.is_dir():
        return [display_path(p) for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in suffixes() and _visible(p, path)]
    return [display_path(path)]


def _visible(p: Path, root: Path) -> bool:
    return not any(part.startswith((".", "~$")) for part in p.relative_to(root).parts)


def display_path(path: str | Path) -> str:
    """Relative to the working directory when below it (deterministic output)."""
    p = Path(path)
    if p.is_absolute():
        try:
            return str(p.relative_to(Path.cwd()))
        except ValueError:
            return str(p)
    return os.path.normpath(str(p))


def file_sha256(path: str) -> str:
    """The hash of a regular file. A FIFO or device is refused (an OSError), never
    read: opened without O_NONBLOCK a FIFO without a writer blocks the caller,
    and in a batch that caller can be the supervisor."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with open(fd, "rb") as fh:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            what = "a FIFO" if stat.S_ISFIFO(mode) else "a device or socket"
            raise OSError(0, f"is {what}, not a regular file")
        os.set_blocking(fd, True)
        h = hashlib.sha256()
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# ---- the per-file task -------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class FileTask:
    """Callable, picklable per-file task shared by the local and Dask executors.

    It carries the loaded `Pack` (a few KB pickled), so workers need no rule
    files; the matcher and tokenizer compiled from it are cached per process.
    """

    spec: JobSpec
    pack: Pack

    def warm(self) -> None:
        """Do now, once, what a file's scan otherwise builds on its first file: the
        compiled pack, the tokenizer, the imports and regexes of reading a file,
        identity and the report dict. The pool's parent warms before it forks, so
        its workers share all of it; without this each worker paid ~0.05 s CPU more
        on its first file (measured: 60 real reports), a spawned worker runs it itself.
        """
        import contextlib
        import tempfile

        if any(p is self.pack for p in _WARMED):
            return
        # the full tokenizer first: a batch cuts more text than the partial one
        # serves, and the warm-up below then needs no lexicon
        warm_matcher(self.pack)
        text = "".join(t for i in self.pack.indicators[:3] for p in i.patterns[:1]
                       for t in p.terms[:1]) or "warm"
        # best effort: with no writable temp folder the first file pays instead
        with contextlib.suppress(OSError), \
                tempfile.TemporaryDirectory(prefix="csrscan-warm-") as folder:
            path = os.path.join(folder, "warm.txt")
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(f"2020年度社会责任报告\n{text}。\n")
            scan_file(path, replace(self.spec, use_cache=False), self.pack)
        _WARMED[:] = [self.pack]  # the last one: a long-lived caller keeps no old pack

    def __call__(self, path: str) -> Outcome:
        return scan_file(path, self.spec, self.pack)


def scan_file(path: str, spec: JobSpec, pack: Pack) -> Outcome:
    return run_file(path, spec, lambda sha: _scan(path, sha, spec, pack))


def run_file(path: str, spec: JobSpec,
             work: Callable[[str], tuple[dict[str, Any], bool]]) -> Outcome:
    """`work(sha256)` on one file, every failure an Outcome (compare's and tag's
    workers): the batch goes on, and a worker past its memory cap is retired."""
    start = time.perf_counter()
    sha = ""
    try:
        sha = file_sha256(path)
        data, cached = work(sha)
        return Outcome(path, sha, "ok", data, seconds=time.perf_counter() - start,
                       cached=cached)
    except CsrscanError as exc:
        return Outcome(path, sha, "input", error=exc.message,
                       seconds=time.perf_counter() - start,
                       retire_worker=isinstance(exc, LimitError))
    except MemoryError:  # past --max-memory outside the reader (normalizing, matching)
        return Outcome(path, sha, "input", error=too_large(path, spec.ingest.max_memory).message,
                       seconds=time.perf_counter() - start, retire_worker=True)
    except OSError as exc:
        return Outcome(path, sha, "input", error=f"cannot read: {exc.strerror or exc}",
                       seconds=time.perf_counter() - start)
    except Exception as exc:
        return Outcome(path, sha, "error", error=f"{type(exc).__name__}: {exc}",
                       seconds=time.perf_counter() - start)


def load_document(path: str, sha: str, spec: JobSpec) -> tuple[Document, bool]:
    """The file's `Document`, from the cache when it holds it (and whether it did)."""
    from csrscan.cachedir import cache_root
    from csrscan.ingest import path_to_document
    from csrscan.ingest.cache import DocumentCache, options_key

    store = None
    if spec.use_cache:
        store = DocumentCache(cache_root(spec.cache_dir),
                              options_key(spec.ingest.ocr, spec.ingest.encoding,
                                          spec.ingest.attachments, spec.ingest.password))
    doc = store.get(sha, path) if store else None
    cached = doc is not None
    if doc is None:
        doc = path_to_document(path, spec.ingest)
        if store and doc.sha256 == sha:
            store.put(doc)
    return doc, cached


def _scan(path: str, sha: str, spec: JobSpec, pack: Pack) -> tuple[dict[str, Any], bool]:
    from csrscan.compare.identity import identify
    from csrscan.render.report import report_to_dict
    from csrscan.stages import document_to_report

    doc, cached = load_document(path, sha, spec)
    report = document_to_report(doc, pack)
    data = report_to_dict(report, quotes=spec.quotes)
    ident = identify(replace(doc, path=printable_path(doc.path)))  # a name guessed from it
    data["identity"] = {"company": ident.company, "year": ident.year,
                        "company_rule": ident.company_rule, "year_rule": ident.year_rule}
    return data, cached


# ---- executors -------------------------------------------------------------------

Executor = Callable[[FileTask, list[str]], Iterator[Outcome]]


def local_executor(jobs: int, timeout: float | None, max_tasks: int = 50) -> Executor:
    def run(task: FileTask, paths: list[str]) -> Iterator[Outcome]:
        from csrscan.compare.pool import Failed, run_pool

        task.warm()  # forked workers inherit the compiled pack and tokenizer
        # several workers: largest files first, so that none is left with a big one at the end
        order = largest_first(paths) if jobs > 1 else paths
        limit = task.spec.ingest.max_memory
        for res in run_pool(task, order, jobs, timeout, initializer=task.warm,
                            max_tasks=max_tasks, memory_limit=limit):
            if isinstance(res, Failed):
                error = res.message
                if res.exitcode is not None and res.exitcode < 0 and limit:
                    error = died(str(res.item), limit, -res.exitcode, res.page).message
                yield Outcome(str(res.item), _quiet_sha(str(res.item)), res.kind,
                              error=error, seconds=timeout or 0.0)
            else:
                yield res
    return run


def largest_first(paths: list[str]) -> list[str]:
    """By size, largest first (ties by path); a file that cannot be read counts as empty."""
    def size(path: str) -> int:
        try:
            return os.stat(path).st_size
        except OSError:
            return 0
    return sorted(paths, key=lambda p: (-size(p), p))


def _quiet_sha(path: str) -> str:
    try:
        return file_sha256(path)
    except OSError:
        return ""
