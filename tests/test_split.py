"""A long PDF on several processes: the same report as one process, whatever fails."""

from __future__ import annotations

import io
import itertools
import json
import os
import threading
import time
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ingest_support import load_make_bad
from zh_text import COMPANIES, ReportSpec, report_text_pages

from csrscan.cli.root import main
from csrscan.ingest import IngestOptions
from csrscan.ingest.pdf import PageReader
from csrscan.models import Page, Report
from csrscan.packs.select import select_pack
from csrscan.parallel import forked, prefetch, split
from csrscan.pipeline import scan_bytes
from csrscan.text.normalize import carry_chain, clean_normpage, page_to_lines

mb = load_make_bad()
PAGES = 14
IMAGE_PAGES = (6, 13)  # 1-based: one in the middle part, one in the last
SMALL_PART = 4  # pages: with parts this small, 14 pages in 3 jobs are 3 parts


def _first_pages_of_parts() -> tuple[int, int]:
    """1-based first pages of the second and third parts of the test PDF."""
    with mock.patch.object(forked, "MIN_PAGES_PER_PART", SMALL_PART):
        bounds = forked.part_bounds(PAGES, 3)
    assert len(bounds) == 3
    return bounds[1][0] + 1, bounds[2][0] + 1


SECOND, THIRD = _first_pages_of_parts()


def _pdf(texts: list[str], image_pages: tuple[int, ...] = ()) -> bytes:
    from reportlab.lib.utils import ImageReader

    def draw(c: Any, i: int) -> None:
        if i + 1 in image_pages:
            c.drawImage(ImageReader(io.BytesIO(mb.png_bytes())), 50, 400, 200, 100)
            return
        c.setFont(mb.cjk_font(), 10)
        for k, line in enumerate(texts[i].split("\n")[:44]):
            c.drawString(40, 800 - 17 * k, line)
    return bytes(mb.pdf_bytes(draw, pages=len(texts)))


def _boundary_texts() -> list[str]:
    """Pages whose sentences run across the part boundaries.

    The page before the second part ends in the middle of a sentence that
    the part's first page finishes; the third part's first page is one line
    with no break, which the page before swallows whole; and every page
    has a running header and a page footer.
    """
    company, short = COMPANIES[2]
    texts = report_text_pages(ReportSpec(company, short, 2025, PAGES, seed=11))
    body = {SECOND - 1: "报告期内本行持续完善客户个人信息保护的内部管理制度和技术防护措施并",
            SECOND: "对全体员工开展数据安全培训十二场，覆盖员工三千余人次。\n"
                    "本行未发生数据泄露事件。",
            THIRD - 1: "为便于老年客户办理业务本行在全部营业网点设置爱心窗口并配备",
            THIRD: "老花镜和轮椅等便民设施"}
    for number, text in body.items():
        lines = texts[number - 1].split("\n")
        if number in (SECOND - 1, THIRD - 1):  # the open sentence ends the page
            texts[number - 1] = "\n".join([*lines[:6], text, lines[-1]])
        else:  # it starts the page, under the header
            texts[number - 1] = "\n".join([lines[0], text, *lines[1:6], lines[-1]])
    return texts


@pytest.fixture(autouse=True)
def _single_threaded() -> None:
    """Helpers fork only in a single-threaded process (see forked.can_fork)."""
    names = [t.name for t in threading.enumerate()]
    assert names == ["MainThread"], f"an earlier test left threads running: {names}"


@pytest.fixture(scope="module")
def report_pdf() -> bytes:
    company, short = COMPANIES[0]
    return _pdf(report_text_pages(ReportSpec(company, short, 2025, PAGES, seed=7)),
                IMAGE_PAGES)


@pytest.fixture(scope="module")
def boundary_pdf() -> bytes:
    return _pdf(_boundary_texts())


@pytest.fixture
def small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Parts of a few pages, so a 14-page test PDF has three."""
    monkeypatch.setattr(forked, "MIN_PAGES_PER_PART", SMALL_PART)


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Records, per message asked of a part's helper (not of a reader), whether it answered."""
    seen: list[bool] = []
    readers: list[forked.Helper | None] = []
    real_start, real_recv = prefetch.start, forked.Helper.recv

    def start_spy(*args: Any, **kwargs: Any) -> list[forked.Helper | None]:
        started = real_start(*args, **kwargs)
        readers.extend(started)
        return started

    def recv_spy(self: forked.Helper, timeout: float | None = None) -> Any:
        value = real_recv(self, timeout)
        if not any(self is r for r in readers):
            seen.append(value is not None)
        return value
    monkeypatch.setattr(prefetch, "start", start_spy)
    monkeypatch.setattr(forked.Helper, "recv", recv_spy)
    return seen


def _scan(data: bytes, jobs: int) -> Report:
    return scan_bytes(data, "r.pdf", select_pack(None, ()), IngestOptions(jobs=jobs))


def test_part_bounds_cover_every_page_once() -> None:
    assert forked.part_bounds(300, 2) == [(0, 150), (150, 300)]
    assert forked.part_bounds(100, 2) == [(0, 50), (50, 100)]
    assert forked.part_bounds(49, 2) == [(0, 49)]  # parts under 25 pages: no split
    assert forked.part_bounds(1000, 1) == [(0, 1000)]
    parts = forked.part_bounds(1001, 8)
    assert len(parts) == 8 and parts[0][0] == 0 and parts[-1][1] == 1001
    assert all(a[1] == b[0] and b[1] - b[0] >= 120 for a, b in itertools.pairwise(parts))


def test_split_scan_is_the_sequential_scan(report_pdf: bytes, small_parts: None,
                                           answers: list[bool]) -> None:
    one = _scan(report_pdf, 1)
    assert answers == []
    three = _scan(report_pdf, 3)
    assert answers == [True] * 4  # two helpers, each answered both rounds
    assert three == one
    assert three.warnings == ("pages 6, 13: no text layer (run with --ocr to read them)",)
    assert sum(len(r.evidence) for t in three.topics for r in t.indicators) > 50


def test_sentences_cut_at_part_boundaries(boundary_pdf: bytes, small_parts: None,
                                          answers: list[bool]) -> None:
    one = _scan(boundary_pdf, 1)
    three = _scan(boundary_pdf, 3)
    assert answers == [True] * 4
    assert three == one
    quotes = {(e.page, e.text) for t in three.topics for r in t.indicators
              for e in r.evidence}
    # each cut sentence is quoted whole, on the page where it starts
    assert (SECOND - 1, "报告期内本行持续完善客户个人信息保护的内部管理制度和技术防护措施并"
               "对全体员工开展数据安全培训十二场，覆盖员工三千余人次。") in quotes
    assert (THIRD - 1, "为便于老年客户办理业务本行在全部营业网点设置爱心窗口并配备"
               "老花镜和轮椅等便民设施") in quotes
    # the running header is furniture in every part
    header = _boundary_texts()[0].split("\n")[0]
    assert not any(header in text for _, text in quotes)


def _pages(texts: list[str]) -> list[Any]:
    return [clean_normpage(Page(i + 1, t), page_to_lines(Page(i + 1, t)), frozenset())
            for i, t in enumerate(texts)]


# Pages of short, long, open and closed lines, some with no line break at all.
_LINE = st.sampled_from(["本行持续完善数据安全管理制度并", "开展培训十二场。", "绿色信贷",
                         "第三章", "覆盖客户三千余人次，", "", "  缩进的段落", "Risk control and"])
_PAGE = st.lists(_LINE, min_size=1, max_size=5).map("\n".join)


@settings(max_examples=300, deadline=None)
@given(texts=st.lists(_PAGE, min_size=2, max_size=12), data=st.data())
def test_carry_over_in_parts_is_the_sequential_carry_over(texts: list[str],
                                                          data: st.DataObject) -> None:
    pages = _pages(texts)
    expected = list(pages)
    carry_chain(expected)
    cuts = sorted(data.draw(st.sets(st.integers(1, len(pages) - 1), max_size=3)))
    parts = [split.carry_inside(pages[lo:hi])
             for lo, hi in itertools.pairwise([0, *cuts, len(pages)])]
    *edges, last = split.carry_across([(head, tail) for head, _, tail in parts])
    joined = [p for done, (_, inner, _) in zip(edges, parts, strict=True)
              for p in (*done, *inner)] + last
    assert joined == expected


@pytest.mark.parametrize("stage", ["read", "finish"])
def test_a_failing_helper_changes_nothing(report_pdf: bytes, small_parts: None, stage: str,
                                          monkeypatch: pytest.MonkeyPatch,
                                          answers: list[bool]) -> None:
    parent = os.getpid()
    real = getattr(split.Part, stage)

    def fails_in_child(self: split.Part, *args: Any) -> Any:
        if os.getpid() != parent:
            raise RuntimeError("helper broke")
        return real(self, *args)
    expected = _scan(report_pdf, 1)
    monkeypatch.setattr(split.Part, stage, fails_in_child)
    assert _scan(report_pdf, 3) == expected
    assert False in answers  # the helpers really failed; the parent did their parts


def test_a_crashing_helper_changes_nothing(report_pdf: bytes, small_parts: None,
                                           monkeypatch: pytest.MonkeyPatch,
                                           answers: list[bool]) -> None:
    parent = os.getpid()
    real = split.Part.finish

    def dies_in_child(self: split.Part, *args: Any) -> Any:
        if os.getpid() != parent and self.lo >= THIRD - 1:
            os._exit(9)  # like a segfault in the PDF library: no answer at all
        return real(self, *args)
    expected = _scan(report_pdf, 1)
    monkeypatch.setattr(split.Part, "finish", dies_in_child)
    assert _scan(report_pdf, 3) == expected
    assert answers == [True, True, True, False]  # the last part died in its second round


def test_no_fork_while_other_threads_run(report_pdf: bytes, small_parts: None,
                                         answers: list[bool]) -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not forked.can_fork()
        assert forked.start(len, "abc") is None
        assert _scan(report_pdf, 3) == _scan(report_pdf, 1)
        assert answers == []  # no helper was asked anything: one process did it all
    finally:
        stop.set()
        thread.join()


def _echo(channel: forked.Channel) -> None:
    channel.send([x * 2 for x in channel.recv()])


def _dies(channel: forked.Channel) -> None:
    os._exit(3)


def _raises(channel: forked.Channel) -> None:
    raise RuntimeError("broken")


def _hangs(channel: forked.Channel) -> None:
    time.sleep(60)


def test_helpers_answer_fail_and_are_reaped() -> None:
    helper = forked.start(_echo)
    assert helper is not None and helper.send([1, 2])
    assert helper.recv() == [2, 4]
    pid = helper.pid
    helper.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, 0)  # reaped: no zombie left behind
    for fn in (_dies, _raises):
        helper = forked.start(fn)
        assert helper is not None
        assert helper.recv() is None and not helper.send("more")
    helper = forked.start(_hangs)
    assert helper is not None
    started = time.monotonic()
    helper.close(wait=0.2)  # a helper that never ends is killed
    assert time.monotonic() - started < 5
    helper = forked.start(_hangs)
    assert helper is not None
    pid = helper.pid
    assert helper.recv(timeout=0.1) is None and helper.failed  # no answer in time: killed
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, 0)
    assert time.monotonic() - started < 5


def test_short_pdfs_are_not_split(report_pdf: bytes, answers: list[bool]) -> None:
    assert forked.part_bounds(PAGES, 3) == [(0, PAGES)]
    assert _scan(report_pdf, 3) == _scan(report_pdf, 1)
    assert answers == []  # no helper: one part


def test_a_pdf_of_one_part_is_read_by_one_process(report_pdf: bytes, answers: list[bool],
                                                  handed_over: list[int],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Not even a reader, nor a full tokenizer, however many pages short of two
    parts: the partial tokenizer costs too little to overlap."""
    built: list[bool] = []
    real = split.warm_matcher
    monkeypatch.setattr(split, "warm_matcher",
                        lambda pack, tokens: built.append(tokens) or real(pack, tokens=tokens))
    company, short = COMPANIES[1]
    few = _pdf(report_text_pages(ReportSpec(company, short, 2024, 3, seed=3)))
    for pdf in (few, report_pdf):
        assert _scan(pdf, 2) == _scan(pdf, 1)
    assert answers == [] and handed_over == [] and built == []


def test_cli_jobs_give_the_same_json(boundary_pdf: bytes, small_parts: None, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    Path("r.pdf").write_bytes(boundary_pdf)
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


# ---- readers: pages read ahead while the parent builds the tokenizer (prefetch.py)

def test_reader_windows_and_order() -> None:
    assert prefetch.windows([(0, 150), (150, 300)]) == [(0, 150, 300)]
    # with three parts, two readers meet halfway inside the middle part
    assert prefetch.windows([(0, 4), (4, 9), (9, 14)]) == [(0, 4, 6), (6, 9, 14)]
    never = lambda: False  # noqa: E731
    assert list(prefetch.outward((0, 4, 6), never)) == [3, 4, 2, 5, 1, 0]
    assert list(prefetch.outward((6, 9, 14), never)) == [8, 9, 7, 10, 6, 11, 12, 13]
    assert prefetch.windows([(0, 14)]) == []  # one part: no boundary, no reader
    asked = iter([False, False, False, True])
    assert list(prefetch.outward((0, 150, 300), lambda: next(asked))) == [149, 150, 148]


def test_pages_read_ahead_travel_as_they_were(report_pdf: bytes) -> None:
    import pickle

    from csrscan.ingest.pdf import PageReader, open_pdf
    doc = open_pdf(report_pdf, "r.pdf", None)
    try:
        ahead, pages = prefetch.Ahead(), PageReader.of(doc, report_pdf, None)
        for index in (4, 5, 6):  # page 6 is an image: it brings its problem along
            ahead.add(pages.read(index))
        ahead.issues = pages.issues.by_kind
    finally:
        doc.close()
    copy = pickle.loads(pickle.dumps(ahead))
    assert copy == ahead and copy.lines[0] == page_to_lines(ahead.pages[0])
    assert copy.issues == {"no text layer": [6]}


@pytest.fixture
def handed_over(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Pages each reader handed over, per boundary.

    Readers are started as in a fresh process, where no tokenizer is built
    yet, and given time to answer however busy the machine."""
    monkeypatch.setattr(split, "tokenizer_built", lambda: False)
    monkeypatch.setattr(prefetch, "PATIENCE", 60.0)
    counts: list[int] = []
    real = prefetch.stop

    def spy(readers: Any) -> Any:
        aheads = real(readers)
        counts.extend(len(below.pages) + len(above.pages) for below, above in aheads)
        return aheads
    monkeypatch.setattr(prefetch, "stop", spy)
    return counts


@pytest.mark.parametrize("limit", [0, 1, 2, 5, None])
def test_pages_read_ahead_give_the_sequential_scan(boundary_pdf: bytes, report_pdf: bytes,
                                                   limit: int | None, small_parts: None,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   handed_over: list[int]) -> None:
    """Readers that read `limit` pages each (None: their whole window, until
    the next boundary or halfway to it) change nothing, whatever the pages:
    sentences cut at the part boundaries, image pages with their warnings."""
    expected = [_scan(boundary_pdf, 1), _scan(report_pdf, 1)]
    real = prefetch.outward
    monkeypatch.setattr(prefetch, "outward",  # read on regardless of the parent's stop
                        lambda window, _: itertools.islice(real(window, lambda: False), limit))
    assert [_scan(boundary_pdf, 3), _scan(report_pdf, 3)] == expected
    windows = [6, 8]  # pages in each reader's window: (0, 4, 6) and (6, 9, 14)
    assert handed_over == [min(limit, w) if limit is not None else w for w in windows] * 2


@pytest.mark.parametrize("how", ["raises", "dies"])
def test_a_failing_reader_changes_nothing(report_pdf: bytes, small_parts: None, how: str,
                                          monkeypatch: pytest.MonkeyPatch,
                                          handed_over: list[int]) -> None:
    expected = _scan(report_pdf, 1)

    class Broken(PageReader):  # the readers' pages only, not the parts'
        def read(self, index: int) -> Any:
            if how == "dies":
                os._exit(9)
            raise RuntimeError("reader broke")
    real_outward = prefetch.outward
    monkeypatch.setattr(prefetch, "outward", lambda window, _: real_outward(window, lambda: False))
    monkeypatch.setattr(prefetch, "PageReader", Broken)
    assert _scan(report_pdf, 3) == expected
    assert handed_over == [0, 0]  # nothing came from the readers: the parts read it all


def test_a_reader_stuck_on_a_page_is_not_waited_for(report_pdf: bytes, small_parts: None,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    handed_over: list[int]) -> None:
    """A reader stops only between pages: one busy with a slow page past
    PATIENCE is killed, and its pages are read by the parts."""
    expected = _scan(report_pdf, 1)

    class Slow(PageReader):  # the readers' pages only, not the parts'
        def read(self, index: int) -> Any:
            time.sleep(30)  # like pdfminer on a hostile page
            return super().read(index)
    monkeypatch.setattr(prefetch, "PageReader", Slow)
    monkeypatch.setattr(prefetch, "PATIENCE", 0.25)
    started = time.monotonic()
    assert _scan(report_pdf, 3) == expected
    assert time.monotonic() - started < 10  # the two readers waited 0.25 s in all, not each
    assert handed_over == [0, 0]


@pytest.mark.parametrize(("fails", "other"), [(1, 11), (8, 7)])
def test_pages_read_by_pdfminer_do_not_depend_on_reading_order(
        report_pdf: bytes, small_parts: None, fails: int, other: int,
        monkeypatch: pytest.MonkeyPatch, handed_over: list[int]) -> None:
    """Two garbled pages go to pdfminer, which fails on one of them: the
    other is read all the same, in whichever process and order it comes
    (pages 1 and 11 are read by different parts; 8 then 7 by one reader,
    downward, where one process reads 7 then 8)."""
    from csrscan.ingest import pdf as ingest_pdf
    from csrscan.ingest.pdf_pdfminer import PdfminerPages
    doc = ingest_pdf.open_pdf(report_pdf, "r.pdf", None)
    try:
        index_of = {}
        for i in range(PAGES):
            page = doc[i]
            textpage = page.get_textpage()
            index_of[ingest_pdf._pdfium_text(textpage)] = i
            textpage.close()
            page.close()
    finally:
        doc.close()
    real_text, real_miner = ingest_pdf._pdfium_text, PdfminerPages.text

    def garbled(textpage: Any) -> str:
        raw = real_text(textpage)
        return "(cid:12)(cid:34)(cid:56) " * 30 if index_of.get(raw) in (fails, other) else raw

    def chokes(self: PdfminerPages, index: int) -> str | None:
        if index == fails:
            raise ValueError("pdfminer cannot read this page")
        return real_miner(self, index)
    monkeypatch.setattr(ingest_pdf, "_pdfium_text", garbled)
    monkeypatch.setattr(PdfminerPages, "text", chokes)
    real_outward = prefetch.outward
    monkeypatch.setattr(prefetch, "outward", lambda window, _: real_outward(window, lambda: False))
    one = _scan(report_pdf, 1)
    assert f"page {other + 1}: fast text extraction garbled; re-read with pdfminer" in one.warnings
    assert any(w.startswith(f"page {fails + 1}: text layer unreadable") for w in one.warnings)
    assert _scan(report_pdf, 3) == one


def test_channels_wait_on_descriptors_past_1023() -> None:
    """select() fails on those; a process with many files open still splits."""
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if max(soft, hard if hard != resource.RLIM_INFINITY else 4096) <= 1500:
        pytest.skip("cannot open descriptor 1500 here")
    if soft <= 1500:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(4096, hard), hard))
    read_end, write_end = os.pipe()
    os.dup2(read_end, 1500)
    os.close(read_end)
    channel = forked.Channel(os.fdopen(1500, "rb"), None)
    try:
        assert not channel.waiting()
        os.write(write_end, b"x")
        assert channel.waiting(timeout=1.0)
    finally:
        channel.close()
        os.close(write_end)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_no_descriptors_left_means_no_helper(monkeypatch: pytest.MonkeyPatch) -> None:
    """A failed os.pipe() (EMFILE) leaves nothing open and the scan to one process."""
    real_pipe, calls = os.pipe, []

    def second_fails() -> tuple[int, int]:
        calls.append(1)
        if len(calls) == 2:
            raise OSError(24, "Too many open files")
        return real_pipe()
    before = len(os.listdir("/proc/self/fd"))
    monkeypatch.setattr(os, "pipe", second_fails)
    assert forked.start(_echo) is None
    assert len(os.listdir("/proc/self/fd")) == before


def test_the_size_limit_holds_with_several_jobs(report_pdf: bytes) -> None:
    from csrscan.errors import InputError
    options = IngestOptions(jobs=2, max_bytes=len(report_pdf) - 1)
    for jobs in (1, 2):
        with pytest.raises(InputError, match="more than --max-bytes"):
            scan_bytes(report_pdf, "<stdin>", select_pack(None, ()),
                       IngestOptions(jobs=jobs, max_bytes=options.max_bytes))


def test_a_failure_while_split_gives_the_one_process_error(
        report_pdf: bytes, small_parts: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """The split scan never words an error its own way: a page that breaks the
    reader is reported as `-j 1` reports it (exit 2, not an internal error)."""
    from csrscan.errors import InputError
    from csrscan.ingest import pdf as ingest_pdf

    def hostile(page: Any, text: str, textpage: Any = None) -> str:
        raise RecursionError("maximum recursion depth exceeded")
    monkeypatch.setattr(ingest_pdf, "page_table_rows", hostile)
    messages = []
    for jobs in (1, 3):
        with pytest.raises(InputError) as error:
            _scan(report_pdf, jobs)
        messages.append(str(error.value))
    assert messages[0] == messages[1] and "nested too deeply" in messages[0]
