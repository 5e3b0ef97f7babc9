"""CSV outputs never hand a spreadsheet a formula from a report (OWASP "CSV
injection", issue #17): text cells that start with = + - @ (or a tab, a CR)
get a leading ', numbers keep their sign; XLSX keeps such text a string."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from browser_support import browser, load, needs_browser
from compare_corpus import SENTENCES
from compare_helpers import run_main
from openpyxl import load_workbook

from csrscan.compare.formats.cells import csv_safe

__all__ = ["browser"]  # the fixture
ONE_EACH = ("-j", "1", "--max-tasks-per-child", "1", "--progress", "none")
NAMES = {"a": '=HYPERLINK("http://x","点我")', "b": "+1+cmd|' /C calc'!A0",
         "c": "-2+3", "d": "@SUM(A1:A9)"}


@pytest.mark.parametrize(("value", "safe"), [
    ("=1+1", "'=1+1"), ("+86 10", "'+86 10"), ("-本公司", "'-本公司"), ("@x", "'@x"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"),
    ("-3", "-3"), ("+0.5", "+0.5"), ("-12%", "-12%"), ("-1e3", "-1e3"),  # numbers as text
    (-0.25, -0.25), (-3, -3), (0, 0), (None, None),
    ("本公司=1", "本公司=1"), ("", ""), ("'=1", "'=1")])
def test_csv_safe(value: object, safe: object) -> None:
    assert csv_safe(value) == safe


def _batch(tmp_path: Path) -> None:
    for key in NAMES:
        path = tmp_path / "in" / f"{key}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"# 报告\n\n{SENTENCES['governance']}\n\n"
                        f"=HYPERLINK(\"http://x\")本公司未发生数据泄露事件。\n", encoding="utf-8")
    (tmp_path / "m.csv").write_text(
        "path,company,year\n" + "".join(f'in/{k}.md,"{v.replace(chr(34), 2 * chr(34))}",2024\n'
                                        for k, v in NAMES.items()), encoding="utf-8")


def test_compare_csv_prefixes_formula_text(tmp_path: Path) -> None:
    _batch(tmp_path)
    r = run_main(tmp_path, "compare", "in", "--manifest", "m.csv", "-f", "csv", *ONE_EACH)
    assert r.returncode == 0, r.stderr
    rows = {row["path"]: row for row in csv.DictReader(io.StringIO(r.stdout))}
    assert {p: row["company"] for p, row in rows.items()} == {
        f"in/{k}.md": "'" + v for k, v in NAMES.items()}
    assert all(float(row["score"]) >= 0 and row["year"] == "2024" for row in rows.values())


def test_compare_xlsx_keeps_formula_text_a_string(tmp_path: Path) -> None:
    _batch(tmp_path)
    r = run_main(tmp_path, "compare", "in", "--manifest", "m.csv", "-f", "xlsx", "-o", "m.xlsx",
                 *ONE_EACH)
    assert r.returncode == 0, r.stderr
    companies = [c for c in load_workbook(tmp_path / "m.xlsx")["matrix"]["B"][1:5]]
    assert sorted(c.value for c in companies) == sorted(NAMES.values())  # no prefix
    assert all(c.data_type == "s" for c in companies)


def test_tag_csv_prefixes_formula_text(tmp_path: Path) -> None:
    _batch(tmp_path)
    r = run_main(tmp_path, "tag", "in/a.md", "--progress", "none", "-j", "1")
    assert r.returncode == 0, r.stderr
    sentences = [row["sentence"] for row in csv.DictReader(io.StringIO(r.stdout))]
    formulas = [s for s in sentences if "HYPERLINK" in s]
    assert formulas and all(s.startswith("'=HYPERLINK") for s in formulas)
    assert all(not s.startswith(("=", "+", "-", "@")) for s in sentences)


@needs_browser
def test_the_html_pages_csv_export_prefixes_formula_text(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    _batch(tmp_path)
    r = run_main(tmp_path, "compare", "in", "--manifest", "m.csv", "-f", "html", "-o", "r.html",
                 *ONE_EACH)
    assert r.returncode == 0, r.stderr
    load(browser, tmp_path / "r.html")
    browser.find_element(By.ID, "export").click()
    rows = list(csv.DictReader(io.StringIO(
        browser.execute_script("return window.csrscanLastExport;"))))
    assert {row["path"]: row["company"] for row in rows} == {
        f"in/{k}.md": "'" + v for k, v in NAMES.items()}
    assert all(not row["score"].startswith("'") for row in rows)
