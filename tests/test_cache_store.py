"""The extracted-text cache as compare uses it (hits are really read, stale
entries counted, clearing an empty cache), a cache folder that cannot be made,
and the public `csrscan.scan()`."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from compare_corpus import SENTENCES
from compare_helpers import run_cli, run_main

ONE_EACH = ("-j", "1", "--max-tasks-per-child", "1", "--progress", "none")
# compare runs in a child process: its workers' coverage is measured there (forked
# from a child started by coverage), not when forked from the test process
DRAFT = "# 青禾消费金融2024年社会责任报告\n\n" + SENTENCES["governance"] + "\n"


def _found(stdout: str) -> set[str]:
    matrix = json.loads(stdout)
    return {i for row in matrix["rows"] for ids in row["found"].values() for i in ids}


def _entries(cache: Path) -> list[Path]:
    return sorted((cache / "documents").rglob("*.json.gz"))


def test_a_cached_document_is_what_the_next_run_reads(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.md").write_text(DRAFT, encoding="utf-8")
    cache = tmp_path / "cache"
    first = run_cli(tmp_path, "compare", "in", "-f", "json", *ONE_EACH, cache=cache)
    assert first.returncode == 0, first.stderr
    assert "data_security.training" not in _found(first.stdout)
    [entry] = _entries(cache)
    # change the cached text (not the file): the next run must see the change
    with gzip.open(entry, "rt", encoding="utf-8") as fh:
        doc: dict[str, Any] = json.load(fh)
    doc["pages"][0][1] += "\n" + SENTENCES["training"]
    with gzip.open(entry, "wt", encoding="utf-8") as fh:
        json.dump(doc, fh, ensure_ascii=False)
    second = run_cli(tmp_path, "compare", "in", "-f", "json", *ONE_EACH, cache=cache)
    assert "data_security.training" in _found(second.stdout)
    uncached = run_cli(tmp_path, "compare", "in", "-f", "json", "--no-cache", *ONE_EACH,
                        cache=cache)
    assert "data_security.training" not in _found(uncached.stdout)


def test_cache_info_counts_stale_entries_and_clear_empties(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.md").write_text(DRAFT, encoding="utf-8")
    cache = tmp_path / "cache"
    assert run_cli(tmp_path, "compare", "in", *ONE_EACH, cache=cache).returncode == 0
    [entry] = _entries(cache)
    old = cache / "documents" / "f0-csrscan0.0-ingest0" / entry.parent.name / entry.name
    old.parent.mkdir(parents=True)
    shutil.copy(entry, old)
    info = run_main(tmp_path, "cache", "info", cache=cache).stdout.splitlines()
    assert "entries: 1" in info and "stale entries (other versions): 1" in info
    assert f"size: {entry.stat().st_size * 2} bytes" in info
    cleared = run_main(tmp_path, "cache", "clear", cache=cache)
    assert cleared.stdout == f"removed 2 cached documents from {cache}\n"
    again = run_main(tmp_path, "cache", "clear", cache=cache)
    assert again.stdout == f"removed 0 cached documents from {cache}\n"


def test_a_cache_folder_that_cannot_be_made_only_means_no_cache(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.md").write_text(DRAFT, encoding="utf-8")
    blocked = tmp_path / "in" / "a.md" / "cache"  # below a file
    scan = run_main(tmp_path, "in/a.md", "-f", "json", cache=blocked)
    assert scan.returncode == 0, scan.stderr
    assert scan.stderr == ""
    batch = run_cli(tmp_path, "compare", "in", "-f", "json", *ONE_EACH, cache=blocked)
    assert batch.returncode == 0, batch.stderr
    assert "data_security.governance" in _found(batch.stdout)


def test_the_public_scan_function(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import csrscan

    monkeypatch.setenv("CSRSCAN_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "draft.md"
    path.write_text(DRAFT, encoding="utf-8")
    report = csrscan.scan(path)
    topic = next(t for t in report.topics if t.topic.id == "data_security")
    assert topic.status == "partial"
    found = {i.indicator.id for i in topic.indicators if i.found}
    assert found == {"data_security.governance"}
