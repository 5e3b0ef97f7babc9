"""The per-file task of `csrscan tag`: scan one file, write its rows to a shard.

It runs in compare's worker pool (or on Dask) like compare's own task, with
the same cache and the same per-file isolation: a file that cannot be read
is an `Outcome` of kind input/error, never an exception. Rows go to a shard
file named by the input's position, not back through the pool's pipe, so
the parent holds one file's rows at most while it joins the shards in
order (memory does not grow with the batch).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from csrscan.atomic import atomic_path
from csrscan.compare.batch import FileTask, JobSpec, Outcome, load_document, run_file
from csrscan.compare.identity import ManifestEntry, apply_manifest, identify
from csrscan.compare.research import industry_for
from csrscan.models import Sentence
from csrscan.tag.rows import FileFacts, csv_lines, jsonl_lines, report_rows

SHARD_FORMATS = {"csv": csv_lines, "jsonl": jsonl_lines}


@dataclass(frozen=True, slots=True)
class TagTask(FileTask):
    """FileTask's pool contract (warm, then one call per path) with tag's work."""

    shard_dir: str = ""
    order: dict[str, int] = field(default_factory=dict)  # path -> its shard number
    fmt: str = "csv"
    all_sentences: bool = False
    manifest: dict[str, ManifestEntry] = field(default_factory=dict)
    industries: tuple[tuple[str, str], ...] = ()  # --industry WORD=NAME

    def __call__(self, path: str) -> Outcome:
        return tag_file(path, self)


def shard_path(shard_dir: str, number: int) -> str:
    return os.path.join(shard_dir, f"{number:08d}.part")


def tag_file(path: str, task: TagTask) -> Outcome:
    def work(sha: str) -> tuple[dict[str, Any], bool]:
        rows, cached = _tag(path, sha, task.spec, task)
        return {"rows": rows}, cached
    return run_file(path, task.spec, work)


def _tag(path: str, sha: str, spec: JobSpec, task: TagTask) -> tuple[int, bool]:
    from csrscan.stages import document_to_report

    doc, cached = load_document(path, sha, spec)
    sentences: list[Sentence] = []
    report = document_to_report(doc, task.pack, sentences.append)
    ident = apply_manifest(identify(doc), path, task.manifest)
    facts = FileFacts(path, sha, ident.company, ident.year,
                      industry_for(ident.company, ident.industry, task.industries))
    rows = list(report_rows(facts, report, sentences, task.pack.grading, task.all_sentences))
    target = shard_path(task.shard_dir, task.order[path])
    # atomic: a worker killed mid-write (timeout) leaves no half shard behind
    with atomic_path(Path(target)) as tmp, tmp.open("w", encoding="utf-8") as fh:
        fh.write(SHARD_FORMATS[task.fmt](rows))
    return len(rows), cached
