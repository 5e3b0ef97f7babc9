"""PDF reading: pages, CJK fonts, quality fallback, fake bold, columns, tables, OCR."""

from __future__ import annotations

import hashlib
import io
import shutil
from pathlib import Path
from typing import Any

import pytest
from ingest_support import PARA_SIMPLIFIED, PARA_TRADITIONAL, load_make_bad

from csrscan.errors import InputError
from csrscan.ingest import IngestOptions, bytes_to_document, path_to_document
from csrscan.ingest import pdf as ingest_pdf
from csrscan.ingest.quality import common_han_share, judge, undouble_line

mb = load_make_bad()
LINES = [PARA_SIMPLIFIED[i:i + 30] for i in range(0, len(PARA_SIMPLIFIED), 30)]


def _draw_lines(c: Any, font: str, lines: list[str], x: float = 50, y: float = 760,
                size: int = 11) -> None:
    c.setFont(font, size)
    for k, line in enumerate(lines):
        c.drawString(x, y - 18 * k, line)


def test_multipage_pdf_keeps_page_numbers(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    def draw(c: Any, i: int) -> None:
        _draw_lines(c, mb.cjk_font(), [f"第{i + 1}页", *LINES])
    data = mb.pdf_bytes(draw, pages=5)
    (tmp_path / "r.pdf").write_bytes(data)
    monkeypatch.chdir(tmp_path)
    doc = path_to_document("r.pdf")
    assert doc.path == "r.pdf"  # as given, not made absolute
    assert doc.format == "pdf" and doc.encoding is None and doc.warnings == ()
    assert doc.sha256 == hashlib.sha256(data).hexdigest()
    assert [p.number for p in doc.pages] == [1, 2, 3, 4, 5]
    for page in doc.pages:
        assert page.origin == "text" and page.first_line == 1
        assert page.text.split("\n")[0] == f"第{page.number}页"
        assert page.text.split("\n")[1:] == LINES


def test_embedded_truetype_cjk_font(tmp_path: Path) -> None:
    ttf = mb.find_cjk_ttf()
    if ttf is None:
        pytest.skip("needs Debian fonts-wqy-zenhei")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    pdfmetrics.registerFont(TTFont("WQY", str(ttf), subfontIndex=0))
    doc = bytes_to_document(mb.pdf_bytes(lambda c, i: _draw_lines(c, "WQY", LINES)), "t.pdf")
    assert doc.pages[0].text.split("\n") == LINES


def test_quality_check_scores_real_text_and_garbage() -> None:
    assert judge(PARA_SIMPLIFIED).ok
    traditional = "某消費金融公司建立了資料安全管理制度，明確資料分類分級要求，並定期舉辦訓練。"
    assert judge(traditional).ok
    assert not judge("(cid:12)(cid:873)(cid:4)(cid:77)" * 5).ok
    assert not judge("\x01\x04\x05\x06\x07\x08\x0e\x0f\x10\x11" * 3).ok
    # Big5 bytes read as GB18030: decodes without error, but is mojibake.
    mojibake = PARA_TRADITIONAL.encode("big5").decode("gb18030", "replace")
    n_han, share = common_han_share(mojibake)
    assert n_han >= 20 and share < 0.6
    assert not judge(mojibake).ok


def test_garbled_fast_path_falls_back_to_pdfminer(monkeypatch: pytest.MonkeyPatch) -> None:
    """PDFium output failing the check is replaced by pdfminer's reading."""
    data = mb.pdf_bytes(lambda c, i: _draw_lines(c, mb.cjk_font(), LINES), pages=2)
    garbage = "".join(chr(0x9F00 + k) for k in range(60))  # rare Han: fails the check

    def fake(textpage: Any) -> str:
        return garbage

    monkeypatch.setattr(ingest_pdf, "_pdfium_text", fake)
    doc = bytes_to_document(data, "g.pdf")
    assert [p.text.split("\n") for p in doc.pages] == [LINES, LINES]
    assert doc.warnings == ("pages 1–2: fast text extraction garbled; re-read with pdfminer",)


def test_font_without_tounicode_is_never_silent(tmp_path: Path) -> None:
    """Both extractors see glyph ids: the page is 'none', never mojibake text."""
    data = mb.no_tounicode_pdf()
    if data is None:
        pytest.skip("needs Debian fonts-wqy-zenhei")
    good = mb.pdf_bytes(lambda c, i: _draw_lines(c, mb.cjk_font(), LINES))
    from pypdfium2 import PdfDocument
    merged = PdfDocument.new()
    for blob in (good, data):
        merged.import_pages(PdfDocument(blob))
    buf = io.BytesIO()
    merged.save(buf)
    doc = bytes_to_document(buf.getvalue(), "mixed.pdf")
    assert [p.origin for p in doc.pages] == ["text", "none"]
    assert doc.pages[1].text == ""
    assert doc.warnings == ("page 2: text layer unreadable (control characters); "
                            "run with --ocr",)


def test_fake_bold_overprint_is_not_doubled() -> None:
    def draw(c: Any, i: int) -> None:
        font = mb.cjk_font()
        _draw_lines(c, font, LINES[:1])
        _draw_lines(c, font, LINES[:1], x=50.5, y=760.3)  # whole-line overprint
        c.setFont(font, 11)
        for k, ch in enumerate("某银行数据安全"):  # char-by-char overprint
            c.drawString(50 + 12 * k, 700, ch)
            c.drawString(50.4 + 12 * k, 700.2, ch)
    text = bytes_to_document(mb.pdf_bytes(draw), "b.pdf").pages[0].text
    assert text.split("\n") == [LINES[0], "某银行数据安全"]


def test_undouble_line_only_touches_fully_doubled_lines() -> None:
    assert undouble_line("某某银银行行数数据据") == "某银行数据"
    assert undouble_line("人人平等，常常学习") == "人人平等，常常学习"
    assert undouble_line("天天") == "天天"


def test_two_columns_keep_sentences_whole() -> None:
    left = ["某消费金融公司建立了", "数据安全管理制度。"]
    right = ["公司每年开展两次信息", "安全培训，覆盖全员。"]

    def draw(c: Any, i: int) -> None:
        _draw_lines(c, mb.cjk_font(), left, x=50, y=700)
        _draw_lines(c, mb.cjk_font(), right, x=320, y=700)
    lines = bytes_to_document(mb.pdf_bytes(draw), "c.pdf").pages[0].text.split("\n")
    assert lines == left + right


def _grid_table(c: Any, rows: list[list[str]], by_column: bool) -> None:
    """A ruled KPI table; drawn column by column when `by_column`."""
    font = mb.cjk_font()
    x0, y0, widths, h = 50, 700, [160, 80, 80], 22
    c.setLineWidth(0.5)
    for r in range(len(rows) + 1):
        c.line(x0, y0 - r * h, x0 + sum(widths), y0 - r * h)
    xs = [x0 + sum(widths[:k]) for k in range(len(widths) + 1)]
    for x in xs:
        c.line(x, y0, x, y0 - len(rows) * h)
    c.setFont(font, 10)
    order = [(r, k) for k in range(3) for r in range(len(rows))] if by_column else \
        [(r, k) for r in range(len(rows)) for k in range(3)]
    for r, k in order:
        c.drawString(xs[k] + 4, y0 - (r + 1) * h + 7, rows[r][k])


TABLE = [["指标", "2023年", "2024年"],
         ["温室气体排放（吨）", "1,200", "1,104"],
         ["员工培训覆盖率", "96%", "99%"]]


def test_table_rows_become_lines_without_doubling() -> None:
    doc = bytes_to_document(mb.pdf_bytes(lambda c, i: _grid_table(c, TABLE, False)), "t.pdf")
    text = doc.pages[0].text
    assert text.count("1,104") == 1  # the text layer already had the rows
    assert any("温室气体排放（吨）" in ln and "1,104" in ln for ln in text.split("\n"))


def test_column_major_table_gets_row_lines() -> None:
    doc = bytes_to_document(mb.pdf_bytes(lambda c, i: _grid_table(c, TABLE, True)), "t.pdf")
    lines = doc.pages[0].text.split("\n")
    assert "温室气体排放（吨）\t1,200\t1,104" in lines
    assert "员工培训覆盖率\t96%\t99%" in lines


def test_mixed_pages_warn_with_ranges() -> None:
    from reportlab.lib.utils import ImageReader

    def draw(c: Any, i: int) -> None:
        if i in (0, 3):
            _draw_lines(c, mb.cjk_font(), LINES)
        else:
            c.drawImage(ImageReader(io.BytesIO(mb.png_bytes())), 50, 400, 200, 100)
    doc = bytes_to_document(mb.pdf_bytes(draw, pages=5), "m.pdf")
    assert [p.origin for p in doc.pages] == ["text", "none", "none", "text", "none"]
    assert doc.warnings == ("pages 2–3, 5: no text layer (run with --ocr to read them)",)


def test_page_ranges() -> None:
    assert ingest_pdf.page_ranges([2]) == "page 2"
    assert ingest_pdf.page_ranges([5, 3, 4, 9, 11, 12]) == "pages 3–5, 9, 11–12"


def test_ocr_missing_tesseract_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    data = mb.pdf_bytes(lambda c, i: _draw_lines(c, mb.cjk_font(), LINES))
    with pytest.raises(InputError, match=r"o\.pdf: --ocr needs .*apt-get install tesseract-ocr"):
        bytes_to_document(data, "o.pdf", IngestOptions(ocr=True))


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="needs tesseract-ocr")
def test_ocr_reads_an_image_only_page() -> None:
    ttf = mb.find_cjk_ttf()
    if ttf is None:
        pytest.skip("needs Debian fonts-wqy-zenhei")
    from PIL import Image, ImageDraw, ImageFont
    from reportlab.lib.utils import ImageReader
    img = Image.new("L", (1400, 200), 255)
    ImageDraw.Draw(img).text((40, 60), "数据安全管理制度", fill=0,
                             font=ImageFont.truetype(str(ttf), 80))
    buf = io.BytesIO()
    img.save(buf, format="PNG")

    def draw(c: Any, i: int) -> None:
        c.setPageSize((340, 60))
        c.drawImage(ImageReader(io.BytesIO(buf.getvalue())), 0, 0, 336, 48)
    data = mb.pdf_bytes(draw)
    doc = bytes_to_document(data, "s.pdf", IngestOptions(ocr=True), progress=lambda m: None)
    assert doc.pages[0].origin == "ocr"
    assert "数据安全" in doc.pages[0].text
    assert doc.warnings == ("page 1: read by OCR (check figures against the original)",)


def test_one_glyph_for_many_characters_is_flagged() -> None:
    """A broken font mapping many glyphs to one code: keep the text, but say so."""
    lines = ["佛佛佛佛佛佛佛佛佛佛佛 4406961485", *LINES]
    doc = bytes_to_document(mb.pdf_bytes(lambda c, i: _draw_lines(c, mb.cjk_font(), lines)),
                            "f.pdf")
    assert doc.pages[0].text.split("\n") == lines
    assert doc.warnings == ("page 1: text layer partly garbled (one character repeated, "
                            "broken font); run with --ocr",)


def test_pdfminer_fallback_dedupes_and_keeps_columns() -> None:
    """The fallback reader on its own: stream order, overprint dropped."""
    from csrscan.ingest.pdf_pdfminer import PdfminerPages
    left = ["某消费金融公司建立了", "数据安全管理制度。"]
    right = ["公司每年开展两次信息", "安全培训，覆盖全员。"]

    def draw(c: Any, i: int) -> None:
        font = mb.cjk_font()
        _draw_lines(c, font, left, x=50, y=700)
        _draw_lines(c, font, left, x=50.4, y=700.3)  # fake bold
        _draw_lines(c, font, right, x=320, y=700)
        _draw_lines(c, "Helvetica", ["Scope 1 emissions: 1,200 t"], x=50, y=500)
    miner = PdfminerPages(mb.pdf_bytes(draw, pages=2), None)
    for index in (0, 1):
        assert miner.text(index) == "\n".join([*left, *right, "Scope 1 emissions: 1,200 t"])
    assert miner.text(2) is None


def test_layout_boxes_are_not_tables() -> None:
    """Side-by-side text boxes form a grid, but prose is never turned into rows."""
    def draw(c: Any, i: int) -> None:
        for x in (40, 300):
            c.rect(x, 500, 240, 200)
        _draw_lines(c, mb.cjk_font(), LINES[:3], x=45, y=680)
        _draw_lines(c, mb.cjk_font(), LINES[3:], x=305, y=680)
    text = bytes_to_document(mb.pdf_bytes(draw), "l.pdf").pages[0].text
    assert "\t" not in text
    assert text.split("\n") == LINES


def test_importing_ingest_stays_light() -> None:
    import subprocess
    import sys
    code = ("import sys, csrscan.ingest; heavy = {'pdfplumber', 'pypdfium2', 'docx', "
            "'charset_normalizer', 'lxml', 'opencc', 'pdfminer'} & set(sys.modules); "
            "print(sorted(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"


def test_scan_with_only_a_page_number_is_no_text_layer() -> None:
    from reportlab.lib.utils import ImageReader

    def draw(c: Any, i: int) -> None:
        c.drawImage(ImageReader(io.BytesIO(mb.png_bytes())), 0, 0, 595, 842)
        c.setFont("Helvetica", 9)
        c.drawString(290, 20, str(i + 1))
    data = mb.pdf_bytes(draw, pages=2)
    with pytest.raises(InputError, match="no text layer on any of 2 pages"):
        bytes_to_document(data, "s.pdf")

    def mixed(c: Any, i: int) -> None:
        draw(c, i) if i else _draw_lines(c, mb.cjk_font(), LINES)
    doc = bytes_to_document(mb.pdf_bytes(mixed, pages=2), "s.pdf")
    assert doc.pages[1].text == "2"
    assert doc.warnings == ("page 2: mostly an image with little text (scanned?); "
                            "run with --ocr",)


def test_quality_check_tolerates_icons_and_a_single_short_run() -> None:
    from csrscan.ingest.quality import repeated_runs
    bullets = "\n".join(f"\uf0b7 {line}" for line in LINES)
    assert judge(bullets).ok
    assert not judge("\ue001\ue002\ue003\ue004 \ue005\ue006" * 10).ok
    assert repeated_runs("笑声哈哈哈不断") == []
    assert repeated_runs("佛佛佛佛山市") == ["佛佛佛佛"]
    assert repeated_runs("釉釉釉面砖，纸纸纸箱") == ["釉釉釉", "纸纸纸"]


def _page_pdf(pages: int) -> bytes:
    def draw(c: Any, i: int) -> None:
        _draw_lines(c, mb.cjk_font(), [f"第{i + 1}页：公司建立了数据安全管理制度。"], x=50, y=700)
    return bytes(mb.pdf_bytes(draw, pages=pages))


def test_pdfminer_pages_fail_alone_and_in_any_order(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the fallback gives a page never depends on the pages read before
    it (split.py reads in other orders and in several processes): a page
    pdfminer fails on fails alone, a page tree it cannot walk past page k
    hides the pages from k on, whatever the order."""
    from pdfminer.pdfpage import PDFPage

    from csrscan.ingest.pdf_pdfminer import PdfminerPages
    data = _page_pdf(5)
    real_walk, real_text = PDFPage.create_pages, PdfminerPages.text

    def walk_fails_at_3(doc: Any) -> Any:
        for k, page in enumerate(real_walk(doc)):
            if k == 3:
                raise ValueError("broken /Kids")
            yield page

    def fails_on_1(self: PdfminerPages, index: int) -> str | None:
        if index == 1:
            raise ValueError("bad content stream")
        return real_text(self, index)
    monkeypatch.setattr(PDFPage, "create_pages", walk_fails_at_3)
    monkeypatch.setattr(PdfminerPages, "text", fails_on_1)
    seen = []
    for order in ([0, 1, 2, 3, 4], [4, 3, 2, 1, 0], [1, 4, 0, 3, 2]):
        fallback = ingest_pdf._Fallback(data, None)
        seen.append({i: fallback.text(i) for i in order})
        assert not fallback.broken
    assert seen[0] == seen[1] == seen[2]
    assert [bool(seen[0][i]) for i in range(5)] == [True, False, True, False, False]
    assert "第3页" in seen[0][2]


def test_pdfminer_that_cannot_open_the_file_is_asked_once() -> None:
    fallback = ingest_pdf._Fallback(b"%PDF-1.4 no objects at all", None)
    assert fallback.text(3) == "" and fallback.broken
    assert fallback.miner is not None and fallback.text(0) == ""
