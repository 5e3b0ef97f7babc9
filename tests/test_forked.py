"""A long PDF on several processes: same output as one process, failures fall back."""

from __future__ import annotations

import io
import itertools
import json
import os
import threading
from pathlib import Path
from typing import Any

import pytest
from ingest_support import load_make_bad
from zh_text import COMPANIES, ReportSpec, report_text_pages

from csrscan import forked, ingest_pdf, pipeline
from csrscan.cli import main
from csrscan.ingest import IngestOptions, bytes_to_document
from csrscan.normalize import document_to_normpages
from csrscan.rules import select_pack

mb = load_make_bad()
PAGES = 14
IMAGE_PAGES = (6, 13)  # 1-based: one in the middle part, one in the last


def _report_pdf() -> bytes:
    from reportlab.lib.utils import ImageReader

    company, short = COMPANIES[0]
    texts = report_text_pages(ReportSpec(company, short, 2025, PAGES, seed=7))

    def draw(c: Any, i: int) -> None:
        if i + 1 in IMAGE_PAGES:
            c.drawImage(ImageReader(io.BytesIO(mb.png_bytes())), 50, 400, 200, 100)
            return
        c.setFont(mb.cjk_font(), 10)
        for k, line in enumerate(texts[i].split("\n")[:44]):
            c.drawString(40, 800 - 17 * k, line)
    return bytes(mb.pdf_bytes(draw, pages=PAGES))


@pytest.fixture(autouse=True)
def _single_threaded() -> None:
    """Helpers fork only in a single-threaded process (see forked.can_fork)."""
    names = [t.name for t in threading.enumerate()]
    assert names == ["MainThread"], f"an earlier test left threads running: {names}"


@pytest.fixture(scope="module")
def report_pdf() -> bytes:
    return _report_pdf()


@pytest.fixture
def small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Split after 4 pages, so a 14-page test PDF has three parts."""
    monkeypatch.setattr(forked, "MIN_PAGES_PER_PART", 4)


def test_part_bounds_cover_every_page_once() -> None:
    assert forked.part_bounds(300, 2) == [(0, 150), (150, 300)]
    assert forked.part_bounds(100, 2) == [(0, 100)]  # parts under 60 pages: no split
    assert forked.part_bounds(1000, 1) == [(0, 1000)]
    parts = forked.part_bounds(1001, 8)
    assert len(parts) == 8 and parts[0][0] == 0 and parts[-1][1] == 1001
    assert all(a[1] == b[0] for a, b in itertools.pairwise(parts))


def test_split_ingest_is_the_sequential_document(report_pdf: bytes, small_parts: None,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    answered: list[bool] = []
    real_result = forked.Forked.result

    def spy(self: forked.Forked[Any]) -> Any:
        value = real_result(self)
        answered.append(value is not None)
        return value
    monkeypatch.setattr(forked.Forked, "result", spy)
    one = bytes_to_document(report_pdf, "r.pdf", IngestOptions(jobs=1))
    assert answered == []
    three = bytes_to_document(report_pdf, "r.pdf", IngestOptions(jobs=3))
    assert answered == [True, True]  # two helpers really read pages
    assert three == one
    assert [p.number for p in three.pages] == list(range(1, PAGES + 1))
    assert three.warnings == ("pages 6, 13: no text layer (run with --ocr to read them)",)


def test_split_matching_is_the_sequential_evidence(report_pdf: bytes,
                                                   small_parts: None) -> None:
    pack = select_pack(None, ())
    pages = document_to_normpages(bytes_to_document(report_pdf, "r.pdf"))
    one = pipeline.normpages_to_evidence(pages, pack, 1)
    assert len(one) > 50
    assert pipeline.normpages_to_evidence(pages, pack, 3) == one


def test_a_failing_helper_changes_nothing(report_pdf: bytes, small_parts: None,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    parent = os.getpid()
    real = ingest_pdf.read_range

    def fails_in_child(*args: Any) -> Any:
        if os.getpid() != parent:
            raise RuntimeError("helper broke")
        return real(*args)
    expected = bytes_to_document(report_pdf, "r.pdf", IngestOptions(jobs=1))
    monkeypatch.setattr(ingest_pdf, "read_range", fails_in_child)
    assert bytes_to_document(report_pdf, "r.pdf", IngestOptions(jobs=3)) == expected


def test_a_crashing_helper_changes_nothing(report_pdf: bytes, small_parts: None,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    parent = os.getpid()
    real = ingest_pdf.read_range

    def dies_in_child(*args: Any) -> Any:
        if os.getpid() != parent:
            os._exit(9)  # like a segfault in the PDF library: no answer at all
        return real(*args)
    expected = bytes_to_document(report_pdf, "r.pdf", IngestOptions(jobs=1))
    monkeypatch.setattr(ingest_pdf, "read_range", dies_in_child)
    assert bytes_to_document(report_pdf, "r.pdf", IngestOptions(jobs=2)) == expected


def test_no_fork_while_other_threads_run() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not forked.can_fork()
        assert forked.start(len, "abc") is None
    finally:
        stop.set()
        thread.join()
    helper = forked.start(len, "abc")
    assert helper is not None and helper.result() == 3


def test_cli_jobs_give_the_same_json(report_pdf: bytes, small_parts: None, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    Path("r.pdf").write_bytes(report_pdf)
    outputs = []
    for jobs in ("1", "3"):
        with pytest.raises(SystemExit) as exit_info:
            main(["scan", "r.pdf", "-f", "json", "--jobs", jobs])
        assert exit_info.value.code == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]
    report = json.loads(outputs[1])
    assert report["source"]["pages"] == PAGES
    assert any(t["level"] != "missing" for t in report["topics"])
