"""`csrscan scan REPORT -f html`: the report page's content, escaping and size."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from browser_support import browser, errors, load, needs_browser, screenshot
from compare_helpers import run_main

__all__ = ["browser"]  # the fixture, imported for the browser test

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = "<img src=x onerror=alert(1)>"
LINES = [
    "远帆小额贷款有限公司2024年度社会责任报告",
    "本公司修订《数据安全管理制度》，由数据安全委员会统筹各部门职责。",
    f"报告期内本公司完成渗透测试6次，核心系统全部实现加密传输{HOSTILE}。",
    "本公司全年组织数据安全培训5场，覆盖员工800人次。",
]


class Page(HTMLParser):
    """Tags with their attributes, and the text inside each element id."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.marks: list[str] = []
        self._in_mark = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_mark = tag == "mark"

    def handle_endtag(self, tag: str) -> None:
        self._in_mark = False

    def handle_data(self, data: str) -> None:
        if self._in_mark:
            self.marks.append(data)


def scan_html(tmp_path: Path, *args: str) -> str:
    (tmp_path / "r.txt").write_text("\n\n".join(LINES) + "\n", encoding="utf-8")
    res = run_main(tmp_path, "scan", "r.txt", "-f", "html", "-o", "r.html", *args)
    assert res.returncode == 0, res.stderr
    return (tmp_path / "r.html").read_text(encoding="utf-8")


def test_page_has_cards_chart_gaps_and_escapes(tmp_path: Path) -> None:
    from csrscan.packs.select import select_pack

    pack = select_pack(None, ())
    text = scan_html(tmp_path)
    page = Page()
    page.feed(text)
    cards = [a["id"] for t, a in page.tags if t == "section" and "card" in (a.get("class") or "")]
    assert cards == [f"t-{t.id}" for t in pack.topics]
    assert sum(t == "svg" for t, _ in page.tags) == 1
    assert HOSTILE not in text and "&lt;img src=x onerror=alert(1)&gt;" in text
    assert not any(t in ("img", "script", "link") for t, _ in page.tags)
    # matched terms are marked inside the quotes as the report wrote them
    assert "渗透测试" in page.marks and "数据安全管理制度" in page.marks
    # every missing indicator is a gap row carrying what the pack asks for
    gaps = {a["id"] for t, a in page.tags if t == "tr" and (a.get("id") or "").startswith("gap-")}
    res = run_main(tmp_path, "scan", "r.txt", "-f", "json")
    found = {i["id"] for t in json.loads(res.stdout)["topics"] for i in t["indicators"]
             if i["found"]}
    assert {"data_security.governance", "data_security.technical"} <= found
    assert gaps == {f"gap-{i.id}" for i in pack.indicators if i.id not in found}
    consent = next(i for i in pack.indicators if i.id == "data_security.consent")
    # a gap says what the indicator asks for: the pack's guidance, Chinese line first
    assert consent.guidance.splitlines()[0].strip() in text
    assert "已覆盖" in text and "p.1:" in text  # Chinese status, page:line quotes
    assert "@media print" in text


def test_evidence_is_limited_unless_all_evidence(tmp_path: Path) -> None:
    lines = [f"本公司第{n}季度组织数据安全培训{n}场，覆盖员工{n}00人次。" for n in range(1, 6)]
    (tmp_path / "r.txt").write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    for args, quotes in (((), 3), (("--all-evidence",), 5)):
        res = run_main(tmp_path, "scan", "r.txt", "-f", "html", *args)
        assert res.returncode == 0, res.stderr
        assert res.stdout.count("季度组织") == quotes
        assert ("另有 2 条" in res.stdout) == (quotes == 3)


def test_sample_page_is_small_and_offline(tmp_path: Path) -> None:
    sample = ROOT / "samples" / "huixin_consumer_finance_2024.pdf"
    res = run_main(tmp_path, "scan", str(sample), "-f", "html", "-o", "s.html")
    assert res.returncode == 0, res.stderr
    text = (tmp_path / "s.html").read_text(encoding="utf-8")
    assert len(text.encode()) <= 300_000
    for attr in ('src="http', "src='http", 'href="http', "@import", "url("):
        assert attr not in text
    assert text.count('class="card') == 12 and "<blockquote>" in text


@needs_browser
def test_sample_page_in_chromium(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    sample = ROOT / "samples" / "huixin_consumer_finance_2024.pdf"
    res = run_main(tmp_path, "scan", str(sample), "-f", "html", "-o", "s.html")
    assert res.returncode == 0, res.stderr
    report = json.loads(run_main(tmp_path, "scan", str(sample), "-f", "json").stdout)
    assert errors(load(browser, tmp_path / "s.html")) == []
    screenshot(browser, tmp_path / "report-1366x768.png")
    cards = browser.find_elements(By.CSS_SELECTOR, "section.card")
    assert [c.get_attribute("id") for c in cards] == [f"t-{t['id']}" for t in report["topics"]]
    chart = browser.find_element(By.CSS_SELECTOR, "svg.chart")
    assert chart.is_displayed() and chart.size["width"] > 600
    # a topic name in the chart links to its card
    partial = next(t for t in report["topics"] if t["status"] == "partial")
    chart.find_element(By.XPATH, f".//*[local-name()='text' and text()='{partial['name']}']"
                       ).click()
    assert browser.current_url.endswith(f"#t-{partial['id']}")
    card = browser.find_element(By.ID, f"t-{partial['id']}")
    assert "部分" in card.text and card.location["y"] >= 0
    missing = [i for t in report["topics"] for i in t["indicators"] if not i["found"]]
    rows = browser.find_elements(By.CSS_SELECTOR, "section.gaps tbody tr")
    assert [r.get_attribute("id") for r in rows] == [f"gap-{i['id']}" for i in missing]
