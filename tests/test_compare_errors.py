"""`csrscan compare` when things go wrong: each failing file becomes an outcome
of its kind (input, error, crash) while the others are still scanned (exit 2),
and each bad option, database or output is one line, exit 2."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from compare_corpus import indicators_for, report_text
from compare_helpers import ROOT, run_cli, run_main

from csrscan.compare.batch import file_sha256

# workers end after each file: their coverage and exit are those of a clean process
ONE_EACH = ("-j", "1", "--max-tasks-per-child", "1", "--progress", "none")


def _report(folder: Path, name: str, company: str, year: int, n: int) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(report_text(company, year, indicators_for(n, year))) + "\n",
                    encoding="utf-8")
    return path


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    _report(tmp_path, "in/qinghe-2023.md", "青禾消费金融", 2023, 0)
    _report(tmp_path, "in/qinghe-2024.md", "青禾消费金融", 2024, 0)
    _report(tmp_path, "in/yuanfan-2022.md", "远帆小额贷款", 2022, 1)
    return tmp_path


def _planted(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`csrscan ARGS` in a child whose per-file scan fails on purpose for files
    named bug.md (an exception: a csrscan bug) and crash.md (the worker dies)."""
    code = ("import os\nimport csrscan.compare.batch as batch\nreal = batch._scan\n"
            "def planted(path, *rest):\n"
            "    if path.endswith('bug.md'):\n        raise ZeroDivisionError('planted')\n"
            "    if path.endswith('crash.md'):\n        os._exit(7)\n"
            "    return real(path, *rest)\n"
            "batch._scan = planted\nfrom csrscan.cli import run\nrun()\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CSRSCAN_CACHE_DIR": str(cwd / "cache")}
    env.pop("CSRSCAN_DEBUG", None)
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, env=env, text=True,
                          capture_output=True, stdin=subprocess.DEVNULL, timeout=300,
                          check=False)


def _failures(stdout: str) -> dict[str, dict[str, Any]]:
    return {f["path"]: f for f in json.loads(stdout)["failures"]}


def test_a_bug_and_a_dead_worker_fail_only_their_file(reports: Path) -> None:
    bug = _report(reports, "in/bug.md", "明川数字科技", 2024, 2)
    crash = _report(reports, "in/crash.md", "澄湖村镇银行", 2024, 3)
    r = _planted(reports, "compare", "in", "-f", "json", *ONE_EACH)
    assert r.returncode == 2, r.stderr
    matrix = json.loads(r.stdout)
    assert sorted(row["path"] for row in matrix["rows"]) == [
        "in/qinghe-2023.md", "in/qinghe-2024.md", "in/yuanfan-2022.md"]
    failures = _failures(r.stdout)
    assert failures["in/bug.md"] == {"path": "in/bug.md", "sha256": file_sha256(str(bug)),
                                     "kind": "error", "error": "ZeroDivisionError: planted"}
    assert failures["in/crash.md"] == {"path": "in/crash.md",
                                       "sha256": file_sha256(str(crash)), "kind": "crash",
                                       "error": "worker died (exit code 7)"}
    assert "csrscan: failed: in/bug.md: [error] ZeroDivisionError: planted" in r.stderr
    assert "csrscan: 3 scanned, 2 failed" in r.stderr


def test_a_file_that_cannot_be_read_is_an_input_failure(reports: Path) -> None:
    r = run_cli(reports, "compare", "in/qinghe-2024.md", "/proc/self/mem", "-f", "json",
                 *ONE_EACH)
    assert r.returncode == 2, r.stderr
    assert [row["path"] for row in json.loads(r.stdout)["rows"]] == ["in/qinghe-2024.md"]
    assert _failures(r.stdout) == {"/proc/self/mem": {
        "path": "/proc/self/mem", "sha256": None, "kind": "input",
        "error": "cannot read: Input/output error"}}


def _one_line(r: Any) -> str:
    assert r.returncode == 2, r.stderr
    assert r.stdout == "" and r.stderr.count("\n") == 1, r.stderr
    return str(r.stderr.rstrip("\n"))


@pytest.mark.parametrize(("args", "message"), [
    (("none/*.md",), "none/*.md: no file matches this pattern"),
    (("in", "--sort", "colour"),
     "cannot sort by 'colour': use one of company, year, score, path or a topic id"),
    (("in", "-f", "jsonl", "-o", "a.jsonl", "--jsonl", "b.jsonl"),
     "with --format jsonl the stream goes to --output; drop --jsonl"),
    (("in", "--executor", "dask"), "--executor dask needs --scheduler ADDRESS"),
    (("in", "--jsonl", "in/qinghe-2023.md/run.jsonl"),
     "in/qinghe-2023.md/run.jsonl: cannot write output: File exists"),
], ids=["glob-matches-nothing", "sort-key", "jsonl-twice", "dask-without-scheduler",
        "journal-under-a-file"])
def test_usage_and_output_errors(reports: Path, args: tuple[str, ...], message: str) -> None:
    assert _one_line(run_main(reports, "compare", *args, *ONE_EACH)) == (
        f"csrscan: error: {message}")


def test_a_file_that_is_not_a_database(reports: Path) -> None:
    (reports / "runs.sqlite").write_text("这不是数据库，只是一段文字。\n" * 200, encoding="utf-8")
    r = run_main(reports, "compare", "in", "--db", "runs.sqlite", "-f", "json", *ONE_EACH)
    assert r.returncode == 2
    assert r.stderr.splitlines()[-1] == (
        "csrscan: error: runs.sqlite: cannot use database: file is not a database")


def test_a_database_of_another_schema_version(reports: Path) -> None:
    with sqlite3.connect(reports / "runs.sqlite") as conn:
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        conn.execute("INSERT INTO meta VALUES ('schema_version', '99')")
    conn.close()
    r = run_main(reports, "compare", "in", "--db", "runs.sqlite", "-f", "json", *ONE_EACH)
    assert r.returncode == 2
    from csrscan.compare.db import SCHEMA_VERSION

    assert r.stderr.splitlines()[-1] == (
        f"csrscan: error: runs.sqlite: database schema version 99, expected {SCHEMA_VERSION}")


def test_db_in_a_missing_folder_is_created(reports: Path) -> None:
    r = run_main(reports, "compare", "in", "--db", "sub/deeper/runs.sqlite", "-f", "json",
                 *ONE_EACH)
    assert r.returncode == 0, r.stderr
    with sqlite3.connect(reports / "sub/deeper/runs.sqlite") as conn:
        assert conn.execute("SELECT count(*) FROM reports").fetchone() == (3,)
    conn.close()


def test_db_under_a_file_is_one_clear_line(reports: Path) -> None:
    (reports / "afile").write_text("x", encoding="utf-8")
    r = run_main(reports, "compare", "in", "--db", "afile/runs.sqlite", "-f", "json", *ONE_EACH)
    assert r.returncode == 2
    assert r.stderr.splitlines()[-1] == ("csrscan: error: afile/runs.sqlite: "
                                         "cannot create the database's folder: File exists")


def test_history_without_a_database(reports: Path) -> None:
    assert _one_line(run_main(reports, "history", "青禾", "--db", "nowhere.sqlite")) == (
        "csrscan: error: nowhere.sqlite: no such database")


def test_resume_with_no_journal_yet_scans_everything(reports: Path) -> None:
    r = run_main(reports, "compare", "in", "--jsonl", "run.jsonl", "--resume", "-f", "json",
                 *ONE_EACH)
    assert r.returncode == 0, r.stderr
    lines = [json.loads(x) for x in (reports / "run.jsonl").read_text().splitlines()]
    assert sorted(x["source"]["path"] for x in lines) == [
        "in/qinghe-2023.md", "in/qinghe-2024.md", "in/yuanfan-2022.md"]
    # a foreign line in the journal is passed over; the reports are reused
    with (reports / "run.jsonl").open("a", encoding="utf-8") as fh:
        fh.write('{"schema": "someone-else/1"}\n[1, 2]\n')
    again = run_main(reports, "compare", "in", "--jsonl", "run.jsonl", "--resume", "-f",
                     "json", *ONE_EACH)
    assert again.returncode == 0
    assert json.loads(again.stdout)["rows"] == json.loads(r.stdout)["rows"]


def _rows(reports: Path, *args: str) -> list[dict[str, Any]]:
    r = run_main(reports, "compare", "in", "-f", "json", "-j", "1", "--progress", "none", *args)
    assert r.returncode == 0, r.stderr
    rows: list[dict[str, Any]] = json.loads(r.stdout)["rows"]
    return rows


def _paths(reports: Path, *args: str) -> list[str]:
    return [row["path"] for row in _rows(reports, *args)]


def test_row_orders_and_the_score_ceiling(reports: Path) -> None:
    by_year = _paths(reports, "--sort", "year")
    assert by_year == ["in/yuanfan-2022.md", "in/qinghe-2023.md", "in/qinghe-2024.md"]
    assert _paths(reports, "--sort", "path", "--reverse") == sorted(by_year, reverse=True)
    rows = _rows(reports)
    scores = {row["path"]: row["score"] for row in rows}
    ceiling = sorted(scores.values())[1]
    assert sorted(_paths(reports, "--max-score", str(ceiling))) == sorted(
        p for p, s in scores.items() if s <= ceiling)
    levels = {row["path"]: row["levels"]["data_security"] for row in rows}
    by_topic = _paths(reports, "--sort", "data_security")
    assert [levels[p] for p in by_topic] == sorted(levels.values(), reverse=True)
