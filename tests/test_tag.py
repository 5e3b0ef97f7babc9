"""`csrscan tag`: rows agree with `scan -f json` evidence; order, flags, failures, formats."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from compare_helpers import run_main

from csrscan.packs.select import select_pack
from csrscan.pipeline import scan_path
from csrscan.render.report import report_to_dict
from csrscan.tag.rows import COLUMNS

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted(p for p in (ROOT / "samples").iterdir()
                 if p.is_file() and p.suffix in (".md", ".pdf", ".txt"))


def _scan_evidence(path: Path) -> Counter[tuple[Any, ...]]:
    data = report_to_dict(scan_path(path, select_pack(None)))
    items: Counter[tuple[Any, ...]] = Counter()
    for t in data["topics"]:
        for i in t["indicators"]:
            for e in i["evidence"]:
                items[(t["id"], i["id"], e["page"], e["line"], e["text"].strip(),
                       e["strength"], tuple(e["terms"]), e["ocr"])] += 1
        for e in t["mentions"]:
            items[(t["id"], "", e["page"], e["line"], e["text"].strip(), e["strength"],
                   tuple(e["terms"]), e["ocr"])] += 1
    return items


def _tag_rows(cwd: Path, *args: str) -> list[dict[str, Any]]:
    res = run_main(cwd, "tag", *args, "-f", "jsonl", "--progress", "none", "-j", "1")
    assert res.returncode == 0, res.stderr
    return [json.loads(line) for line in res.stdout.splitlines()]


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tag")
    for p in SAMPLES:
        shutil.copy(p, root / p.name)
    return root


def test_rows_agree_with_scan_json_for_every_sample(sample_dir: Path) -> None:
    rows = _tag_rows(sample_dir, ".")
    assert {r["file"] for r in rows} == {p.name for p in SAMPLES}
    for p in SAMPLES:
        got = Counter((r["topic"], r["indicator"], r["page"], r["line"], r["sentence"],
                       r["strength"], tuple(r["terms"]), r["ocr"])
                      for r in rows if r["file"] == p.name)
        expected = _scan_evidence(sample_dir / p.name)
        assert expected, p.name  # every sample has evidence
        assert got == expected, p.name
    for r in rows:
        assert r["quantitative"] == (r["strength"] == "performance")
        assert list(r) == list(COLUMNS)


def test_order_is_by_file_then_place_and_all_sentences_adds_the_rest(sample_dir: Path
                                                                     ) -> None:
    rows = _tag_rows(sample_dir, ".")
    keys = [(r["file"], r["page"], r["line"]) for r in rows]
    assert keys == sorted(keys)
    every = _tag_rows(sample_dir, ".", "--all-sentences")
    assert [r for r in every if r["topic"]] == rows
    blank = [r for r in every if not r["topic"]]
    assert blank and all(r["indicator"] == r["strength"] == "" for r in blank)
    evidence_at = {(r["file"], r["page"], r["line"], r["sentence"]) for r in rows}
    assert not evidence_at & {(r["file"], r["page"], r["line"], r["sentence"]) for r in blank}
    assert {"heading", "body"} <= {r["context"] for r in blank}


def test_flags_come_from_the_sentence(tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text(
        "青禾银行股份有限公司2024年度社会责任报告\n"
        "本行建立了个人信息保护制度，报告期内未发生个人信息泄露事件。\n"
        "银行业金融机构应当加强消费者权益保护。\n"
        "本行尚未建立数据分类分级制度。\n", encoding="utf-8")
    rows = _tag_rows(tmp_path, "r.txt", "--all-sentences")
    by = {r["sentence"]: r for r in rows}
    zero = by["本行建立了个人信息保护制度，报告期内未发生个人信息泄露事件。"]
    assert zero["zero_incident"] and zero["figure"] and not zero["gap"]
    assert by["银行业金融机构应当加强消费者权益保护。"]["normative"]
    gap = by["本行尚未建立数据分类分级制度。"]
    assert gap["gap"] and gap["topic"] == ""  # a gap is never evidence


def test_csv_has_the_columns_and_a_failed_file_is_listed(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("本行建立了个人信息保护制度。\n", encoding="utf-8")
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.4 broken")
    res = run_main(tmp_path, "tag", ".", "--progress", "none", "-j", "2", "-o", "out.csv")
    assert res.returncode == 2
    assert "failed: bad.pdf" in res.stderr
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out.csv").read_text("utf-8"))))
    assert rows and {r["file"] for r in rows} == {"good.txt"}
    assert list(rows[0]) == list(COLUMNS)
    assert rows[0]["ocr"] in ("0", "1")


def test_parquet_matches_jsonl(sample_dir: Path, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "tags.parquet"
    res = run_main(sample_dir, "tag", ".", "-f", "parquet", "-o", str(out), "--progress",
                   "none", "-j", "1")
    assert res.returncode == 0, res.stderr
    assert pq.read_table(out).to_pylist() == _tag_rows(sample_dir, ".")


def test_parquet_without_output_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("本行建立了个人信息保护制度。\n", encoding="utf-8")
    res = run_main(tmp_path, "tag", "a.txt", "-f", "parquet")
    assert res.returncode == 2 and "--output" in res.stderr


def test_boilerplate_flags_sentences_other_companies_repeat(tmp_path: Path) -> None:
    planted = "本公司全年组织数据安全培训5场，覆盖员工800人次。"
    own = "本公司修订《数据安全管理制度》，由数据安全委员会统筹各部门职责。"
    for name, company, lines in (
            ("a.txt", "甲方消费金融", [own, planted]),
            ("b.txt", "乙方小额贷款", ["本公司全年組織數據安全培訓５場,覆盖员工800人次。"]),
            ("c.txt", "丙方数字科技", ["报告期内，本公司未发生重大数据泄露事件。"] * 2)):
        (tmp_path / name).write_text("\n".join([f"{company}股份有限公司", "2024年度社会责任报告",
                                                "", *lines]) + "\n", encoding="utf-8")
    plain = _tag_rows(tmp_path, ".")
    assert {r["boilerplate"] for r in plain} == {None}  # only over a batch, when asked
    rows = _tag_rows(tmp_path, ".", "--boilerplate")
    flags = {(r["file"], r["sentence"]): r["boilerplate"] for r in rows}
    assert flags == {("a.txt", own): False, ("a.txt", planted): True,
                     ("b.txt", "本公司全年組織數據安全培訓５場,覆盖员工800人次。"): True,
                     ("c.txt", "报告期内，本公司未发生重大数据泄露事件。"): False}
    res = run_main(tmp_path, "tag", ".", "--boilerplate", "--progress", "none", "-j", "1")
    table = list(csv.DictReader(io.StringIO(res.stdout)))
    assert {r["boilerplate"] for r in table} == {"0", "1"}


def test_report_quality_is_a_group_by_of_the_tag_rows(sample_dir: Path) -> None:
    """docs/research.md: every index of `scan -f json` can be computed from the rows."""
    rows = [r for r in _tag_rows(sample_dir, ".") if r["indicator"]]
    for p in SAMPLES:
        data = report_to_dict(scan_path(sample_dir / p.name, select_pack(None)))
        for t in data["topics"]:
            mine = [r for r in rows if r["file"] == p.name and r["topic"] == t["id"]]
            grades: dict[str, set[str]] = {}
            for r in mine:
                grades.setdefault(r["sentence"], set()).add(r["strength"])
            n = len(grades)
            specific = sum(1 for g in grades.values() if g - {"statement"})
            figures = sum(1 for g in grades.values() if "performance" in g)
            by_ind: dict[str, set[str]] = {}
            for r in mine:
                by_ind.setdefault(r["indicator"], set()).add(r["strength"])
            talk = sum(1 for g in by_ind.values() if g == {"statement"})
            q = t["quality"]
            assert q["sentences"] == n and q["indicators"] == len(by_ind), (p.name, t["id"])
            assert q["specificity"] == (round(specific / n, 3) if n else None)
            assert q["quantitative"] == (round(figures / n, 3) if n else None)
            assert q["cheap_talk"] == (round(talk / len(by_ind), 3) if by_ind else None)


def test_scan_quality_table(tmp_path: Path) -> None:
    res = run_main(ROOT, "scan", "samples/draft_thin.md", "--quality", cache=tmp_path)
    assert res.returncode == 0, res.stderr
    report_line = next(line for line in res.stdout.splitlines() if "report" in line
                       and "%" in line)
    # hand count in docs/research.md: 10 sentences, 7 specific, 2 with figures, 2 of 10
    assert [c.strip() for c in report_line.split("│")[2:6]] == ["10", "70%", "20%", "20%"]


def test_manifest_and_industry_rules_fill_identity(tmp_path: Path) -> None:
    line = "本公司建立了个人信息保护制度，并开展数据安全培训。\n"
    (tmp_path / "a.txt").write_text("青禾银行股份有限公司\n2024年度社会责任报告\n" + line,
                                    encoding="utf-8")
    (tmp_path / "b.txt").write_text("远帆小额贷款股份有限公司\n2024年度社会责任报告\n" + line,
                                    encoding="utf-8")
    (tmp_path / "m.csv").write_text("path,company,year,industry\nb.txt,,2023,microcredit\n",
                                    encoding="utf-8")
    rows = _tag_rows(tmp_path, "a.txt", "b.txt", "--manifest", "m.csv", "--industry",
                     "银行=banking", "--industry", "贷款=never used: the manifest wins")
    got = {(r["file"], r["company"], r["year"], r["industry"]) for r in rows}
    assert got == {("a.txt", "青禾银行股份有限公司", 2024, "banking"),
                   ("b.txt", "远帆小额贷款股份有限公司", 2023, "microcredit")}


def test_a_data_set_manifest_with_file_and_accepted_years_is_read(tmp_path: Path) -> None:
    line = "本公司建立了个人信息保护制度，并开展数据安全培训。\n"
    (tmp_path / "a.txt").write_text("青禾银行股份有限公司\n2016年度社会责任报告\n" + line,
                                    encoding="utf-8")
    (tmp_path / "b.txt").write_text("远帆小额贷款股份有限公司\n2018年度社会责任报告\n" + line,
                                    encoding="utf-8")
    (tmp_path / "MANIFEST.csv").write_text(
        "file,sector,company,year,industry\n"
        "a.txt,bank,青禾银行,2015|2016,金融\nb.txt,other,远帆,2015|2016,金融\n",
        encoding="utf-8")
    rows = _tag_rows(tmp_path, "a.txt", "b.txt", "--manifest", "MANIFEST.csv")
    got = {(r["file"], r["company"], r["year"], r["industry"]) for r in rows}
    assert got == {("a.txt", "青禾银行", 2016, "金融"), ("b.txt", "远帆", 2015, "金融")}


def test_the_pandas_pivot_of_docs_research_md_is_what_tag_gives(sample_dir: Path) -> None:
    """The strength counts per company printed in docs/research.md (the pivot's
    nunique of sentences), recomputed from the rows of the command it names."""
    doc = (ROOT / "docs" / "research.md").read_text(encoding="utf-8")
    table = doc[doc.index("strength      measure"):].split("```")[0].splitlines()
    header = table[0].split()[1:]
    printed = {line.split()[0]: dict(zip(header, map(int, line.split()[1:]), strict=True))
               for line in table[2:] if line.strip()}
    names = ["draft_thin.md", *(p.name for p in SAMPLES if p.suffix in (".pdf", ".txt"))]
    assert "samples/draft_thin.md samples/*.pdf samples/*.txt" in doc
    sentences: dict[str, dict[str, set[str]]] = {}
    for r in _tag_rows(sample_dir, *names):
        if r["indicator"]:
            by = sentences.setdefault(r["company"], {s: set() for s in header})
            by[r["strength"]].add(r["sentence"])
    assert printed == {c: {s: len(v) for s, v in by.items()} for c, by in sentences.items()}


def test_a_term_with_a_space_stays_one_term(tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text(
        "青禾银行股份有限公司2024年度社会责任报告\n"
        "2024年，本行通过ISO 27001信息安全管理体系认证复审。\n", encoding="utf-8")
    rows = [r for r in _tag_rows(tmp_path, "r.txt") if r["indicator"]]
    assert rows and all("iso 27001" in r["terms"] for r in rows if
                        r["indicator"] == "data_security.certification")
    assert not any("27001" in r["terms"] for r in rows)  # not split into iso, 27001
    res = run_main(tmp_path, "tag", "r.txt", "--progress", "none", "-j", "1")
    cells = [r["terms"].split("|") for r in csv.DictReader(io.StringIO(res.stdout))]
    assert [c for c in cells if "iso 27001" in c]
