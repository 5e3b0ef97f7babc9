"""`compare --executor dask` against a local Dask cluster gives the local matrix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from compare_corpus import build_corpus
from compare_helpers import run_cli, run_main

distributed = pytest.importorskip("distributed")


@pytest.fixture(autouse=True, scope="module")
def _stop_dask_threads() -> object:
    """distributed keeps a module-level "offload" thread pool alive after a
    cluster closes; csrscan does not fork page helpers while other threads
    run, so later tests (test_forked.py) would silently lose their helpers."""
    yield None
    import distributed.utils

    offload = getattr(distributed.utils, "_offload_executor", None)
    if offload is not None:
        offload.shutdown(wait=True)


def _matrix(res_stdout: str) -> tuple[list[tuple[object, ...]], list[tuple[str, str]]]:
    m = json.loads(res_stdout)
    rows = [(r["path"], r["company"], r["year"], tuple(r["levels"].items()), r["score"],
             r["sha256"]) for r in m["rows"]]
    return rows, [(f["path"], f["error"]) for f in m["failures"]]


def test_dask_matches_local(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good, bad = build_corpus(tmp_path / "in")
    cache = tmp_path / "cache"
    monkeypatch.setenv("CSRSCAN_CACHE_DIR", str(cache))  # inherited by the Dask workers
    local = run_cli(tmp_path, "compare", "in", "-f", "json", "--no-cache", cache=cache)
    assert local.returncode == 2, local.stderr
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        res = run_cli(tmp_path, "compare", "in", "-f", "json", "--executor", "dask",
                      "--scheduler", cluster.scheduler_address, "--jsonl", "dask.jsonl",
                      "--progress", "plain", cache=cache)
    assert res.returncode == 2, res.stderr
    assert _matrix(res.stdout) == _matrix(local.stdout)
    rows, failures = _matrix(res.stdout)
    assert len(rows) == len(good) and len(failures) == len(bad)
    # Results streamed back one by one, with the paths as given on the command line.
    lines = (tmp_path / "dask.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(good) + len(bad)
    assert all(json.loads(x).get("path", "in/").startswith("in/") for x in lines)
    # The workers filled the cache named by the environment.
    assert len(list(cache.rglob("*.json.gz"))) >= len(good)


def test_dask_needs_a_scheduler(tmp_path: Path) -> None:
    res = run_main(tmp_path, "compare", ".", "--executor", "dask")
    assert res.returncode == 2 and "--scheduler" in res.stderr


def test_dask_tasks_keep_the_memory_cap_and_the_timeout(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Each Dask task scans in a child under --max-memory and --timeout, as a
    local worker does: a flate bomb is refused, a hanging scan is killed, the
    good file is a row, and the Dask worker lives on (issue #17)."""
    import hostile

    folder = tmp_path / "in"
    folder.mkdir()
    hostile.flate_bomb_pdf(folder, 400)
    (folder / "good.md").write_text("# 报告\n\n本公司修订《数据安全管理制度》。\n",
                                    encoding="utf-8")
    hostile.hanging_pack(tmp_path)  # its regex's own budget (1 s) is past the --timeout
    (folder / "aaa.txt").write_text("a" * 60 + "#\n", encoding="utf-8")
    monkeypatch.setenv("CSRSCAN_CACHE_DIR", str(tmp_path / "cache"))
    runs = {}
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        for name, args in (("cap", ("--max-memory", "200MiB", "--timeout", "0")),
                           ("timeout", ("--timeout", "0.2", "--rules", "evil.yaml"))):
            res = run_cli(tmp_path, "compare", "in", "-f", "json", "--executor", "dask",
                          "--scheduler", cluster.scheduler_address, "--progress", "none", *args,
                          cache=tmp_path / "cache")
            assert res.returncode == 2, res.stderr
            runs[name] = json.loads(res.stdout)
        with distributed.Client(cluster) as client:
            alive = len(client.scheduler_info()["workers"])
    failures = {name: {f["path"]: (f["kind"], f["error"]) for f in m["failures"]}
                for name, m in runs.items()}
    assert failures["cap"]["in/bomb.pdf"] == (
        "crash", "input too large to parse in 200 MiB at page 1 (--max-memory; the reader died "
        "by SIGABRT)")
    assert "in/good.md" in {r["path"] for r in runs["cap"]["rows"]}
    assert failures["timeout"]["in/aaa.txt"] == ("timeout", "timed out after 0.2 s (task killed)")
    assert alive == 1
