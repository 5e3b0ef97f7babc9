"""Two `compare --db` runs on one database: both runs land whole (issue #17)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from compare_corpus import report_text, write_report
from compare_helpers import cli_env

YEARS = (2022, 2023, 2024)


def _batch(root: Path, name: str) -> Path:
    folder = root / name
    folder.mkdir()
    for year in YEARS:
        write_report(folder / f"{name}_{year}.txt",
                     report_text(f"{name}科技", year, ("governance", "consent")))
    return folder


def _compare(root: Path, folder: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "csrscan", "compare", folder.name, "--db", "runs.sqlite",
         "-j", "1", "--progress", "none", "-f", "json", "-o", f"{folder.name}.json"],
        cwd=root, env=cli_env(root / "cache"), stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)


def _runs(db: Path) -> list[tuple[int, int, int]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT runs.run_id, runs.scanned, COUNT(reports.report_id) FROM runs"
            " JOIN reports USING (run_id) GROUP BY runs.run_id ORDER BY runs.run_id").fetchall()


def test_a_run_waits_for_another_writer_instead_of_failing(tmp_path: Path) -> None:
    # a writer holds the database past sqlite's default 5 s lock wait, as a
    # big batch's run insert does: the second compare waits, then lands whole
    folder = _batch(tmp_path, "alpha")
    db = tmp_path / "runs.sqlite"
    sqlite3.connect(db).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        proc = _compare(tmp_path, folder)
        time.sleep(7)
        assert proc.poll() is None, proc.communicate()  # still waiting, not failed
    finally:
        holder.execute("COMMIT")
        holder.close()
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert _runs(db) == [(1, len(YEARS), len(YEARS))]


def test_two_runs_at_once_both_land_whole(tmp_path: Path) -> None:
    procs = [_compare(tmp_path, _batch(tmp_path, name)) for name in ("alpha", "beta")]
    for proc in procs:
        _, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err
    runs = _runs(tmp_path / "runs.sqlite")
    assert [(scanned, rows) for _, scanned, rows in runs] == [(len(YEARS), len(YEARS))] * 2
    with sqlite3.connect(tmp_path / "runs.sqlite") as conn:
        paths = sorted(p for (p,) in conn.execute("SELECT path FROM reports"))
    assert paths == sorted(f"{n}/{n}_{y}.txt" for n in ("alpha", "beta") for y in YEARS)
