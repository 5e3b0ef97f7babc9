"""The compare page: escaping, structure, and a user's clicks and typing in a
real headless Chromium (tests/browser_support.py; skipped without one)."""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from browser_support import browser, errors, load, needs_browser, screenshot
from compare_corpus import write_report
from compare_helpers import run_main

__all__ = ["browser"]  # the fixture, imported for the tests below
HOSTILE = '<img src=x onerror="document.title=\'pwned\'">&"甲"'
INJECTED = "</script><script>document.title='pwned'</script>"
TRAINING = "本公司全年组织数据安全培训5场，覆盖员工800人次。"
TECH = "报告期内本公司完成渗透测试6次，核心系统全部实现加密传输。"
BATCH = {  # file: (company line, industry, lines)
    "qh_2023.md": ("青禾消费金融股份有限公司", "消费金融", [TECH]),
    "qh_2024.md": ("青禾消费金融股份有限公司", "消费金融", [TECH, TRAINING]),
    "yf_2024.txt": ("远帆小额贷款股份有限公司", "小额贷款",
                    [TECH, TRAINING, "本公司按照最小必要原则收集个人信息，并在隐私政策中说明用途。",
                     "本行建立反洗钱内控制度，完成可疑交易报告12份。"]),
    "mc_2023.txt": ("明川数字科技股份有限公司", "消费金融", ["本公司持续优化客户服务体验。"]),
    "evil_2024.txt": ("恶意样例股份有限公司", "",
                      [f"本公司修订《数据安全管理制度》{INJECTED}，由数据安全委员会统筹各部门职责。"]),
}


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """The page and the same batch's csrscan.matrix/1 JSON, the reference."""
    root = tmp_path_factory.mktemp("html")
    (root / "in").mkdir()
    rows = [["path", "company", "year", "industry"]]
    for name, (company, industry, lines) in BATCH.items():
        year = name.split(".")[0][-4:]
        write_report(root / "in" / name, [company, f"{year}年度社会责任报告", *lines])
        rows.append([f"in/{name}", HOSTILE if name.startswith("evil") else company, year,
                     industry])
    with (root / "m.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    for fmt, out in (("html", "r.html"), ("json", "r.json")):
        res = run_main(root, "compare", "in", "-f", fmt, "-o", out, "--manifest", "m.csv",
                       "--progress", "none")
        assert res.returncode == 0, res.stderr
    return root / "r.html", json.loads((root / "r.json").read_text(encoding="utf-8"))


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_static_page_escapes_and_is_offline(batch: tuple[Path, dict[str, Any]]) -> None:
    text = batch[0].read_text(encoding="utf-8")
    assert HOSTILE not in text and INJECTED not in text
    assert "&lt;img src=x" in text and "&lt;/script&gt;" in text
    assert text.count("<script") == 1  # the inline script, nothing else
    tags = Tags()
    tags.feed(text)
    assert not any(t in ("img", "link", "iframe") for t, _ in tags.tags)
    refs = [a.get("href") or a.get("src") or "" for _, a in tags.tags if "href" in a or "src" in a]
    assert refs and all(r.startswith("#") for r in refs)
    heads = [a.get("data-key") for t, a in tags.tags if t == "th" and a.get("data-key")]
    topic_ids = [t["id"] for t in batch[1]["topics"]]
    assert heads == ["company", "industry", "year", *topic_ids, "score", "missing_indicators",
                     "path"]
    for t in batch[1]["topics"]:  # Chinese topic names head the columns
        assert f'{t["name"]}<br><span class="id">{t["id"]}</span>' in text


def visible_paths(driver: Any) -> list[str]:
    return list(driver.execute_script(
        "return Array.from(document.querySelectorAll('#heat tbody tr'))"
        ".filter(function (tr) { return !tr.hidden && tr.offsetParent !== null; })"
        ".map(function (tr) { return tr.lastElementChild.textContent; });"))


@needs_browser
def test_sort_filter_export_in_chromium(browser: Any, batch: tuple[Path, dict[str, Any]],
                                        tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    page, matrix = batch
    log = load(browser, page)
    assert errors(log) == []
    assert browser.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "1"
    assert browser.title.startswith("csrscan compare")  # the hostile names ran nothing
    assert not browser.find_elements(By.CSS_SELECTOR, "#heat img")
    screenshot(browser, tmp_path / "compare-1366x768.png")
    rows = matrix["rows"]
    assert sorted(visible_paths(browser)) == sorted(r["path"] for r in rows)

    by_score = sorted(rows, key=lambda r: -r["score"])
    browser.find_element(By.CSS_SELECTOR, 'th[data-key="score"] button').click()
    assert [r["score"] for r in _rows_of(browser, rows)] == [r["score"] for r in by_score]
    browser.find_element(By.CSS_SELECTOR, 'th[data-key="score"] button').click()
    assert [r["score"] for r in _rows_of(browser, rows)] == sorted(r["score"] for r in rows)
    th = browser.find_element(By.CSS_SELECTOR, 'th[data-key="year"]')
    th.find_element(By.TAG_NAME, "button").click()
    assert [r["year"] for r in _rows_of(browser, rows)] == sorted(
        (r["year"] for r in rows), reverse=True)
    assert th.get_attribute("aria-sort") == "descending"

    box = browser.find_element(By.ID, "f-company")
    box.send_keys("青禾")
    assert sorted(visible_paths(browser)) == ["in/qh_2023.md", "in/qh_2024.md"]
    assert browser.find_element(By.ID, "shown").text == "2"
    box.clear()
    box.send_keys(" ")  # clear() sends no input event: type, then erase
    box.send_keys("\b")
    Select(browser.find_element(By.ID, "f-industry")).select_by_value("消费金融")
    Select(browser.find_element(By.ID, "f-year")).select_by_value("2023")
    expected = sorted(r["path"] for r in rows
                      if r["industry"] == "消费金融" and r["year"] == 2023)
    assert sorted(visible_paths(browser)) == expected == ["in/mc_2023.txt", "in/qh_2023.md"]

    browser.find_element(By.ID, "export").click()
    exported = list(csv.DictReader(io.StringIO(
        browser.execute_script("return window.csrscanLastExport;"))))
    assert sorted(e["path"] for e in exported) == expected
    for e in exported:
        row = next(r for r in rows if r["path"] == e["path"])
        assert e["company"] == row["company"] and float(e["score"]) == row["score"]
        assert {t: int(e[t]) for t in row["levels"]} == row["levels"]
    assert errors(list(browser.get_log("browser"))) == []


def _rows_of(driver: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_path = {r["path"]: r for r in rows}
    return [by_path[p] for p in visible_paths(driver)]


@needs_browser
def test_drilldown_opens_on_a_cell_and_lists_missing(
        browser: Any, batch: tuple[Path, dict[str, Any]]) -> None:
    from selenium.webdriver.common.by import By

    page, matrix = batch
    load(browser, page)
    details = browser.find_elements(By.CSS_SELECTOR, "details.company")
    assert len(details) == 4 and not any(d.get_attribute("open") for d in details)
    row = next(r for r in matrix["rows"] if r["path"] == "in/yf_2024.txt")
    tr = next(tr for tr in browser.find_elements(By.CSS_SELECTOR, "#heat tbody tr")
              if tr.find_elements(By.XPATH, "td[last()]")[0].text == row["path"])
    tr.find_element(By.CSS_SELECTOR, "td.topic a").click()  # the data_security cell
    opened = [d for d in details if d.get_attribute("open")]
    assert len(opened) == 1 and "远帆" in opened[0].find_element(By.TAG_NAME, "summary").text
    target = browser.find_element(By.ID, browser.current_url.split("#")[1])
    assert target.is_displayed() and "渗透测试6次" in target.text
    missing = opened[0].find_element(By.CSS_SELECTOR, "ul.missing").text
    for t in matrix["topics"]:
        gone = set(_indicators(t["id"])) - set(row["found"][t["id"]])
        for iid in gone:
            assert iid in missing
        for iid in row["found"][t["id"]]:
            assert iid not in missing


def _indicators(topic: str) -> list[str]:
    from csrscan.packs.select import select_pack

    return [i.id for t in select_pack(None, ()).topics if t.id == topic for i in t.indicators]


def test_a_batch_of_failures_only_still_renders(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "broken.pdf").write_bytes(b"%PDF-1.7\nnot really a pdf")
    res = run_main(tmp_path, "compare", "in", "-f", "html", "-o", "r.html", "--progress", "none")
    assert res.returncode == 2
    text = (tmp_path / "r.html").read_text(encoding="utf-8")
    tags = Tags()
    tags.feed(text)
    assert not [a for t, a in tags.tags if t == "tr" and "data-company" in a]
    assert "in/broken.pdf" in text and 'id="failures"' in text and 'id="heat"' in text


@needs_browser
def test_printed_heatmap_keeps_its_headers_and_every_column(
        browser: Any, batch: tuple[Path, dict[str, Any]]) -> None:
    """Chromium's own print to PDF: the column headers (their text sits in the sort
    buttons, which print hides elsewhere) and the last column are on the page."""
    import base64

    import pypdfium2

    page, matrix = batch
    load(browser, page)
    pdf = base64.b64decode(browser.execute_cdp_cmd("Page.printToPDF", {})["data"])
    doc = pypdfium2.PdfDocument(pdf)
    first = doc[0].get_textpage().get_text_range()
    flat = "".join(first.split())
    for head in ("公司", "年度", "覆盖度", "缺失指标", "文件"):
        assert head in flat, head
    for row in matrix["rows"]:  # the path, the heatmap's last column, is not cut off
        assert row["path"] in flat, row["path"]
    width, height = doc[0].get_size()
    assert width > height  # landscape: a heatmap is wide
