"""A real headless Chromium driven through Selenium and Debian's chromium-driver.

No browser is downloaded: the tests use the system's `chromium` and
`chromedriver` (apt-get install chromium chromium-driver; .ci/run does) and
skip, saying so, only when one of them is missing.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver") or (
    "/usr/bin/chromedriver" if os.path.exists("/usr/bin/chromedriver") else None)
MISSING = ("chromium not installed (apt-get install chromium)" if CHROMIUM is None else
           "chromedriver not installed (apt-get install chromium-driver)"
           if CHROMEDRIVER is None else "")
needs_browser = pytest.mark.skipif(bool(MISSING), reason=MISSING)
WIDTH, HEIGHT = 1366, 768


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One headless Chromium for a module's tests, its window 1366×768."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-sync",
                "--disable-component-update", f"--window-size={WIDTH},{HEIGHT}",
                f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)),
                              options=options)
    # the viewport itself 1366×768 (--window-size counts the headless window's frame)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False})
    try:
        yield driver
    finally:
        driver.quit()


def load(driver: Any, page: Path) -> list[dict[str, Any]]:
    """Open a page; the browser log entries it made (errors included)."""
    driver.get_log("browser")  # drop what an earlier page left
    driver.get(page.as_uri())
    return list(driver.get_log("browser"))


def errors(log: list[dict[str, Any]]) -> list[str]:
    return [str(e.get("message")) for e in log if e.get("level") in ("SEVERE", "ERROR")]


def screenshot(driver: Any, path: Path) -> Path:
    """The viewport as PNG, checked to be the laptop size asked for; also kept in
    $CSRSCAN_TEST_ARTIFACTS when set (a CI job's artefact folder: tmp_path goes)."""
    from PIL import Image

    driver.save_screenshot(str(path))
    with Image.open(path) as img:
        assert img.size == (WIDTH, HEIGHT), img.size
    keep = os.environ.get("CSRSCAN_TEST_ARTIFACTS")
    if keep:
        os.makedirs(keep, exist_ok=True)
        shutil.copyfile(path, os.path.join(keep, path.name))
    return path
