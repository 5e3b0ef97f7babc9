"""The compare HTML report rendered by a real headless Chromium (skipped without it)."""

from __future__ import annotations

import csv
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from compare_corpus import write_report
from compare_helpers import run_main

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
HOSTILE = '<img src=x onerror="document.title=\'pwned\'">&"甲"'
INJECTED = "</script><script>document.title='pwned'</script>"


def chromium(*args: str, profile: Path) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={profile}", *args],
        capture_output=True, text=True, timeout=60)


class Dom(HTMLParser):
    """Collect what the tests look for in the DOM Chromium dumps."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.text: dict[str, list[str]] = {"blockquote": [], "summary": [], "title": []}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.stack:
            while self.stack.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1] in self.text:
            self.text[self.stack[-1]].append(data)


@pytest.fixture(scope="module")
def report_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("html")
    (root / "in").mkdir()
    for year, extra in ((2023, []), (2024, ["本公司全年组织数据安全培训5场，覆盖员工800人次。"])):
        write_report(root / "in" / f"qh_{year}.md",
                     ["青禾消费金融股份有限公司", f"{year}年度社会责任报告",
                      "报告期内本公司完成渗透测试6次，核心系统全部实现加密传输。", *extra])
    write_report(root / "in" / "evil_2024.txt",
                 ["恶意样例股份有限公司", "2024年度社会责任报告",
                  f"本公司修订《数据安全管理制度》{INJECTED}，由数据安全委员会统筹各部门职责。"])
    with (root / "m.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["path", "company"], ["in/evil_2024.txt", HOSTILE]])
    res = run_main(root, "compare", "in", "-f", "html", "-o", "r.html", "--manifest", "m.csv")
    assert res.returncode == 0, res.stderr
    return root / "r.html"


def test_static_html_escapes_hostile_text(report_html: Path) -> None:
    text = report_html.read_text(encoding="utf-8")
    assert HOSTILE not in text and INJECTED not in text
    assert "&lt;img src=x" in text  # shown as text in the heatmap
    assert text.count("<script") == 2  # the data block and the inline script, nothing else


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (apt-get install chromium)")
def test_chromium_renders_heatmap_and_drilldown(report_html: Path, tmp_path: Path) -> None:
    res = chromium("--dump-dom", report_html.as_uri(), profile=tmp_path / "profile")
    assert "data-ready" in res.stdout, res.stderr[-2000:]
    dom = Dom()
    dom.feed(res.stdout)
    body = next(a for t, a in dom.tags if t == "body")
    assert body.get("data-ready") == "1"  # the inline script ran to the end
    heat_cells = [a for t, a in dom.tags if t == "td" and "lv" in (a.get("class") or "")]
    assert len(heat_cells) == 3 * len({a.get("title", "").split(":")[0] for a in heat_cells})
    companies = [a for t, a in dom.tags if t == "details" and a.get("class") == "company"]
    assert len(companies) == 2  # 青禾 (two years) and the manifest-named one
    quotes = "".join(dom.text["blockquote"])
    assert "渗透测试6次" in quotes and "数据安全培训5场" in quotes
    assert INJECTED in quotes  # the hostile sentence is quoted as plain text...
    assert not any(t == "img" for t, _ in dom.tags)  # ...and no element was injected
    assert "pwned" not in "".join(dom.text["title"])
    assert any(HOSTILE in s for s in dom.text["summary"])
    trend = [a for t, a in dom.tags if t == "tr" and a.get("class") == "up"]
    assert len(trend) == 1  # 青禾 2023→2024: partial → covered, training gained


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (apt-get install chromium)")
def test_chromium_screenshot(report_html: Path, tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    chromium(f"--screenshot={shot}", "--window-size=1200,1400", "--virtual-time-budget=3000",
             report_html.as_uri(),
             profile=tmp_path / "profile")
    assert shot.stat().st_size > 10_000
