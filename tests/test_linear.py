"""normalize → segment → match grows linearly with document size (issue #7).

A 5,000-page document (pages of our own report text, built in memory) must
cost at most twice as much per page as a 500-page one. No absolute time
limits: only the ratio of per-page CPU times (CPU time, so a busy machine
does not fail the test), with one-off costs (opencc, the pack's automaton,
the rjieba dictionary) paid before timing.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

import pytest
from zh_text import COMPANIES, ReportSpec, report_text_pages

from csrscan.match.sentences import sentences_to_evidence
from csrscan.models import Document, Pack, Page
from csrscan.packs.select import select_pack
from csrscan.text.normalize import document_to_normpages
from csrscan.text.segment import normpages_to_sentences

SMALL, LARGE = 500, 5000
MAX_PER_PAGE_RATIO = 2.0
PAGE_CHARS = 100  # short pages (~170 chars with header and footer) keep this test fast


@pytest.fixture(scope="module")
def pack() -> Pack:
    return select_pack(None, ())


@pytest.fixture(scope="module")
def page_texts() -> list[str]:
    company, short = COMPANIES[2]
    spec = ReportSpec(company, short, 2025, LARGE, seed=11, min_chars=PAGE_CHARS)
    return report_text_pages(spec)


def as_pdf_pages(texts: list[str]) -> Document:
    """Many pages, as a PDF's text layer arrives (headers/footers repeat)."""
    return _document("pdf", tuple(Page(i, t) for i, t in enumerate(texts, start=1)))


def as_one_text_page(texts: list[str]) -> Document:
    """One long page, as a .txt/.md report arrives."""
    return _document("txt", (Page(1, "\n".join(texts)),))


def _document(fmt: str, pages: tuple[Page, ...]) -> Document:
    sha = hashlib.sha256("".join(p.text for p in pages).encode()).hexdigest()
    return Document(path=f"linear.{fmt}", format=fmt, sha256=sha, pages=pages)


def run_stages(doc: Document, pack: Pack) -> int:
    sentences = normpages_to_sentences(document_to_normpages(doc))
    return len(sentences_to_evidence(sentences, pack))


def cpu_seconds(fn: Callable[[], int]) -> tuple[float, int]:
    start = time.process_time()
    value = fn()
    return time.process_time() - start, value


@pytest.mark.parametrize("build", [as_pdf_pages, as_one_text_page], ids=["pages", "one-page"])
def test_cost_per_page_is_flat_from_500_to_5000_pages(
        build: Callable[[list[str]], Document], pack: Pack, page_texts: list[str]) -> None:
    small, large = build(page_texts[:SMALL]), build(page_texts)
    run_stages(build(page_texts[:20]), pack)  # pay the one-off costs first
    small_runs = [cpu_seconds(lambda: run_stages(small, pack)) for _ in range(3)]
    large_time, large_found = cpu_seconds(lambda: run_stages(large, pack))
    small_time, small_found = min(small_runs)
    assert small_found > 0 and large_found > 5 * small_found  # real work was done
    ratio = (large_time / LARGE) / (small_time / SMALL)
    assert ratio < MAX_PER_PAGE_RATIO, (
        f"per-page cost grew {ratio:.2f}× from {SMALL} to {LARGE} pages "
        f"({small_time:.2f} s vs {large_time:.2f} s CPU)")
