"""No silent wrong verdicts (issue #17 item 4): a PDF's embedded files are named
(and read with --attachments), a forced encoding that gives implausible Chinese
warns, and the HTML nesting limit is named as the cause."""

from __future__ import annotations

from pathlib import Path

import hostile
import pytest
from conftest import write_pdf
from runutil import run_measured
from zh_text import parity_lines

from csrscan.errors import InputError
from csrscan.ingest import IngestOptions, path_to_document

REPORT = ["本公司制定《数据安全管理办法》，明确数据安全责任部门与岗位职责。",
          "报告期内受理客户投诉1,024件，办结率100%。"]


def _portfolio(folder: Path, cover: list[str]) -> Path:
    """A PDF whose report is an embedded file; `cover` is the text of its own page."""
    import pypdfium2 as pdfium

    inner = write_pdf(folder / "inner.pdf", [REPORT])
    if cover:
        outer = pdfium.PdfDocument(str(write_pdf(folder / "cover.pdf", [cover])))
    else:
        outer = pdfium.PdfDocument.new()
        outer.new_page(595, 842)
    outer.new_attachment("年报.pdf").set_data(inner.read_bytes())
    outer.new_attachment("notes.xlsx").set_data(b"PK\x03\x04")
    path = folder / "portfolio.pdf"
    outer.save(str(path))
    return path


def test_a_portfolio_names_its_embedded_files(tmp_path: Path) -> None:
    path = _portfolio(tmp_path, ["本文件为组合文件，请查看附件。"])
    doc = path_to_document(path)
    assert doc.warnings[-1] == ("holds 2 embedded file(s) not scanned: notes.xlsx, 年报.pdf "
                                "(a portfolio? --attachments scans the PDF and .docx among them)")


def test_a_long_pdf_with_attachments_names_them_when_split_too(tmp_path: Path) -> None:
    """Ten pages go to two processes with --jobs 2 (parallel/split.py): the
    embedded files are still named, as the one-process scan names them."""
    import pypdfium2 as pdfium

    lines = parity_lines(40)
    pages = [lines[n::10] for n in range(10)]
    outer = pdfium.PdfDocument(str(write_pdf(tmp_path / "long.pdf", pages)))
    outer.new_attachment("附录.pdf").set_data(b"%PDF-1.4")
    outer.save(str(tmp_path / "long_portfolio.pdf"))
    for jobs in ("1", "2"):
        run = run_measured(tmp_path, "scan", "long_portfolio.pdf", "-j", jobs, "-f", "json")
        assert run.code == 0, run.stderr
        assert "holds 1 embedded file(s) not scanned: 附录.pdf" in run.stdout


def test_a_portfolio_without_text_names_them_in_its_error(tmp_path: Path) -> None:
    path = _portfolio(tmp_path, [])
    with pytest.raises(InputError) as info:
        path_to_document(path)
    assert info.value.message == (
        "no text layer on its only page (scanned?); run with --ocr; it holds 2 embedded "
        "file(s) not scanned: notes.xlsx, 年报.pdf (a portfolio? --attachments scans the PDF "
        "and .docx among them)")


def test_attachments_reads_the_embedded_report(tmp_path: Path) -> None:
    path = _portfolio(tmp_path, [])
    doc = path_to_document(path, IngestOptions(attachments=True))
    assert [p.number for p in doc.pages] == [1]
    assert "数据安全管理办法" in doc.pages[0].text
    assert doc.warnings == ("embedded file notes.xlsx: not a PDF or .docx; not scanned",
                            "pages 1–1 are embedded file 年报.pdf")
    run = run_measured(tmp_path, "scan", "portfolio.pdf", "--attachments", "-f", "json")
    assert run.code == 0, run.stderr
    assert '"data_security"' in run.stdout and '"level": 0' in run.stdout


def test_forced_encoding_giving_mojibake_warns(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_bytes(("".join(REPORT) * 3 + "\n\n").encode("utf-8"))
    if len(path.read_bytes()) % 2:
        path.write_bytes(path.read_bytes() + b"\n")
    doc = path_to_document(path, IngestOptions(encoding="utf-16"))
    assert len(doc.warnings) == 1
    assert doc.warnings[0].startswith("--encoding utf-16 gives implausible Chinese (only ")
    assert doc.warnings[0].endswith("topics may show as missing; without --encoding it reads "
                                    "as utf-8")
    assert path_to_document(path, IngestOptions(encoding="utf-8")).warnings == ()


def test_html_nesting_limit_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="nests its elements more than 256 deep"):
        path_to_document(hostile.nested_html(tmp_path, 2_000))
    page = tmp_path / "half.html"
    page.write_text("<html><body><p>" + REPORT[0] + "</p>" + "<div>" * 300 + "x"
                    + "</div>" * 300 + "</body></html>", encoding="utf-8")
    doc = path_to_document(page)
    assert "数据安全管理办法" in doc.pages[0].text
    assert doc.warnings == ("elements nested more than 256 deep: the text below that depth "
                            "was not read (the parser's limit)",)
