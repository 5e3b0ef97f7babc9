"""Regenerate the README's screenshots of the two HTML pages (docs/img/*.png).

    python tools/html_screenshots.py

Builds the pages of the newcomer walk-through (the sample report, and a
batch of the three samples) in a temporary folder and photographs each at
1366×768 in headless Debian chromium through chromium-driver (as the tests
do), then stores them as small palette PNGs.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ("huixin_consumer_finance_2024.pdf", "tw_bank_report.txt", "draft_thin.md")


def csrscan(cwd: Path, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "csrscan", *args], cwd=cwd, check=True)


def main() -> None:
    from PIL import Image
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    out = ROOT / "docs" / "img"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "batch").mkdir()
        for name in SAMPLES:
            shutil.copy(ROOT / "samples" / name, work / "batch" / name)
        csrscan(work, "batch/huixin_consumer_finance_2024.pdf", "-f", "html", "-o",
                "report.html")
        csrscan(work, "compare", "batch", "-f", "html", "-o", "compare.html", "--progress",
                "none")
        options = webdriver.ChromeOptions()
        options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
        for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    f"--user-data-dir={work / 'profile'}"):
            options.add_argument(arg)
        driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")
                                                  or "/usr/bin/chromedriver"), options=options)
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": 1366, "height": 768, "deviceScaleFactor": 1, "mobile": False})
        try:
            for page, shot in (("report.html", "report.png"), ("compare.html", "compare.png")):
                driver.get((work / page).as_uri())
                driver.save_screenshot(str(work / shot))
                with Image.open(work / shot) as img:
                    img.convert("RGB").quantize(colors=64).save(out / shot, optimize=True)
                print(f"{out / shot}: {(out / shot).stat().st_size} bytes")
        finally:
            driver.quit()


if __name__ == "__main__":
    main()
