"""`csrscan compare` end to end on a generated batch of good and bad reports."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from compare_corpus import Bad, Good, build_corpus, write_report
from compare_helpers import read_jsonl, run_cli, run_main

from csrscan.packs.select import select_pack
from csrscan.pipeline import scan_path
from csrscan.render.report import report_to_dict

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@dataclass
class Batch:
    root: Path
    good: list[Good]
    bad: list[Bad]
    first: Any  # CompletedProcess of the first full run

    def rel(self, p: Path) -> str:
        return str(p.relative_to(self.root))

    @property
    def good_paths(self) -> set[str]:
        return {self.rel(g.path) for g in self.good}

    @property
    def bad_paths(self) -> set[str]:
        return {self.rel(b.path) for b in self.bad}

    def journal_copy(self, name: str) -> Path:
        target = self.root / name
        shutil.copy(self.root / "run.jsonl", target)
        return target


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Batch:
    root = tmp_path_factory.mktemp("compare")
    good, bad = build_corpus(root / "in")
    first = run_cli(root, "compare", "in", "--jsonl", "run.jsonl", "-f", "json",
                    "-o", "matrix.json", "--db", "runs.sqlite", "--progress", "plain",
                    "-j", "2")
    return Batch(root, good, bad, first)


@pytest.fixture(scope="module")
def single_scans(batch: Batch) -> dict[str, dict[str, Any]]:
    """Each good file scanned alone with the one-file pipeline (the reference)."""
    pack = select_pack(None, ())
    return {batch.rel(g.path): report_to_dict(scan_path(g.path, pack)) for g in batch.good}


def test_exit_code_2_and_every_file_in_json(batch: Batch,
                                            single_scans: dict[str, dict[str, Any]]) -> None:
    assert batch.first.returncode == 2, batch.first.stderr
    assert batch.first.stdout == ""
    matrix = json.loads((batch.root / "matrix.json").read_text(encoding="utf-8"))
    assert matrix["schema"] == "csrscan.matrix/1"
    assert {r["path"] for r in matrix["rows"]} == batch.good_paths
    assert {f["path"] for f in matrix["failures"]} == batch.bad_paths
    expected = {batch.rel(g.path): g for g in batch.good}
    for row in matrix["rows"]:
        g = expected[row["path"]]
        assert (row["company"], row["year"]) == (g.company, g.year)
        ref = single_scans[row["path"]]
        assert row["levels"] == {t["id"]: t["level"] for t in ref["topics"]}
        assert row["score"] == ref["summary"]["score"]


def test_failures_carry_their_reason(batch: Batch) -> None:
    matrix = json.loads((batch.root / "matrix.json").read_text(encoding="utf-8"))
    reasons = {f["path"]: f for f in matrix["failures"]}
    for b in batch.bad:
        failure = reasons[batch.rel(b.path)]
        assert failure["error"], failure
        assert b.reason.lower() in failure["error"].lower(), failure
    assert f"{len(batch.good)} scanned, {len(batch.bad)} failed" in batch.first.stderr
    for path in batch.bad_paths:
        assert f"failed: {path}" in batch.first.stderr


def test_jsonl_has_one_line_per_file(batch: Batch) -> None:
    lines = read_jsonl(batch.root / "run.jsonl")
    reports = [x for x in lines if x["schema"] == "csrscan.report/1"]
    errors = [x for x in lines if x["schema"] == "csrscan.error/1"]
    assert len(lines) == len(batch.good) + len(batch.bad)
    assert {r["source"]["path"] for r in reports} == batch.good_paths
    assert {e["path"] for e in errors} == batch.bad_paths
    for r in reports:
        assert r["pack"]["id"] == "cn-fin-csr" and len(r["source"]["sha256"]) == 64
        assert r["identity"]["company_rule"] == "legal-name"
    for e in errors:
        assert set(e) == {"schema", "path", "sha256", "kind", "error"} and e["error"]


def test_plain_progress_lines_on_stderr(batch: Batch) -> None:
    total = len(batch.good) + len(batch.bad)
    progress = [ln for ln in batch.first.stderr.splitlines() if ln.startswith("[")]
    assert len(progress) == total
    assert f"[{total}/{total}]" in progress[-1]


def _resume(batch: Batch, name: str, *args: str) -> Any:
    journal = batch.journal_copy(name)
    return run_main(batch.root, "compare", "in", "--jsonl", str(journal), "--resume",
                    "--progress", "plain", *args)


def test_csv_columns_and_rows(batch: Batch, single_scans: dict[str, dict[str, Any]]) -> None:
    res = _resume(batch, "csv.jsonl", "-f", "csv")
    assert res.returncode == 2
    # Resume re-tries only the failed files.
    assert len([ln for ln in res.stderr.splitlines() if ln.startswith("[")]) == len(batch.bad)
    rows = list(csv.reader(io.StringIO(res.stdout)))
    topic_ids = [t.id for t in select_pack(None, ()).topics]
    assert rows[0] == ["path", "company", "year", *topic_ids, "score", "identity_guessed"]
    body = {r[0]: r for r in rows[1:]}
    assert set(body) == batch.good_paths
    for path, row in body.items():
        ref = single_scans[path]
        assert [int(x) for x in row[3:-2]] == [t["level"] for t in ref["topics"]]
        assert float(row[-2]) == ref["summary"]["score"]
        assert row[-1] in ("0", "1")


def test_xlsx_cells_and_colours(batch: Batch) -> None:
    from openpyxl import load_workbook

    from csrscan.compare.formats.xlsx import LEVEL_FILL

    res = _resume(batch, "xlsx.jsonl", "-f", "xlsx", "-o", "m.xlsx")
    assert res.returncode == 2
    wb = load_workbook(batch.root / "m.xlsx")
    assert wb.sheetnames == ["matrix", "evidence", "failures", "trends"]
    ws = wb["matrix"]
    head = [c.value for c in ws[1]]
    assert head[:3] == ["path", "company", "year"] and head[-2:] == ["score", "identity_guessed"]
    n_topics = len(head) - 5
    paths = set()
    for row in ws.iter_rows(min_row=2, max_row=1 + len(batch.good)):
        paths.add(row[0].value)
        for cell in row[3:3 + n_topics]:
            assert cell.value in (0, 1, 2)
            assert cell.fill.start_color.rgb[-6:] == LEVEL_FILL[cell.value]
    assert paths == batch.good_paths
    ev = [[c.value for c in r] for r in wb["evidence"].iter_rows(min_row=2)]
    assert any("渗透测试6次" in (r[8] or "") for r in ev)
    assert {r[0] for r in ev} <= batch.good_paths
    assert {c.value for c in wb["failures"]["A"][1:]} == batch.bad_paths


def test_html_is_self_contained(batch: Batch) -> None:
    from html.parser import HTMLParser

    res = _resume(batch, "html.jsonl", "-f", "html", "-o", "m.html")
    assert res.returncode == 2
    text = (batch.root / "m.html").read_text(encoding="utf-8")

    class Collect(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.rows = 0
            self.refs: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            d = dict(attrs)
            if tag == "tr" and "data-company" in d:
                self.rows += 1
            self.refs += [v or "" for k, v in attrs if k in ("src", "href")]

    c = Collect()
    c.feed(text)
    assert c.rows == len(batch.good)
    assert all(r.startswith("#") for r in c.refs), c.refs  # nothing fetched
    for path in batch.bad_paths:
        assert path in text


def test_table_output(batch: Batch) -> None:
    res = _resume(batch, "table.jsonl", "-f", "table", "-o", "t.txt")
    out = (batch.root / "t.txt").read_text(encoding="utf-8")
    assert res.returncode == 2
    assert f"{len(batch.good)} scanned, {len(batch.bad)} failed" in out
    for g in batch.good:
        assert batch.rel(g.path) in out
    assert "Trends" in out and "[input]" in out


def test_resume_after_truncated_journal(batch: Batch) -> None:
    journal = batch.journal_copy("cut.jsonl")
    raw = journal.read_text(encoding="utf-8").splitlines(keepends=True)
    journal.write_text("".join(raw[:10]) + raw[10][: len(raw[10]) // 2], encoding="utf-8")
    kept_ok = sum(json.loads(x)["schema"] == "csrscan.report/1" for x in raw[:10])
    res = run_cli(batch.root, "compare", "in", "-f", "jsonl", "-o", str(journal), "--resume",
                  "--progress", "plain")
    assert res.returncode == 2
    scanned = [ln for ln in res.stderr.splitlines() if ln.startswith("[")]
    total = len(batch.good) + len(batch.bad)
    assert len(scanned) == total - kept_ok
    lines = read_jsonl(journal)
    paths = [x.get("path") or x["source"]["path"] for x in lines]
    assert sorted(paths) == sorted(batch.good_paths | batch.bad_paths)


def test_resume_rescans_changed_files_only(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    for n in range(3):
        write_report(tmp_path / "in" / f"r{n}_2024.md", [f"甲{n}股份有限公司", "2024年度报告",
                                                           "本公司全年组织数据安全培训5场。"])
    assert run_main(tmp_path, "compare", "in", "-f", "jsonl", "-o", "o.jsonl").returncode == 0
    write_report(tmp_path / "in" / "r1_2024.md", ["甲1股份有限公司", "2024年度报告",
                                                  "报告期内，本公司未发生重大数据泄露事件。"])
    res = run_cli(tmp_path, "compare", "in", "-f", "jsonl", "-o", "o.jsonl", "--resume",
                  "--progress", "plain")
    assert res.returncode == 0
    assert [ln.split()[1] for ln in res.stderr.splitlines()] == ["in/r1_2024.md:"]
    lines = read_jsonl(tmp_path / "o.jsonl")
    assert sorted(x["source"]["path"] for x in lines) == [f"in/r{n}_2024.md" for n in range(3)]
    r1 = next(x for x in lines if x["source"]["path"] == "in/r1_2024.md")
    found = {i["id"] for t in r1["topics"] for i in t["indicators"] if i["found"]}
    assert "data_security.incidents" in found and "data_security.training" not in found


def test_all_good_exits_0_and_jsonl_streams_to_stdout(batch: Batch) -> None:
    res = run_main(batch.root, "compare", "in/group0", "-f", "jsonl", "--progress", "none")
    assert res.returncode == 0, res.stderr
    lines = [json.loads(x) for x in res.stdout.splitlines()]
    n_group0 = sum(batch.rel(g.path).startswith("in/group0/") for g in batch.good)
    assert len(lines) == n_group0 and all(x["schema"] == "csrscan.report/1" for x in lines)
    assert res.stderr == ""


def test_sort_and_filters(batch: Batch) -> None:
    every = _resume(batch, "all.jsonl", "-f", "csv")
    distinct = sorted({float(r["score"]) for r in csv.DictReader(io.StringIO(every.stdout))})
    floor = distinct[len(distinct) // 2]
    res = _resume(batch, "sort.jsonl", "-f", "csv", "--sort", "score", "--min-score", str(floor))
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    scores = [float(r["score"]) for r in rows]
    assert scores == sorted(scores, reverse=True) and min(scores) >= floor
    assert 0 < len(rows) < len(batch.good)
    res = _resume(batch, "co.jsonl", "-f", "json", "--company", "青禾", "--year", "2023")
    assert [r["path"] for r in json.loads(res.stdout)["rows"]] == ["in/group0/csr_0_2023.txt"]
    res = _resume(batch, "miss.jsonl", "-f", "csv", "--missing", "data_security")
    assert res.stdout.splitlines()[1:] == []
    bad = run_main(batch.root, "compare", "in", "--topic", "no_such_topic")
    assert bad.returncode == 2 and "no_such_topic" in bad.stderr


def test_trends_follow_found_indicators(batch: Batch,
                                        single_scans: dict[str, dict[str, Any]]) -> None:
    matrix = json.loads((batch.root / "matrix.json").read_text(encoding="utf-8"))
    by_company: dict[str, dict[int, str]] = {}
    for g in batch.good:
        by_company.setdefault(g.company, {})[g.year] = batch.rel(g.path)

    def found(path: str, topic: str) -> set[str]:
        return {i["id"] for t in single_scans[path]["topics"] if t["id"] == topic
                for i in t["indicators"] if i["found"]}
    assert len(matrix["trends"]) == len(by_company) * 2 * len(matrix["topics"])
    for t in matrix["trends"]:
        years = by_company[t["company"]]
        before = found(years[t["from_year"]], t["topic"])
        after = found(years[t["to_year"]], t["topic"])
        assert t["to_year"] == t["from_year"] + 1
        assert set(t["gained"]) == after - before and set(t["lost"]) == before - after


def test_manifest_overrides_identity(batch: Batch) -> None:
    (batch.root / "manifest.csv").write_text(
        "path,company,year,industry\nin/group0/csr_0_2022.pdf,改名公司,1999,bank\n",
        encoding="utf-8")
    res = _resume(batch, "man.jsonl", "-f", "json", "--manifest", "manifest.csv")
    rows = {r["path"]: r for r in json.loads(res.stdout)["rows"]}
    assert rows["in/group0/csr_0_2022.pdf"]["company"] == "改名公司"
    assert rows["in/group0/csr_0_2022.pdf"]["year"] == 1999
    assert rows["in/group0/csr_0_2022.pdf"]["industry"] == "bank"
    assert rows["in/group0/csr_0_2023.txt"]["company"] == "青禾消费金融股份有限公司"


def test_sqlite_run_and_history(batch: Batch) -> None:
    db = batch.root / "runs.sqlite"
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT scanned, failed FROM runs").fetchall() == [
            (len(batch.good), len(batch.bad))]
        levels = conn.execute(
            "SELECT r.year, t.level FROM reports r JOIN topic_levels t USING (report_id)"
            " WHERE r.company = '青禾消费金融股份有限公司' AND t.topic_id = 'data_security'"
            " ORDER BY r.year").fetchall()
        assert [y for y, _ in levels] == [2022, 2023, 2024]
        n_ev = conn.execute("SELECT count(*) FROM evidence").fetchone()[0]
        assert n_ev > len(batch.good)
        assert conn.execute("SELECT count(*) FROM failures").fetchone()[0] == len(batch.bad)
    res = run_main(batch.root, "history", "青禾", "--db", "runs.sqlite", "-f", "json")
    assert res.returncode == 0, res.stderr
    hist = json.loads(res.stdout)
    assert [h["year"] for h in hist] == [2022, 2023, 2024]
    assert [h["levels"]["data_security"] for h in hist] == [lv for _, lv in levels]
    table = run_cli(batch.root, "history", "青禾", "--db", "runs.sqlite")
    assert table.returncode == 0 and "青禾消费金融" in table.stdout and "2024" in table.stdout
    none = run_main(batch.root, "history", "无此公司", "--db", "runs.sqlite")
    assert none.returncode == 2 and "no results" in none.stderr


def test_cache_is_used_and_can_be_cleared(tmp_path: Path) -> None:
    import gzip

    (tmp_path / "in").mkdir()
    report = tmp_path / "in" / "c_2024.txt"
    write_report(report, ["乙股份有限公司", "2024年度报告", "本公司全年组织数据安全培训5场。"])
    cache = tmp_path / "cache"
    first = run_main(tmp_path, "compare", "in", "-f", "json", cache=cache)
    assert first.returncode == 0
    info = run_main(tmp_path, "cache", "info", cache=cache).stdout
    assert "entries: 1" in info and str(cache) in info
    # Replace the cached text: a cache hit must now see the cached words.
    entry = next(cache.rglob("*.json.gz"))
    doc = json.loads(gzip.decompress(entry.read_bytes()))
    doc["pages"][0][1] += "\n报告期内，本公司未发生重大数据泄露事件。\n"
    entry.write_bytes(gzip.compress(json.dumps(doc).encode()))

    def found(res: Any) -> list[str]:
        row = json.loads(res.stdout)["rows"][0]
        return row["found"]["data_security"]
    assert "data_security.incidents" in found(run_main(tmp_path, "compare", "in", "-f", "json",
                                                       cache=cache))
    assert "data_security.incidents" not in found(run_main(
        tmp_path, "compare", "in", "-f", "json", "--no-cache", cache=cache))
    cleared = run_main(tmp_path, "cache", "clear", cache=cache)
    assert "removed 1" in cleared.stdout
    assert "entries: 0" in run_main(tmp_path, "cache", "info", cache=cache).stdout


def test_usage_errors(tmp_path: Path) -> None:
    assert run_main(tmp_path, "compare", "nowhere").returncode == 2
    res = run_main(tmp_path, "compare", ".", "--resume")
    assert res.returncode == 2 and "--jsonl" in res.stderr
    res = run_main(tmp_path, "compare", ".", "-f", "xlsx")
    assert res.returncode == 2 and "--output" in res.stderr


def test_resume_after_killed_run(batch: Batch) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    from compare_helpers import cli_env

    journal = batch.root / "killed.jsonl"
    proc = subprocess.Popen(
        [sys.executable, "-m", "csrscan", "compare", "in", "-j", "1", "--no-cache",
         "-f", "jsonl", "-o", str(journal), "--progress", "none"],
        cwd=batch.root, env=cli_env(batch.root / "cache"), start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if journal.exists() and journal.read_text(encoding="utf-8").count("\n") >= 8:
            break
        time.sleep(0.005)
    assert proc.poll() is None, "the run ended before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)  # the CLI and its workers, mid-run
    proc.wait()
    finished = [json.loads(x) for x in journal.read_text(encoding="utf-8").splitlines()
                if x.endswith("}")]
    kept_ok = sum(x["schema"] == "csrscan.report/1" for x in finished)
    assert kept_ok >= 1 and len(finished) < len(batch.good) + len(batch.bad)
    res = run_cli(batch.root, "compare", "in", "-f", "jsonl", "-o", str(journal), "--resume",
                  "--progress", "plain")
    assert res.returncode == 2
    total = len(batch.good) + len(batch.bad)
    assert len([ln for ln in res.stderr.splitlines() if ln.startswith("[")]) == total - kept_ok
    paths = sorted(x.get("path") or x["source"]["path"] for x in read_jsonl(journal))
    assert paths == sorted(batch.good_paths | batch.bad_paths)


def test_own_output_in_the_input_folder_is_not_scanned(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    write_report(tmp_path / "in" / "d_2024.md", ["丁股份有限公司", "2024年度报告",
                                                 "本公司全年组织数据安全培训5场。"])
    for _ in range(2):
        res = run_main(tmp_path, "compare", "in", "-f", "html", "-o", "in/report.html",
                       "--progress", "plain")
        assert res.returncode == 0, res.stderr
        assert res.stderr.splitlines() == ["[1/1] in/d_2024.md: ok"]
