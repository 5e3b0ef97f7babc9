"""compare --quality / --peers / --trend on generated batches with known answers."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from compare_corpus import SENTENCES
from compare_helpers import run_main

from csrscan.compare.identity import Identity
from csrscan.compare.matrix import Matrix, Row, TopicCol
from csrscan.compare.research import add_peers, parse_industry_rules, percentile
from csrscan.errors import ConfigError

KEYS = list(SENTENCES)


def _report(root: Path, name: str, company: str, year: int, lines: list[str]) -> str:
    text = "\n".join([f"{company}股份有限公司", f"{year}年度社会责任报告", "", *lines]) + "\n"
    (root / name).write_text(text, encoding="utf-8")
    return name


def _compare(root: Path, *args: str) -> dict[str, Any]:
    res = run_main(root, "compare", ".", "-f", "json", "--progress", "none", "-j", "1", *args)
    assert res.returncode == 0, res.stderr
    data: dict[str, Any] = json.loads(res.stdout)
    return data


def test_percentile_is_mid_rank() -> None:
    group = [0.1, 0.2, 0.2, 0.4]
    assert [percentile(v, group) for v in group] == [12.5, 50.0, 50.0, 87.5]
    assert percentile(0.3, [0.3]) == 50.0


def test_peers_on_rows_with_known_ranks() -> None:
    def row(n: int, industry: str, year: int, score: float, level: int) -> Row:
        return Row(f"r{n}", "", "txt", Identity(f"公司{n}", year, industry=industry),
                   (level,), score, ((),))
    rows = (row(1, "bank", 2024, 0.9, 2), row(2, "bank", 2024, 0.1, 0),
            row(3, "bank", 2024, 0.5, 2), row(4, "bank", 2023, 0.2, 1),
            row(5, "", 2024, 0.7, 1))
    m = add_peers(Matrix("p", "1", (TopicCol("t", "t"),), rows, ()))
    got = {r.path: r.peers for r in m.rows}
    assert got["r5"] is None  # no industry: no peers
    assert got["r4"] is not None and got["r4"].peers == 1  # alone in its year
    ranks = {p: got[p].score_pct for p in ("r1", "r2", "r3")}  # type: ignore[union-attr]
    assert ranks == {"r2": 16.7, "r3": 50.0, "r1": 83.3}  # (0 + ½)/3, (1 + ½)/3, (2 + ½)/3
    assert got["r1"].levels_pct == (66.7,)  # type: ignore[union-attr]  # 2 ties with r3
    assert got["r1"].median_score == 0.5  # type: ignore[union-attr]


def test_industry_rules_are_checked() -> None:
    assert parse_industry_rules(["银行=bank"]) == (("银行", "bank"),)
    with pytest.raises(ConfigError):
        parse_industry_rules(["银行"])


@pytest.fixture(scope="module")
def peer_batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Five banks disclosing 1..5 of the data-security sentences in 2024 (scores
    rise with the count), two insurers, and one company no rule places."""
    root = tmp_path_factory.mktemp("peers")
    for k in range(1, 6):
        _report(root, f"bank{k}.txt", f"第{k}号商业银行", 2024,
                [SENTENCES[key] for key in KEYS[:k]])
    for k in (1, 3):
        _report(root, f"ins{k}.txt", f"第{k}号人寿保险", 2024,
                [SENTENCES[key] for key in KEYS[:k]])
    _report(root, "other.txt", "某某科技", 2024, [SENTENCES[KEYS[0]]])
    return root


def test_peers_end_to_end_rank_the_generated_batch(peer_batch: Path) -> None:
    data = _compare(peer_batch, "--peers", "--industry", "银行=bank", "--industry",
                    "保险=insurance")
    rows = {r["path"]: r for r in data["rows"]}
    banks = [rows[f"bank{k}.txt"] for k in range(1, 6)]
    scores = [b["score"] for b in banks]
    assert scores == sorted(set(scores))  # strictly rising with the disclosure
    assert [b["peers"]["score_pct"] for b in banks] == [10.0, 30.0, 50.0, 70.0, 90.0]
    assert {b["peers"]["peers"] for b in banks} == {5}
    assert banks[0]["peers"]["median_score"] == scores[2]
    assert [rows[f"ins{k}.txt"]["peers"]["score_pct"] for k in (1, 3)] == [25.0, 75.0]
    assert rows["other.txt"]["peers"] is None
    res = run_main(peer_batch, "compare", ".", "-f", "csv", "--progress", "none", "-j", "1",
                   "--peers", "--industry", "银行=bank")
    table = list(csv.DictReader(io.StringIO(res.stdout)))
    assert {r["path"]: r["score_pct"] for r in table}["bank5.txt"] == "90.0"
    assert "data_security:pct" in table[0]


PLANTED = SENTENCES["training"]


@pytest.fixture(scope="module")
def planted_batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("boiler")
    _report(root, "a.txt", "甲方消费金融", 2024, [SENTENCES["governance"], PLANTED])
    # the same after normalization: traditional script, full-width digit, ASCII comma
    _report(root, "b.txt", "乙方小额贷款", 2024,
            ["本公司全年組織數據安全培訓５場,覆盖员工800人次。", SENTENCES["technical"]])
    # repeats its own sentence: within one report, never boilerplate
    _report(root, "c.txt", "丙方数字科技", 2024, [SENTENCES["incidents"]] * 2)
    # the same company as a.txt, another year, the same sentence: not another company
    _report(root, "a2023.txt", "甲方消费金融", 2023, [PLANTED])
    return root


def test_boilerplate_finds_planted_repeats(planted_batch: Path) -> None:
    data = _compare(planted_batch, "--quality")
    rows = {r["path"]: r for r in data["rows"]}
    assert rows["a.txt"]["quality"]["boilerplate"] == 0.5
    assert rows["b.txt"]["quality"]["boilerplate"] == 0.5
    assert rows["c.txt"]["quality"]["boilerplate"] == 0.0
    assert rows["a2023.txt"]["quality"]["boilerplate"] == 1.0  # 乙 repeats it too
    assert rows["a.txt"]["quality"]["topics"]["data_security"]["boilerplate"] == 0.5
    assert rows["a.txt"]["quality"]["topics"]["aml"]["boilerplate"] is None
    assert [(x["companies"], x["reports"]) for x in data["boilerplate"]] == [(2, 3)]
    assert data["boilerplate"][0]["text"] == PLANTED
    q = rows["c.txt"]["quality"]
    assert (q["sentences"], q["specificity"], q["quantitative"]) == (1, 1.0, 1.0)


def test_quality_columns_only_when_asked(planted_batch: Path) -> None:
    plain = run_main(planted_batch, "compare", ".", "-f", "csv", "--progress", "none")
    asked = run_main(planted_batch, "compare", ".", "-f", "csv", "--progress", "none",
                     "--quality")
    head = plain.stdout.splitlines()[0]
    assert head.endswith("score,identity_guessed")
    assert asked.stdout.splitlines()[0].startswith(head + ",specificity,quantitative,")
    xlsx = planted_batch / "m.xlsx"
    res = run_main(planted_batch, "compare", ".", "-f", "xlsx", "-o", str(xlsx),
                   "--progress", "none", "--quality", "--peers", "--industry", "公司=x")
    assert res.returncode == 0, res.stderr
    from openpyxl import load_workbook

    wb = load_workbook(xlsx, read_only=True)
    assert {"quality", "boilerplate", "peers"} <= set(wb.sheetnames)
    sheet = list(wb["boilerplate"].iter_rows(values_only=True))
    assert sheet[1] == (PLANTED, 2, 3)


def test_trend_from_the_database(tmp_path: Path) -> None:
    early, late = tmp_path / "y2023", tmp_path / "y2024"
    early.mkdir()
    late.mkdir()
    _report(early, "q.txt", "青禾消费金融", 2023, [SENTENCES["governance"]])
    _report(late, "q.txt", "青禾消费金融", 2024, [SENTENCES[k] for k in KEYS[:3]])
    db = str(tmp_path / "runs.sqlite")
    first = _compare(early, "--db", db, "--trend")
    assert first["rows"][0]["history"] is None  # nothing stored before
    second = _compare(late, "--db", db, "--trend")
    h = second["rows"][0]["history"]
    assert h["from_year"] == 2023 and h["run_id"] == 1
    assert h["score_change"] == round(second["rows"][0]["score"] - first["rows"][0]["score"], 3)
    assert h["level_changes"]["data_security"] == (second["rows"][0]["levels"]["data_security"]
                                                  - first["rows"][0]["levels"]["data_security"])
    assert h["level_changes"]["aml"] == 0
    res = run_main(late, "compare", ".", "--trend", "--progress", "none")
    assert res.returncode == 2 and "--db" in res.stderr


def test_html_shows_peers_against_the_median_and_the_repeated_sentences(
        peer_batch: Path, planted_batch: Path) -> None:
    res = run_main(peer_batch, "compare", ".", "-f", "html", "--progress", "none", "-j", "1",
                   "--peers", "--industry", "银行=bank")
    assert res.returncode == 0, res.stderr
    peers = res.stdout.split('<table id="peers">')[1].split("</table>")[0]
    data = _compare(peer_batch, "--peers", "--industry", "银行=bank")
    bank5 = next(r for r in data["rows"] if r["path"] == "bank5.txt")
    diff = bank5["score"] - bank5["peers"]["median_score"]
    assert (f"<td>第5号商业银行股份有限公司</td><td>{bank5['score']:.3f}</td>"
            f"<td>{bank5['peers']['median_score']:.3f}</td><td>{diff:+.3f}</td>"
            "<td>90.0</td><td>5</td>") in peers
    assert peers.count("<tr>") == 1 + 5  # the header and the five banks; no industry: none
    plain = run_main(peer_batch, "compare", ".", "-f", "html", "--progress", "none")
    assert 'id="peers"' not in plain.stdout and 'id="boilerplate"' not in plain.stdout
    res = run_main(planted_batch, "compare", ".", "-f", "html", "--progress", "none", "-j",
                   "1", "--quality")
    repeated = res.stdout.split('<table id="boilerplate">')[1].split("</table>")[0]
    assert f"<td>{PLANTED}</td><td>2</td><td>3</td>" in repeated


def test_html_heatmap_has_the_report_quality_columns_with_quality(planted_batch: Path) -> None:
    data = {r["path"]: r["quality"] for r in _compare(planted_batch, "--quality")["rows"]}
    res = run_main(planted_batch, "compare", ".", "-f", "html", "--progress", "none", "-j",
                   "1", "--quality")
    heat = res.stdout.split('<table id="heat">')[1].split("</table>")[0]
    for key in ("specificity", "quantitative", "cheap_talk", "boilerplate"):
        assert f'data-key="{key}"' in heat
    row = next(tr for tr in heat.split("<tr ") if "a2023.txt" in tr)
    q = data["a2023.txt"]
    assert (f'data-v="{q["specificity"]:.3f}"' in row
            and f'data-v="{q["boilerplate"]:.3f}">{q["boilerplate"]:.3f}</td>' in row)
    plain = run_main(planted_batch, "compare", ".", "-f", "html", "--progress", "none")
    assert 'data-key="specificity"' not in plain.stdout
