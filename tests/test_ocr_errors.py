"""`--ocr` as a user meets it, with a stand-in `tesseract` on PATH (a shell
script the test writes): what it prints becomes the page, and each way the real
command can fail is one clear line, exit 2."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
from checkutil import run
from ingest_support import load_make_bad

OCR_TEXT = "本公司制定《数据安全管理办法》，明确数据安全责任部门与岗位职责。"
# the stand-in reads each page as a different sentence (the same line on every
# page would be a running header, dropped as page furniture)
PAGES = (OCR_TEXT, "报告期内开展员工培训两次，覆盖全体员工。", "公司完善客户投诉处理流程。")
HINT = ("install Tesseract: apt-get install tesseract-ocr tesseract-ocr-chi-sim "
        "tesseract-ocr-chi-tra")


def _fake_tesseract(folder: Path, *, langs: str = "chi_sim eng",
                    pages: tuple[str, ...] = PAGES, fail: str | None = None) -> None:
    """A `tesseract` that lists `langs` and 'reads' the n-th page it is given as
    pages[n] (or fails, printing `fail` on stderr)."""
    folder.mkdir(parents=True, exist_ok=True)
    count = folder / "pages-read"
    if fail is not None:
        body = (f"echo '{fail}' >&2\n" if fail else "") + "exit 1\n"
    else:
        cases = "\n".join(f"  {i}) printf '%s\\n' '{line}' ;;" for i, line in enumerate(pages))
        body = (f"n=$(cat '{count}' 2>/dev/null || echo 0)\necho $((n + 1)) > '{count}'\n"
                f"case $((n % {len(pages)})) in\n{cases}\nesac\n")
    script = folder / "tesseract"
    script.write_text("#!/bin/sh\n"
                      'if [ "$1" = "--list-langs" ]; then\n'
                      f"  printf 'List of available languages (2):\\n{langs}\\n'\n"
                      "  exit 0\nfi\ncat > /dev/null\n" + body, encoding="utf-8")
    script.chmod(0o755)


@pytest.fixture(autouse=True)
def _in_tmp(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CSRSCAN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def scanned(tmp_path: Path) -> str:
    """Three pages that are only a picture."""
    (tmp_path / "scanned.pdf").write_bytes(load_make_bad().scanned_pdf())
    return "scanned.pdf"


def _json(*args: str) -> dict[str, Any]:
    r = run(*args, "--ocr", "--jobs", "1", "--format", "json", "--evidence")
    assert r.exit_code == 0, r.output
    data: dict[str, Any] = json.loads(r.stdout)
    return data


def _error(*args: str) -> str:
    r = run(*args, "--ocr", "--jobs", "1")
    assert r.exit_code == 2, r.output
    assert r.stdout == "" and r.stderr.count("\n") == 1
    return r.stderr.rstrip("\n")


def test_ocr_text_becomes_the_pages(tmp_path: Path, scanned: str) -> None:
    _fake_tesseract(tmp_path / "bin")
    report = _json(scanned)
    assert report["source"]["pages"] == 3
    assert report["warnings"] == ["pages 1–3: read by OCR (check figures against the original)"]
    quotes = [e["text"] for t in report["topics"] for i in t["indicators"]
              for e in i.get("evidence", [])]
    assert OCR_TEXT in quotes
    without = run(scanned, "--jobs", "1")
    assert without.exit_code == 2 and "run with --ocr" in without.stderr


def test_ocr_that_reads_nothing(tmp_path: Path, scanned: str) -> None:
    _fake_tesseract(tmp_path / "bin", pages=("",))
    assert _error(scanned) == (
        "csrscan: error: scanned.pdf: no text found on any of 3 pages, even with OCR")


def test_tesseract_that_fails_names_its_last_line(tmp_path: Path, scanned: str) -> None:
    _fake_tesseract(tmp_path / "bin", fail="Error, could not read the image")
    assert _error(scanned) == (
        "csrscan: error: scanned.pdf: tesseract failed: Error, could not read the image")


def test_tesseract_that_fails_silently_gives_its_exit_code(tmp_path: Path,
                                                           scanned: str) -> None:
    _fake_tesseract(tmp_path / "bin", fail="")
    assert _error(scanned) == "csrscan: error: scanned.pdf: tesseract failed: 1"


def test_tesseract_without_chinese_models(tmp_path: Path, scanned: str) -> None:
    _fake_tesseract(tmp_path / "bin", langs="eng osd")
    assert _error(scanned) == (
        f"csrscan: error: scanned.pdf: --ocr needs Tesseract's Chinese models; {HINT}")


def test_tesseract_that_cannot_start(tmp_path: Path, scanned: str) -> None:
    folder = tmp_path / "bin"
    folder.mkdir()
    script = folder / "tesseract"
    script.write_text("#!/no/such/interpreter\n", encoding="utf-8")
    script.chmod(0o755)
    line = _error(scanned)
    assert line.startswith(f"csrscan: error: scanned.pdf: cannot run tesseract ([Errno 2] "
                           f"No such file or directory: '{script}'); ")
    assert line.endswith(HINT)


def test_a_scan_with_a_page_number_is_read_by_ocr(tmp_path: Path) -> None:
    """An image over the whole page and a printed page number: OCR replaces the
    number when it reads more; without OCR the page is a scan."""
    mb = load_make_bad()
    from reportlab.lib.utils import ImageReader

    def draw(c: Any, i: int) -> None:
        c.drawImage(ImageReader(io.BytesIO(mb.png_bytes())), 0, 0, 612, 792)
        c.setFont(mb.cjk_font(), 10)
        c.drawString(300, 20, f"第{i + 1}页")
    (tmp_path / "stamped.pdf").write_bytes(mb.pdf_bytes(draw, pages=2))
    _fake_tesseract(tmp_path / "bin")
    report = _json("stamped.pdf")
    assert report["source"]["pages"] == 2
    assert report["warnings"] == ["pages 1–2: read by OCR (check figures against the original)"]
    assert report["source"]["chars"] == len(PAGES[0]) + len(PAGES[1])
    _fake_tesseract(tmp_path / "bin", pages=("1",))  # OCR reads less than the stamp: kept
    assert _error("stamped.pdf") == ("csrscan: error: stamped.pdf: "
                                     "no text found on any of 2 pages, even with OCR")


GARBLED = ("佛佛佛佛山市分行制定数据安全管理制度，明确数据安全责任部门与岗位职责，"
           "全年开展安全培训十二场。")


def test_a_garbled_text_layer_is_read_by_ocr_when_ocr_reads_more(tmp_path: Path) -> None:
    """Runs of one character betray a broken font: OCR's text replaces the layer
    when it has more Chinese, else the layer stays and the page is flagged."""
    mb = load_make_bad()

    def draw(c: Any, i: int) -> None:
        c.setFont(mb.cjk_font(), 10)
        c.drawString(40, 760, GARBLED)
    (tmp_path / "garbled.pdf").write_bytes(mb.pdf_bytes(draw))
    clean = OCR_TEXT + "报告期内开展数据安全培训十二场，覆盖全体员工。"
    _fake_tesseract(tmp_path / "bin", pages=(clean,))
    report = _json("garbled.pdf")
    assert report["warnings"] == ["page 1: read by OCR (check figures against the original)"]
    assert report["source"]["chars"] == len(clean)
    _fake_tesseract(tmp_path / "bin", pages=("12",))  # OCR sees only the digits
    kept = _json("garbled.pdf")
    assert kept["warnings"] == [
        "page 1: text layer partly garbled (one character repeated, broken font)"]
    assert kept["source"]["chars"] == len(GARBLED)


def test_ocr_progress_is_shown_on_a_terminal(tmp_path: Path, scanned: str) -> None:
    """stderr a terminal: one status line updated per page, closed at the end."""
    import pty
    import subprocess
    import sys

    from compare_helpers import cli_env

    _fake_tesseract(tmp_path / "bin")
    master, slave = pty.openpty()
    env = cli_env(tmp_path / "cache")
    env["PATH"] = os.environ["PATH"]
    with subprocess.Popen([sys.executable, "-m", "csrscan", scanned, "--ocr", "-j", "1",
                           "-f", "json"], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                          stderr=slave, stdin=subprocess.DEVNULL) as proc:
        os.close(slave)
        out, _ = proc.communicate(timeout=120)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the terminal's other end is closed: all was read
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    assert proc.returncode == 0
    assert json.loads(out)["source"]["pages"] == 3
    shown = seen.decode()
    assert [f"OCR page {n}/3" in shown for n in (1, 2, 3)] == [True, True, True]
    assert shown.endswith("\r\x1b[KOCR: 3 pages read\r\n")  # the terminal turns \n into \r\n


def test_a_page_tesseract_takes_too_long_on_is_empty(tmp_path: Path, scanned: str,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from csrscan.errors import InputError
    from csrscan.ingest import IngestOptions, path_to_document
    from csrscan.ingest import ocr as ocr_module

    folder = tmp_path / "bin"
    folder.mkdir()
    script = folder / "tesseract"
    script.write_text("#!/bin/sh\nif [ \"$1\" = \"--list-langs\" ]; then echo chi_sim; exit 0; fi\n"
                      "exec sleep 60\n", encoding="utf-8")
    script.chmod(0o755)
    monkeypatch.setattr(ocr_module, "TIMEOUT_S", 0.2)
    with pytest.raises(InputError) as info:
        path_to_document(scanned, IngestOptions(ocr=True, jobs=1), progress=lambda _: None)
    assert str(info.value) == "scanned.pdf: no text found on any of 3 pages, even with OCR"
