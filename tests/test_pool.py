"""The process pool behind `compare --jobs/--timeout/--max-tasks-per-child`."""

from __future__ import annotations

import io
import os
import re
import time
from pathlib import Path

import pytest

from csrscan.compare.pool import Failed, run_pool


def work(item: str) -> tuple[str, int]:
    if item.startswith("hang"):
        time.sleep(60)
    if item.startswith("crash"):
        os._exit(7)
    return item, os.getpid()


def test_every_item_once_with_timeout_and_crash_reported() -> None:
    items = [f"f{i}" for i in range(12)] + ["hang-1", "crash-1"]
    start = time.monotonic()
    results = list(run_pool(work, items, jobs=2, timeout=1.0, max_tasks=50))
    assert time.monotonic() - start < 20
    ok = sorted(r[0] for r in results if not isinstance(r, Failed))
    failed = {r.item: r for r in results if isinstance(r, Failed)}
    assert ok == sorted(f"f{i}" for i in range(12))
    assert failed["hang-1"].kind == "timeout" and "killed" in failed["hang-1"].message
    assert failed["crash-1"].kind == "crash" and "exit code 7" in failed["crash-1"].message
    assert len(results) == len(items)


def test_workers_are_recycled_after_max_tasks() -> None:
    results = list(run_pool(work, [f"f{i}" for i in range(9)], jobs=1, timeout=None,
                            max_tasks=3))
    pids = {pid for _, pid in results if not isinstance(_, Failed)}  # type: ignore[misc]
    assert len(results) == 9
    assert len(pids) == 3  # three workers, three items each


def test_timeout_spares_other_workers() -> None:
    results = list(run_pool(work, ["hang-a", "f1", "f2", "f3"], jobs=2, timeout=1.5))
    assert sorted(r[0] for r in results if not isinstance(r, Failed)) == ["f1", "f2", "f3"]
    assert [r.item for r in results if isinstance(r, Failed)] == ["hang-a"]


def test_empty_input() -> None:
    assert list(run_pool(work, [], jobs=2, timeout=1.0)) == []


class FakeTty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal_plain_lines_otherwise() -> None:
    from csrscan.compare.batch import Outcome
    from csrscan.compare.progress import BatchProgress

    done = [Outcome("a.txt", "", "ok", {"x": 1}), Outcome("b.pdf", "", "input", error="bad")]
    tty = FakeTty()
    with BatchProgress("auto", 2, tty) as bar:
        for o in done:
            bar.advance(o)
    assert bar.mode == "bar"
    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", tty.getvalue())
    assert "2/2" in shown and "files/s" in shown and "eta" in shown
    assert "failed b.pdf: bad" in shown
    plain = io.StringIO()
    with BatchProgress("auto", 2, plain) as bar:
        for o in done:
            bar.advance(o)
    assert plain.getvalue().splitlines() == ["[1/2] a.txt: ok",
                                             "[2/2] b.pdf: failed (input): bad"]
    quiet = io.StringIO()
    with BatchProgress("none", 2, quiet) as bar:
        bar.advance(done[0])
    assert quiet.getvalue() == ""


def test_spawned_workers_run_the_real_task(tmp_path: Path) -> None:
    """The start method of macOS/Windows: FileTask pickles, workers warm up themselves."""
    from csrscan.compare.batch import FileTask, JobSpec, Outcome
    from csrscan.packs.select import select_pack

    report = tmp_path / "e_2024.txt"
    report.write_text("戊股份有限公司\n2024年度社会责任报告\n本公司全年组织数据安全培训5场。\n",
                      encoding="utf-8")
    task = FileTask(JobSpec(use_cache=False), select_pack(None, ()))
    results = list(run_pool(task, [str(report), str(tmp_path / "missing.txt")], jobs=2,
                            timeout=60, initializer=task.warm, start_method="spawn"))
    by_path = {r.path: r for r in results if isinstance(r, Outcome)}
    ok = by_path[str(report)]
    assert ok.ok and ok.data is not None
    assert ok.data["identity"]["company"] == "戊股份有限公司"
    assert by_path[str(tmp_path / "missing.txt")].kind == "input"


def test_several_workers_take_the_largest_files_first(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from csrscan.compare import batch, pool
    from csrscan.packs.select import select_pack

    sizes = {"a.txt": 10, "b.txt": 3000, "c.txt": 700, "d.txt": 3000}
    for name, size in sizes.items():
        (tmp_path / name).write_text("字" * size, encoding="utf-8")
    paths = [*sorted(str(tmp_path / n) for n in sizes), str(tmp_path / "gone.txt")]
    given: list[list[str]] = []

    def record(task: object, items: list[str], jobs: int, *args: object,
               **kwargs: object) -> list[object]:
        given.append(list(items))
        return []
    monkeypatch.setattr(pool, "run_pool", record)
    task = batch.FileTask(batch.JobSpec(use_cache=False), select_pack(None, ()))
    for jobs in (1, 2):
        assert list(batch.local_executor(jobs, None)(task, paths)) == []
    names = [[Path(p).name for p in items] for items in given]
    assert names[0] == ["a.txt", "b.txt", "c.txt", "d.txt", "gone.txt"]  # one worker: as given
    assert names[1] == ["b.txt", "d.txt", "c.txt", "a.txt", "gone.txt"]


def frozen_objects(item: str) -> tuple[str, int]:
    import gc

    return item, gc.get_freeze_count()


def test_forked_workers_leave_the_parents_objects_to_the_collector_untouched() -> None:
    """gc.freeze() before fork: a worker's collections never walk (and so never copy)
    the parent's heap; the caller's own collector is given back as it was."""
    import gc

    before = gc.get_freeze_count()
    results = list(run_pool(frozen_objects, ["a", "b", "c"], jobs=2, timeout=None,
                            start_method="fork"))
    assert all(count > 0 for _, count in results)  # type: ignore[misc]
    assert gc.get_freeze_count() == before


WARM_THEN_SCAN = """
import sys
from csrscan.compare.batch import FileTask, JobSpec
from csrscan.packs.select import select_pack
task = FileTask(JobSpec(use_cache=False), select_pack(None, ()))
task.warm()
before = set(sys.modules)
outcome = task(sys.argv[1])
assert outcome.ok, outcome.error
print(" ".join(sorted(m for m in set(sys.modules) - before if m.startswith("csrscan"))))
"""


def test_warm_loads_everything_a_files_scan_needs(tmp_path: Path) -> None:
    """What the parent warms before forking is what a file needs: after warm(), the
    first real file imports no csrscan module (each worker used to import identity,
    the text reader and the report renderer on its first file)."""
    import subprocess
    import sys

    report = tmp_path / "r.txt"
    report.write_text("己股份有限公司\n2023年度社会责任报告\n本公司开展反洗钱培训12场，覆盖员工3,000人次。\n"
                      "公司建立了信息安全管理体系。\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    run = subprocess.run([sys.executable, "-c", WARM_THEN_SCAN, str(report)], env=env,
                         capture_output=True, text=True, timeout=120, check=True)
    assert run.stdout.strip() == ""


def test_warm_runs_once_per_pack_and_forked_workers_inherit_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from csrscan.compare import batch
    from csrscan.packs.select import select_pack

    calls: list[str] = []
    real = batch.scan_file
    monkeypatch.setattr(batch, "_WARMED", [])
    monkeypatch.setattr(batch, "scan_file",
                        lambda path, spec, pack: calls.append(path) or real(path, spec, pack))
    task = batch.FileTask(batch.JobSpec(use_cache=False), select_pack(None, ()))
    task.warm()
    task.warm()  # what a forked worker's initializer does: its parent warmed this pack
    assert len(calls) == 1
    import pickle

    other = pickle.loads(pickle.dumps(task))  # what a spawned worker gets: another Pack
    other.warm()
    assert len(calls) == 2
