"""Files csrscan does not read, made by the tests: each is refused with one line
that says what the file is; files that look odd but are reports are read."""

from __future__ import annotations

import gzip
import io
import json
import os
import threading
import zipfile
from pathlib import Path

import pytest
from checkutil import run

from csrscan.errors import InputError
from csrscan.ingest import bytes_to_document

ANY = "a report (PDF, docx, HTML, text or Markdown)"
TEXT = "本公司制定《数据安全管理办法》，明确数据安全责任部门。"


def _zip(*names: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        for name in names:
            zf.writestr(name, "<x/>")
    return buf.getvalue()


def _webp() -> bytes:
    body = b"VP8 " + (10).to_bytes(4, "little") + bytes(10)
    return b"RIFF" + (len(body) + 4).to_bytes(4, "little") + b"WEBP" + body


@pytest.fixture(autouse=True)
def _in_tmp(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CSRSCAN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)


def _refusal(name: str) -> str:
    r = run(name)
    assert r.exit_code == 2, r.output
    assert r.stdout == "" and r.stderr.count("\n") == 1
    return r.stderr.rstrip("\n")


FOREIGN: list[tuple[str, bytes, str]] = [
    ("photo.webp", _webp(), "a WebP image"),
    ("sheet.xlsx", _zip("xl/workbook.xml", "xl/worksheets/sheet1.xml"), "an Excel workbook"),
    ("slides.pptx", _zip("ppt/presentation.xml", "ppt/slides/slide1.xml"),
     "a PowerPoint presentation (export it as PDF)"),
    ("bundle.zip", _zip("report.txt"), "a ZIP archive"),
    ("cut.zip", b"PK\x03\x04" + bytes(60), "a damaged ZIP archive"),
    ("report.rtf", b"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 SimSun;}} text}",
     "an RTF document (save it as .docx or PDF)"),
    ("report.txt.gz", gzip.compress(TEXT.encode(), mtime=0), "a gzip archive"),
    ("reports.7z", b"7z\xbc\xaf\x27\x1c\x00\x04" + bytes(24), "a 7-Zip archive"),
    ("reports.rar", b"Rar!\x1a\x07\x01\x00" + bytes(24), "a RAR archive"),
    ("old.gif", b"GIF87a\x01\x00\x01\x00\x00\x00\x00;", "a GIF image"),
    ("new.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "a GIF image"),
    ("intel.tif", b"II*\x00\x08\x00\x00\x00" + bytes(16), "a TIFF image"),
    ("motorola.tif", b"MM\x00*\x00\x00\x00\x08" + bytes(16), "a TIFF image"),
    ("scan.bmp", b"BM" + (54).to_bytes(4, "little") + bytes(4) + (54).to_bytes(4, "little")
     + bytes(40), "a BMP image"),
    ("scan.png", b"\x89PNG\r\n\x1a\n" + bytes(24), "a PNG image"),
]


@pytest.mark.parametrize(("name", "data", "what"), FOREIGN, ids=[f[0] for f in FOREIGN])
def test_foreign_file_is_named(tmp_path: Path, name: str, data: bytes, what: str) -> None:
    (tmp_path / name).write_bytes(data)
    assert _refusal(name) == f"csrscan: error: {name}: is {what}, not {ANY}"


@pytest.mark.parametrize(("name", "data", "message"), [
    ("report.pdf", _zip("xl/workbook.xml"), "is an Excel workbook, not a PDF"),
    ("report.docx", b"PK\x03\x04" + bytes(60), "is a damaged ZIP archive, "
     "not a Word .docx document"),
    ("report.txt", _webp(), "is a WebP image, not a text file"),
    ("report.md", b"{\\rtf1 x}", "is an RTF document (save it as .docx or PDF), "
     "not a Markdown file"),
    ("report.html", _zip("ppt/presentation.xml"),
     "is a PowerPoint presentation (export it as PDF), not an HTML document"),
], ids=["xlsx-as-pdf", "broken-docx", "webp-as-txt", "rtf-as-md", "pptx-as-html"])
def test_a_wrong_suffix_names_both(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    (tmp_path / name).write_bytes(data)
    assert _refusal(name) == f"csrscan: error: {name}: {message}"


def test_riff_that_is_not_webp_is_binary_not_an_image(tmp_path: Path) -> None:
    (tmp_path / "sound.wav").write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(24))
    assert _refusal("sound.wav") == (
        "csrscan: error: sound.wav: binary data, not text (unknown file format)")


def _source(name: str) -> dict[str, object]:
    r = run(name, "--format", "json")
    assert r.exit_code == 0, r.output
    source: dict[str, object] = json.loads(r.stdout)["source"]
    return source


@pytest.mark.parametrize(("name", "data", "encoding"), [
    ("utf16.html", ("\ufeff<html><body><p>" + TEXT + "</p></body></html>").encode("utf-16-le"),
     "utf-16-le"),
    ("page.xhtml", ('<?xml version="1.0" encoding="utf-8"?>\n'
                    '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>' + TEXT
                    + "</p></body></html>").encode(), "utf-8"),
    ("saved.txt", ("<head><title>报告</title></head>\n<body><p>" + TEXT
                   + "</p></body>").encode(), "utf-8"),
], ids=["utf16-bom", "xml-declaration", "head-and-body-under-txt"])
def test_html_is_known_by_its_markup(tmp_path: Path, name: str, data: bytes,
                                     encoding: str) -> None:
    (tmp_path / name).write_bytes(data)
    source = _source(name)
    assert (source["format"], source["encoding"]) == ("html", encoding)
    assert source["chars"] == len(TEXT)


def test_markdown_with_an_embedded_table_stays_markdown(tmp_path: Path) -> None:
    (tmp_path / "draft.md").write_text(
        f"# 报告\n\n{TEXT}\n\n<table><tr><td>指标</td></tr></table>\n<body>注</body>\n",
        encoding="utf-8")
    assert _source("draft.md")["format"] == "md"


def test_text_starting_with_bm_is_text(tmp_path: Path) -> None:
    (tmp_path / "bmw.txt").write_text(f"BMW 中国 2024 年企业社会责任报告\n\n{TEXT}\n",
                                      encoding="utf-8")
    assert _source("bmw.txt")["format"] == "txt"


# ---- files that are not plain files -------------------------------------------------

def test_a_name_too_long_for_the_system(tmp_path: Path) -> None:
    name = "报" * 100 + ".txt"  # 300 bytes: more than a file name may have
    line = _refusal(name)
    assert line == f"csrscan: error: {name}: cannot open: File name too long"


def test_a_symlink_loop(tmp_path: Path) -> None:
    os.symlink("loop.txt", tmp_path / "loop.txt")
    line = _refusal("loop.txt")
    assert line == "csrscan: error: loop.txt: cannot open: Too many levels of symbolic links"


def test_a_file_that_fails_when_read() -> None:
    """/proc/self/mem stats as a regular empty file; reading its start fails (EIO)."""
    line = _refusal("/proc/self/mem")
    assert line == "csrscan: error: /proc/self/mem: cannot read: Input/output error"


def _feed_fifo(path: Path, data: bytes) -> threading.Thread:
    """Write `data` into the FIFO once csrscan opens it (a reader may stop early)."""
    def feed() -> None:
        try:
            with open(path, "wb") as fh:
                fh.write(data)
        except BrokenPipeError:
            pass
    thread = threading.Thread(target=feed, daemon=True)
    thread.start()
    return thread


def test_a_named_pipe_is_read_up_to_the_limit(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    feeder = _feed_fifo(fifo, f"# 报告\n\n{TEXT}\n".encode())
    r = run("pipe.md", "--format", "json")
    feeder.join(timeout=30)
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["source"]["format"] == "md"
    assert data["source"]["chars"] > len(TEXT)

    feeder = _feed_fifo(fifo, b"x" * 5000)
    line = _refusal_args("pipe.md", "--max-bytes", "1000")
    feeder.join(timeout=30)
    assert line == "csrscan: error: pipe.md: file is larger than --max-bytes 1000"


def _refusal_args(*args: str) -> str:
    r = run(*args)
    assert r.exit_code == 2, r.output
    return r.stderr.rstrip("\n")


def test_memory_exhausted_in_a_reader_is_an_input_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import csrscan.ingest.text as reader

    def exhausted(*_: object) -> None:
        raise MemoryError

    monkeypatch.setattr(reader, "read_plain", exhausted)
    with pytest.raises(InputError) as info:
        bytes_to_document(TEXT.encode(), "big.txt")
    assert str(info.value) == "big.txt: input too large to parse in the memory available"
