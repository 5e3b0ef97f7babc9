"""The multi-core scan of a long PDF as the `csrscan` command runs it (a child
process that forks its helpers), and the helper channel's failure paths."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from compare_helpers import run_cli
from ingest_support import load_make_bad
from zh_text import COMPANIES, ReportSpec, report_text_pages

from csrscan.parallel import forked

mb = load_make_bad()


def _long_pdf(pages: int) -> bytes:
    company, short = COMPANIES[0]
    texts = report_text_pages(ReportSpec(company, short, 2024, pages, seed=5))

    def draw(c: Any, i: int) -> None:
        c.setFont(mb.cjk_font(), 10)
        for k, line in enumerate(texts[i].split("\n")[:44]):
            c.drawString(40, 800 - 17 * k, line)
    return bytes(mb.pdf_bytes(draw, pages=len(texts)))


def test_two_jobs_give_the_one_process_report(tmp_path: Path) -> None:
    pages = 2 * forked.MIN_PAGES_PER_PART  # just enough for two parts
    (tmp_path / "long.pdf").write_bytes(_long_pdf(pages))
    one = run_cli(tmp_path, "long.pdf", "-f", "json", "-e", "--jobs", "1")
    two = run_cli(tmp_path, "long.pdf", "-f", "json", "-e", "--jobs", "2")
    assert one.returncode == 0, one.stderr
    assert two.returncode == 0, two.stderr
    assert two.stdout == one.stdout
    report = json.loads(two.stdout)
    assert report["source"]["pages"] == pages
    assert any(t["status"] != "missing" for t in report["topics"])


def test_a_message_cut_short_is_a_failed_helper() -> None:
    def half_a_message(channel: forked.Channel) -> None:
        assert channel.writer is not None
        channel.writer.write(forked._LENGTH.pack(100) + b"only a few bytes")
        channel.writer.flush()
    helper = forked.start(half_a_message)
    assert helper is not None
    assert helper.recv() is None
    assert helper.failed and helper.pid == 0  # closed and reaped


def test_sending_to_a_helper_that_stopped_listening() -> None:
    def deaf(channel: forked.Channel) -> None:
        assert channel.reader is not None
        channel.reader.close()  # no one reads what the parent sends from now on
        channel.send("deaf")
    helper = forked.start(deaf)
    assert helper is not None
    assert helper.recv() == "deaf"
    big = "页" * (1 << 20)  # more than a pipe holds: the write must meet the closed end
    assert helper.send(big) is False
    assert helper.failed
    assert helper.send("again") is False
