"""A failure in the multi-process path is never silent: it is logged (shown
under CSRSCAN_DEBUG) and the one-process scan gives the same report."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ingest_support import load_make_bad
from zh_text import COMPANIES, ReportSpec, report_text_pages

from csrscan.ingest import IngestOptions
from csrscan.packs.select import select_pack
from csrscan.parallel import split
from csrscan.pipeline import scan_bytes

mb = load_make_bad()


def _pdf(pages: int) -> bytes:
    company, short = COMPANIES[1]
    texts = report_text_pages(ReportSpec(company, short, 2024, pages, seed=5))

    def draw(c: Any, i: int) -> None:
        c.setFont(mb.cjk_font(), 10)
        for k, line in enumerate(texts[i].split("\n")[:44]):
            c.drawString(40, 800 - 17 * k, line)
    return bytes(mb.pdf_bytes(draw, pages=pages))


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return _pdf(12)


def test_a_failing_split_scan_is_logged_and_changes_nothing(
        pdf: bytes, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    pack = select_pack(None)
    expected = scan_bytes(pdf, "r.pdf", pack, IngestOptions(jobs=1))

    def broken(*args: Any) -> None:
        raise RuntimeError("the split broke")
    monkeypatch.setattr(split, "_scan_pdf", broken)
    with caplog.at_level(logging.DEBUG, logger="csrscan"):
        report = scan_bytes(pdf, "r.pdf", pack, IngestOptions(jobs=2))
    assert report == expected
    [record] = [r for r in caplog.records if r.name == "csrscan.parallel.split"]
    assert "split scan of r.pdf failed" in record.getMessage()
    assert record.exc_info is not None and "the split broke" in str(record.exc_info[1])


def test_a_failing_helper_process_says_why(caplog: pytest.LogCaptureFixture) -> None:
    from csrscan.parallel import forked

    def dies(channel: forked.Channel) -> None:
        os._exit(4)  # no answer at all
    with caplog.at_level(logging.DEBUG, logger="csrscan"):
        helper = forked.start(dies)
        assert helper is not None
        assert helper.recv() is None
    assert any("ended without answering" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("debug", ["1", ""])
def test_csrscan_debug_shows_why_the_split_gave_way(pdf: bytes, tmp_path: Path,
                                                   debug: str) -> None:
    """The CLI shows the library's log under CSRSCAN_DEBUG, and only then."""
    (tmp_path / "r.pdf").write_bytes(pdf)
    script = ("from csrscan.cli import root\nfrom csrscan.parallel import split\n"
              "def broken(*args):\n    raise RuntimeError('the split broke')\n"
              "split._scan_pdf = broken\n"
              "root.main(['scan', 'r.pdf', '-j', '2', '-f', 'json'])\n")
    env = {**os.environ, "CSRSCAN_DEBUG": debug}
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, check=False, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert '"schema": "csrscan.report/1"' in proc.stdout
    shown = "csrscan: debug: csrscan.parallel.split: split scan of r.pdf failed" in proc.stderr
    assert shown == bool(debug)
    assert ("RuntimeError: the split broke" in proc.stderr) == bool(debug)
