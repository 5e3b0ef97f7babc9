"""Scan and compare tables fit terminals of 60, 80 and 120 columns, and piped
output carries no padding."""

from __future__ import annotations

from pathlib import Path

import pytest
from compare_corpus import write_report
from compare_helpers import run_main
from rich.cells import cell_len

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "draft_thin.md"


def scan_json(tmp_path: Path) -> dict[str, object]:
    import json

    res = run_main(tmp_path, "scan", str(SAMPLE), "-f", "json")
    return json.loads(res.stdout)  # type: ignore[no-any-return]


def check_fits(out: str, width: int) -> list[str]:
    lines = out.splitlines()
    assert lines
    for line in lines:
        assert cell_len(line) <= width, line
        assert line == line.rstrip(), repr(line)
    return lines


@pytest.mark.parametrize("width", [60, 80, 120])
def test_scan_table_fits(width: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report = scan_json(tmp_path)
    monkeypatch.setenv("COLUMNS", str(width))
    res = run_main(tmp_path, "scan", str(SAMPLE), "-e")
    assert res.returncode == 0, res.stderr
    lines = check_fits(res.stdout, width)
    text = "\n".join(lines)
    topics = report["topics"]  # type: ignore[index]
    if width < 100:  # compact: a line a topic, then its missing indicators
        for t in topics:
            found = sum(i["found"] for i in t["indicators"])
            line = next(ln for ln in lines if ln.rstrip().endswith(t["name"])
                        or f"{t['name']} {t['id']}" in ln)
            assert line.split()[:2] == [t["status"], f"{found}/{len(t['indicators'])}"]
            for i in t["indicators"]:
                if not i["found"]:  # never broken inside a name
                    assert any(i["name"] in ln for ln in lines), i["name"]
        assert "┃" not in text
    else:
        head = next(ln for ln in lines if "topic" in ln and "status" in ln)
        assert [w for w in head.replace("┃", " ").split()] == [
            "topic", "status", "found", "score", "strength", "missing"]
    # evidence: the label and the quote start on one line
    first = next(i["evidence"][0] for t in topics for i in t["indicators"] if i["found"])
    label = f"p.{first['page']}:{first['line']} [{first['strength']}] "
    assert any(label + first["text"].strip()[:4] in ln for ln in lines)


def test_long_quote_hangs_under_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    long = "本公司全年组织数据安全培训5场，覆盖员工800人次，" * 4 + "并开展考核。"
    (tmp_path / "r.txt").write_text(long + "\n", encoding="utf-8")
    monkeypatch.setenv("COLUMNS", "60")
    lines = check_fits(run_main(tmp_path, "scan", "r.txt", "-e").stdout, 60)
    start = next(n for n, ln in enumerate(lines) if "[performance]" in ln)
    indent = lines[start].index(long[:2])
    follow = lines[start + 1]
    assert follow[:indent].strip() == "" and follow[indent] != " "


def test_piped_output_has_no_padding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    res = run_main(tmp_path, "scan", str(SAMPLE), "-e")
    lines = check_fits(res.stdout, 200)
    assert any("┃" in ln for ln in lines)  # wide: the full table


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("widths")
    (root / "reports" / "east-region-subsidiaries").mkdir(parents=True)
    for n, name in enumerate(("青禾消费金融股份有限公司", "远帆小额贷款股份有限公司",
                              "明川数字科技股份有限公司")):
        write_report(root / "reports" / "east-region-subsidiaries" / f"r{n}_2024.md",
                     [name, "2024年度社会责任报告", "本公司全年组织数据安全培训5场。"])
    return root


@pytest.mark.parametrize("width", [60, 80, 120])
def test_compare_table_fits(width: int, batch: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    res = run_main(batch, "compare", "reports", "--progress", "none")
    assert res.returncode == 0, res.stderr
    lines = check_fits(res.stdout, width)
    text = "\n".join(lines)
    assert "…" not in text.split("T1=")[0].replace("T1…T12", "")  # nothing cut short
    for n in range(3):  # every path whole on one line
        assert any(f"reports/east-region-subsidiaries/r{n}_2024.md" in ln for ln in lines)
    for name in ("青禾消费金融", "远帆小额贷款", "明川数字科技"):
        assert name in text
    header = next(ln for ln in lines if "company" in ln)
    assert (" T12 " in header) == (width >= 100) and ("T1…T12" in header) == (width < 100)


def test_markdown_uses_the_json_names(tmp_path: Path) -> None:
    report = scan_json(tmp_path)
    res = run_main(tmp_path, "scan", str(SAMPLE), "-f", "markdown", "-e")
    lines = res.stdout.splitlines()
    head = next(ln for ln in lines if ln.startswith("| topic"))
    names = [c.strip() for c in head.strip("|").split("|")]
    assert names == ["topic", "status", "found", "score", "strength", "missing"]
    topic = report["topics"][0]  # type: ignore[index]
    assert {"status", "score"} <= set(topic) and "strength" in topic["indicators"][0]
    row = next(ln for ln in lines if f"`{topic['id']}`" in ln)
    assert f"| {topic['score']:.3f} |" in row
