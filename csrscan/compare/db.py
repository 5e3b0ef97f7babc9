"""`--db results.sqlite`: every compare run appended, queryable with plain SQL.

The schema (docs/compare.md, "SQLite schema") is created on first use;
`meta.schema_version` says which version a file has.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from csrscan.compare.matrix import Matrix
from csrscan.errors import CsrscanError
from csrscan.version import __version__

SCHEMA_VERSION = "1"
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
  run_id INTEGER PRIMARY KEY,
  started_utc TEXT NOT NULL,
  csrscan_version TEXT NOT NULL,
  pack_id TEXT NOT NULL,
  pack_version TEXT NOT NULL,
  scanned INTEGER NOT NULL,
  failed INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS reports (
  report_id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(run_id),
  path TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  format TEXT NOT NULL,
  company TEXT NOT NULL,
  year INTEGER,
  industry TEXT NOT NULL,
  pack_id TEXT NOT NULL,
  pack_version TEXT NOT NULL,
  score REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS reports_company_year ON reports(company, year);
CREATE INDEX IF NOT EXISTS reports_sha256 ON reports(sha256);
CREATE TABLE IF NOT EXISTS topic_levels (
  report_id INTEGER NOT NULL REFERENCES reports(report_id),
  topic_id TEXT NOT NULL,
  level INTEGER NOT NULL,
  indicators_found TEXT NOT NULL,
  PRIMARY KEY (report_id, topic_id)
);
CREATE TABLE IF NOT EXISTS evidence (
  report_id INTEGER NOT NULL REFERENCES reports(report_id),
  topic_id TEXT NOT NULL,
  indicator_id TEXT NOT NULL,
  page INTEGER NOT NULL,
  line INTEGER NOT NULL,
  strength TEXT NOT NULL,
  text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS evidence_report ON evidence(report_id);
CREATE TABLE IF NOT EXISTS failures (
  run_id INTEGER NOT NULL REFERENCES runs(run_id),
  path TEXT NOT NULL,
  sha256 TEXT,
  kind TEXT NOT NULL,
  error TEXT NOT NULL
);
"""


# Another compare may be writing its run (one transaction, seconds for a big
# batch): wait for its lock rather than fail after sqlite's default 5 s.
LOCK_WAIT_S = 120.0


def _connect(path: Path) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(path, timeout=LOCK_WAIT_S)
        conn.executescript(SCHEMA)
        conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)",
                     (SCHEMA_VERSION,))
        found = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
    except sqlite3.DatabaseError as exc:
        raise CsrscanError(f"cannot use database: {exc}", path=str(path)) from None
    if found[0] != SCHEMA_VERSION:
        raise CsrscanError(f"database schema version {found[0]}, expected {SCHEMA_VERSION}",
                           path=str(path))
    return conn


def append_run(path: Path, matrix: Matrix) -> int:
    """Insert one run with all its rows and failures; return its run_id.

    Missing parent folders are created, as for `--jsonl` and `baseline -o`."""
    ids = [t.id for t in matrix.topics]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CsrscanError(f"cannot create the database's folder: {exc.strerror}",
                           path=str(path)) from None
    now = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    with closing(_connect(path)) as conn, conn:
        cur = conn.execute(
            "INSERT INTO runs (started_utc, csrscan_version, pack_id, pack_version, scanned,"
            " failed) VALUES (?,?,?,?,?,?)",
            (now, __version__, matrix.pack_id, matrix.pack_version, len(matrix.rows),
             len(matrix.failures)))
        run_id = int(cur.lastrowid or 0)
        for r in matrix.rows:
            rid = conn.execute(
                "INSERT INTO reports (run_id, path, sha256, format, company, year, industry,"
                " pack_id, pack_version, score) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (run_id, r.path, r.sha256, r.format, r.company, r.year, r.identity.industry,
                 matrix.pack_id, matrix.pack_version, r.score)).lastrowid
            conn.executemany("INSERT INTO topic_levels VALUES (?,?,?,?)",
                             [(rid, t, lv, " ".join(f))
                              for t, lv, f in zip(ids, r.levels, r.found, strict=True)])
            conn.executemany("INSERT INTO evidence VALUES (?,?,?,?,?,?,?)",
                             [(rid, e.topic, e.indicator, e.page, e.line, e.strength, e.text)
                              for e in r.evidence])
        conn.executemany("INSERT INTO failures VALUES (?,?,?,?,?)",
                         [(run_id, f.path, f.sha256 or None, f.kind, f.error)
                          for f in matrix.failures])
    return run_id


@dataclass(frozen=True, slots=True)
class HistoryRow:
    run_id: int
    started_utc: str
    company: str
    year: int | None
    path: str
    sha256: str
    pack_version: str
    score: float
    levels: tuple[tuple[str, int], ...]


def history(path: Path, company: str) -> list[HistoryRow]:
    """Every stored report whose company contains `company`, by year then run."""
    if not path.is_file():
        raise CsrscanError("no such database", path=str(path))
    with closing(_connect(path)) as conn:
        reports = conn.execute(
            "SELECT r.report_id, r.run_id, u.started_utc, r.company, r.year, r.path,"
            " r.sha256, r.pack_version, r.score FROM reports r JOIN runs u USING (run_id)"
            " WHERE r.company LIKE ? ESCAPE '\\'"
            " ORDER BY r.company, r.year, r.run_id, r.path", (f"%{_like(company)}%",)).fetchall()
        out = []
        for rid, run_id, started, comp, year, rpath, sha, pver, score in reports:
            levels = conn.execute("SELECT topic_id, level FROM topic_levels WHERE report_id=?"
                                  " ORDER BY rowid", (rid,)).fetchall()
            out.append(HistoryRow(run_id, started, comp, year, rpath, sha, pver, score,
                                  tuple((str(t), int(lv)) for t, lv in levels)))
    return out


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
