"""Bounded memory and time on hostile inputs (issue #17 item 1, 3): a bomb or a
silent FIFO ends as exit 2 with one line, within the memory cap."""

from __future__ import annotations

import pickle
from pathlib import Path

import hostile
import pytest
from runutil import run_measured

from csrscan.errors import LimitError, RuleError


def test_flate_bomb_pdf_is_refused_within_the_memory_cap(tmp_path: Path) -> None:
    bomb = hostile.flate_bomb_pdf(tmp_path, 600)
    run = run_measured(tmp_path, "scan", bomb.name, "--max-memory", "300MiB", "-j", "1")
    assert run.code == 2, run.stderr
    assert run.stderr == ("csrscan: error: bomb.pdf: input too large to parse in 300 MiB "
                          "at page 1 (--max-memory; the reader died by SIGABRT)\n")
    assert run.peak_mib < 400  # the cap and the parent; before: the whole 600 MiB and more


@pytest.mark.parametrize("page", [1, 3])
def test_a_bomb_is_refused_naming_its_page(tmp_path: Path, page: int) -> None:
    bomb = hostile.flate_bomb_pdf_at(tmp_path, page)
    for command in ("scan", "check"):
        run = run_measured(tmp_path, command, bomb.name, "--max-memory", "300MiB",
                           *(("--no-config",) if command == "check" else ("-j", "1")))
        assert run.code == 2, run.stderr
        assert run.stderr == (f"csrscan: error: {bomb.name}: input too large to parse in "
                              f"300 MiB at page {page} (--max-memory; the reader died by "
                              "SIGABRT)\n")


def test_a_memory_error_names_the_page_it_was_read_on(monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:
    """A reader that raises MemoryError (a Python parser past the cap) on page 2."""
    from csrscan.ingest import IngestOptions, path_to_document, pdf
    from csrscan.parallel.guard import run_guarded

    path = tmp_path / "three.pdf"
    text = hostile.zlib.compress(b"BT /F1 12 Tf 10 700 Td (Data security policy) Tj ET")
    path.write_bytes(hostile.pdf_with_streams([text] * 3))
    real = pdf._read_loaded_page

    def fails_on_page_2(page: object, fallback: object, index: int, *rest: object) -> object:
        if index == 1:
            raise MemoryError
        return real(page, fallback, index, *rest)  # type: ignore[arg-type]
    monkeypatch.setattr(pdf, "_read_loaded_page", fails_on_page_2)
    with pytest.raises(LimitError) as info:
        run_guarded(lambda: path_to_document(str(path), IngestOptions(max_memory=2**30)),
                    "three.pdf", 2**30, None)
    assert info.value.message == "input too large to parse in 1024 MiB at page 2 (--max-memory)"
    monkeypatch.setattr(pdf, "_read_loaded_page", real)
    # the pages read whole leave no mark: a later failure is no page's
    with pytest.raises(LimitError) as after:
        run_guarded(lambda: (path_to_document(str(path), IngestOptions(max_memory=2**30)),
                             _no_memory()),
                    "three.pdf", 2**30, None)
    assert after.value.message == "input too large to parse in 1024 MiB (--max-memory)"


def _no_memory() -> None:
    raise MemoryError


def test_lying_docx_member_never_inflates(tmp_path: Path) -> None:
    docx = hostile.lying_docx(tmp_path, 600)
    run = run_measured(tmp_path, "scan", docx.name, "--max-memory", "0")
    assert run.code == 2, run.stderr
    assert "lying.docx: damaged Word document (Bad CRC-32 for file 'word/document.xml'; " \
        "zip bomb?)" in run.stderr
    assert run.peak_mib < 200  # before: 1.25 GB, the whole member inflated at once


def test_a_docx_too_large_to_parse_says_so(tmp_path: Path) -> None:
    """A large, honest document.xml past --max-memory is too large, not damaged
    (libxml2 words its failed allocation as a syntax error; before: 'damaged
    Word document (XMLSyntaxError)')."""
    docx = hostile.large_docx(tmp_path, 20)
    run = run_measured(tmp_path, "scan", docx.name, "--max-memory", "100MiB", "-f", "json")
    assert (run.code, run.stderr) == (
        2, "csrscan: error: large.docx: input too large to parse in 100 MiB (--max-memory)\n")
    assert run.peak_mib < 300


def test_scan_timeout_stops_a_slow_scan(tmp_path: Path) -> None:
    bomb = hostile.flate_bomb_pdf(tmp_path, 1200)  # uncapped, PDFium takes seconds on it
    run = run_measured(tmp_path, "scan", bomb.name, "--max-memory", "0", "--timeout", "0.5",
                       "-j", "1")
    assert run.code == 2
    assert run.stderr == "csrscan: error: bomb.pdf: no answer within 0.5 s (--timeout)\n"


def test_fifo_without_writer_is_an_error_not_a_hang(tmp_path: Path) -> None:
    pipe = hostile.fifo(tmp_path)
    run = run_measured(tmp_path, "scan", pipe.name, "--timeout", "1")
    assert run.code == 2
    assert run.stderr == "csrscan: error: pipe.txt: is a FIFO that gave no data within 1 s\n"


def test_compare_lists_a_fifo_and_a_bomb_and_writes_the_good_rows(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(
        "本公司制定《数据安全管理办法》，明确数据安全责任部门。\n", encoding="utf-8")
    hostile.flate_bomb_pdf(tmp_path, 600)
    hostile.fifo(tmp_path, "pipe.txt")
    run = run_measured(tmp_path, "compare", "good.txt", "bomb.pdf", "pipe.txt", "-f", "csv",
                       "--max-memory", "300MiB", "--progress", "none", "-j", "2")
    assert run.code == 2
    lines = run.stdout.splitlines()
    assert [line.split(",")[0] for line in lines] == ["path", "good.txt"], run.stderr
    assert "csrscan: failed: pipe.txt: [input] cannot read: is a FIFO, not a regular file" \
        in run.stderr
    assert "csrscan: failed: bomb.pdf: [crash] input too large to parse in 300 MiB " \
        "at page 1 (--max-memory; the reader died by SIGABRT)" in run.stderr
    assert run.peak_mib < 400


def test_a_compare_worker_names_the_page_of_a_bomb(tmp_path: Path) -> None:
    bomb = hostile.flate_bomb_pdf_at(tmp_path, 3)
    (tmp_path / "good.txt").write_text("本公司制定《数据安全管理办法》。\n", encoding="utf-8")
    run = run_measured(tmp_path, "compare", "good.txt", bomb.name, "-f", "csv",
                       "--max-memory", "300MiB", "--progress", "none", "-j", "2")
    assert run.code == 2
    assert f"csrscan: failed: {bomb.name}: [crash] input too large to parse in 300 MiB " \
        "at page 3 (--max-memory; the reader died by SIGABRT)" in run.stderr


def test_errors_keep_their_fields_across_a_pipe() -> None:
    err = pickle.loads(pickle.dumps(RuleError("bad", path="p.yaml", rule="r1", key="regex")))
    assert (str(err), err.path, err.rule, err.key, err.message) == (
        "p.yaml: rule r1, key 'regex': bad", "p.yaml", "r1", "regex", "rule r1, key 'regex': bad")
    limit = pickle.loads(pickle.dumps(LimitError("too big", path="a.pdf")))
    assert type(limit) is LimitError and str(limit) == "a.pdf: too big"


@pytest.mark.parametrize(("text", "size"), [("2GiB", 2**31), ("512MiB", 2**29), ("1g", 2**30),
                                            ("300M", 300 * 2**20), ("1000", 1000), ("0", None)])
def test_memory_sizes(text: str, size: int | None) -> None:
    from csrscan.cli.common import parse_size

    assert parse_size(text) == size


def test_a_bad_memory_size_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text("数据安全。\n", encoding="utf-8")
    run = run_measured(tmp_path, "scan", "r.txt", "--max-memory", "lots")
    assert run.code == 2
    assert "'lots' is not a size" in run.stderr


def test_a_reader_error_that_drags_an_unpicklable_object_still_arrives() -> None:
    # seen in a long test run: an InputError carrying an lxml error log came
    # back as "the reader ended without an answer (exit 1)"
    import threading

    from csrscan.errors import InputError
    from csrscan.parallel.guard import run_guarded

    def fails() -> None:
        error = InputError("cannot parse HTML (ParserError)", path="blank.html")
        error.log = threading.Lock()  # type: ignore[attr-defined]  # cannot be pickled
        raise error

    with pytest.raises(InputError) as caught:
        run_guarded(fails, "blank.html", 2**30, None)
    assert str(caught.value) == "blank.html: cannot parse HTML (ParserError)"
