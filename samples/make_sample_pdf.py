#!/usr/bin/env python3
"""Render the sample CSR report (Markdown source) into a deterministic PDF.

Usage (from the repository root):

    python samples/make_sample_pdf.py
    python samples/make_sample_pdf.py SRC.md OUT.pdf --short-name 汇信消金
    python samples/make_sample_pdf.py --check   # also verify with pypdfium2

Only a small Markdown subset is understood, which is all the sample uses:
``#``/``##``/``###`` headings, paragraphs, ``- `` list items, pipe tables and
the marker line ``<!-- pagebreak -->``. The part before the first page break
is the cover; the ``# 目录`` section becomes a table of contents whose page
numbers come from a first layout pass.

The PDF uses the built-in CID font STSong-Light (no font file needed) and is
built with ``invariant=1``, so running the script twice gives identical bytes.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
import reportlab.lib.textsplit as _textsplit
import reportlab.platypus.paragraph as _para
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

HERE = Path(__file__).resolve().parent
DEFAULT_SRC = HERE / "src" / "huixin_consumer_finance_2024.md"
DEFAULT_OUT = HERE / "huixin_consumer_finance_2024.pdf"
DEFAULT_SHORT_NAME = "汇信消金"

FONT = "STSong-Light"
PAGEBREAK = "<!-- pagebreak -->"
TOC_TITLE = "目录"

rl_config.invariant = 1
# reportlab's CJK line breaking does not know the full-width punctuation that
# must not start a line (，；：》” …); let such a character hang instead.
_EXTRA_CANNOT_START = "，；：》」』”’！？、。）％%·"
_para.ALL_CANNOT_START += _EXTRA_CANNOT_START  # multi-fragment paragraphs
_textsplit.ALL_CANNOT_START += _EXTRA_CANNOT_START  # single-fragment ones
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

PAGE_W, PAGE_H = A4
MARGIN_X = 22 * mm
MARGIN_TOP = 26 * mm
MARGIN_BOTTOM = 22 * mm
ACCENT = colors.HexColor("#1F4E79")


# ---- styles -------------------------------------------------------------------

def _style(name: str, **kw) -> ParagraphStyle:
    base = dict(fontName=FONT, fontSize=10.5, leading=17, wordWrap="CJK",
                alignment=TA_JUSTIFY)
    base.update(kw)
    return ParagraphStyle(name, **base)


STYLES = {
    "body": _style("body", firstLineIndent=21, spaceAfter=6),
    "li": _style("li", leftIndent=18, bulletIndent=6, spaceAfter=2,
                 alignment=TA_LEFT),
    "h1": _style("h1", fontSize=17, leading=24, textColor=ACCENT,
                 spaceBefore=14, spaceAfter=10, alignment=TA_LEFT,
                 keepWithNext=1),
    "h2": _style("h2", fontSize=13.5, leading=20, textColor=ACCENT,
                 spaceBefore=10, spaceAfter=6, alignment=TA_LEFT,
                 keepWithNext=1),
    "h3": _style("h3", fontSize=11.5, leading=18, spaceBefore=6,
                 spaceAfter=4, alignment=TA_LEFT, keepWithNext=1),
    "cover_title": _style("cover_title", fontSize=24, leading=36,
                          textColor=ACCENT, alignment=TA_CENTER,
                          spaceBefore=60 * mm, spaceAfter=18 * mm),
    "cover_line": _style("cover_line", fontSize=13, leading=22,
                         alignment=TA_CENTER, spaceAfter=6),
    "cover_note": _style("cover_note", fontSize=9, leading=14,
                         textColor=colors.grey, alignment=TA_CENTER,
                         spaceBefore=40 * mm),
    "toc": _style("toc", fontSize=12, leading=26, alignment=TA_LEFT),
    "toc_page": _style("toc_page", fontSize=12, leading=26,
                       alignment=TA_RIGHT),
    "cell": _style("cell", fontSize=9.5, leading=13, alignment=TA_LEFT),
    "cell_head": _style("cell_head", fontSize=9.5, leading=13,
                        alignment=TA_LEFT, textColor=colors.white),
}


# ---- markdown subset ----------------------------------------------------------

def parse_markdown(text: str) -> list[tuple]:
    """Return blocks: (kind, payload) with kind in h1 h2 h3 p li table pagebreak."""
    blocks: list[tuple] = []
    para: list[str] = []
    table: list[list[str]] = []

    def flush_para() -> None:
        if para:
            blocks.append(("p", "".join(para)))
            para.clear()

    def flush_table() -> None:
        if table:
            blocks.append(("table", [row[:] for row in table]))
            table.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("|"):
            flush_para()
            cells = [c.strip() for c in line.strip("|").split("|")]
            if all(re.fullmatch(r":?-{3,}:?", c) for c in cells):
                continue  # header separator row
            table.append(cells)
            continue
        flush_table()
        if not line:
            flush_para()
        elif line == PAGEBREAK:
            flush_para()
            blocks.append(("pagebreak", None))
        elif m := re.match(r"(#{1,3})\s+(.*)", line):
            flush_para()
            blocks.append((f"h{len(m.group(1))}", m.group(2)))
        elif line.startswith("- "):
            flush_para()
            blocks.append(("li", line[2:].strip()))
        else:
            para.append(line)
    flush_para()
    flush_table()
    return blocks


# ---- flowables ----------------------------------------------------------------

class Heading(Paragraph):
    """A paragraph that remembers it is a level-1 heading (for the TOC)."""

    def __init__(self, text: str, style: ParagraphStyle, level: int):
        super().__init__(escape(text), style)
        self.heading_text = text
        self.level = level


def make_table(rows: list[list[str]]) -> Table:
    ncols = max(len(r) for r in rows)
    rows = [r + [""] * (ncols - len(r)) for r in rows]
    width = PAGE_W - 2 * MARGIN_X
    if ncols == 4:
        fractions = [0.46, 0.16, 0.19, 0.19]
        if rows[0][1] != "单位":  # index table: topic / GRI / HKEX / chapter
            fractions = [0.40, 0.22, 0.20, 0.18]
    else:
        fractions = [1 / ncols] * ncols
    data = []
    for i, row in enumerate(rows):
        style = STYLES["cell_head"] if i == 0 else STYLES["cell"]
        data.append([Paragraph(escape(c), style) for c in row])
    table = Table(data, colWidths=[f * width for f in fractions], repeatRows=1)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1),
         [colors.white, colors.HexColor("#EEF3F8")]),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#9FB3C8")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]))
    return table


def make_toc(entries: list[str], toc_pages: dict[str, int]) -> Table:
    """Table of contents: entry on the left, page number on the right."""
    width = PAGE_W - 2 * MARGIN_X
    data = [[Paragraph(escape(e), STYLES["toc"]),
             Paragraph(str(toc_pages.get(e, "")), STYLES["toc_page"])]
            for e in entries]
    table = Table(data, colWidths=[width * 0.85, width * 0.15])
    table.setStyle(TableStyle([
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#9FB3C8"),
         None, (1, 2)),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ]))
    return table


def build_story(blocks: list[tuple], toc_pages: dict[str, int]) -> list:
    story: list = []
    cover = True
    section = None
    toc_rows: list[str] = []
    for kind, payload in blocks:
        if toc_rows and not (kind == "li" and section == TOC_TITLE):
            story.append(make_toc(toc_rows, toc_pages))
            toc_rows = []
        if kind == "pagebreak":
            story.append(PageBreak())
            cover = False
            continue
        if cover:
            if kind == "h1":
                title = escape(payload).replace("公司", "公司<br/>", 1)
                story.append(Paragraph(title, STYLES["cover_title"]))
            elif kind == "p" and payload.startswith("（"):
                story.append(Paragraph(escape(payload), STYLES["cover_note"]))
            else:
                story.append(Paragraph(escape(payload), STYLES["cover_line"]))
            continue
        if kind in ("h1", "h2", "h3"):
            level = int(kind[1])
            if level == 1:
                section = payload
            story.append(Heading(payload, STYLES[kind], level))
        elif kind == "li" and section == TOC_TITLE:
            toc_rows.append(payload)
            continue
        elif kind == "li":
            story.append(Paragraph(escape(payload), STYLES["li"], bulletText="•"))
        elif kind == "p":
            story.append(Paragraph(escape(payload), STYLES["body"]))
        elif kind == "table":
            # no spacer in front: a heading's keepWithNext then binds the table
            story.append(make_table(payload))
            story.append(Spacer(1, 8))
    return story


# ---- document -----------------------------------------------------------------

def _company(title: str) -> str:
    """The company name at the start of a report title (or the whole title)."""
    m = re.match(r".+?(?:公司|銀行|银行)", title)
    return m.group(0) if m else title


class ReportDoc(BaseDocTemplate):
    def __init__(self, target, title: str, short_name: str):
        super().__init__(
            target, pagesize=A4, invariant=1,
            leftMargin=MARGIN_X, rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM,
            title=title, author=_company(title),
            subject="csrscan sample report", creator="samples/make_sample_pdf.py",
        )
        self.report_title = title
        self.short_name = short_name
        self.heading_pages: dict[str, int] = {}
        frame = Frame(self.leftMargin, self.bottomMargin, self.width,
                      self.height, id="body")
        self.addPageTemplates([PageTemplate("page", [frame],
                                            onPage=self._header,
                                            onPageEnd=self._footer)])

    def _header(self, canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8.5)
        canvas.setFillColor(colors.HexColor("#555555"))
        y_head = PAGE_H - 15 * mm
        canvas.drawString(MARGIN_X, y_head, self.report_title)
        canvas.drawRightString(PAGE_W - MARGIN_X, y_head, self.short_name)
        canvas.setStrokeColor(ACCENT)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN_X, y_head - 2.5 * mm, PAGE_W - MARGIN_X,
                    y_head - 2.5 * mm)
        canvas.restoreState()

    def _footer(self, canvas, doc) -> None:
        # drawn after the page body, so text extraction lists it last
        canvas.saveState()
        canvas.setFont(FONT, 9)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawCentredString(PAGE_W / 2, 12 * mm, f"- {doc.page} -")
        canvas.restoreState()

    def afterFlowable(self, flowable) -> None:
        if isinstance(flowable, Heading) and flowable.level == 1:
            self.heading_pages.setdefault(flowable.heading_text, self.page)


def render(src: Path, out: Path, short_name: str) -> int:
    blocks = parse_markdown(src.read_text(encoding="utf-8"))
    title = next(p for k, p in blocks if k == "h1")
    # pass 1: lay out to learn on which page each chapter starts
    probe = ReportDoc(io.BytesIO(), title, short_name)
    probe.build(build_story(blocks, {}))
    # pass 2: the same layout with page numbers in the table of contents
    buf = io.BytesIO()
    doc = ReportDoc(buf, title, short_name)
    doc.build(build_story(blocks, probe.heading_pages))
    if doc.heading_pages != probe.heading_pages:
        raise SystemExit("table of contents changed the layout; adjust it")
    out.write_bytes(buf.getvalue())
    return doc.page


def check(src: Path, out: Path, short_name: str) -> list[str]:
    """Re-read the PDF with pypdfium2; return a list of problems (empty = ok).

    Every page must start with the running header and end with "- n -", and
    every heading, paragraph, list item and table cell of the source must be
    found, in Chinese, in the extracted text (line breaks ignored).
    """
    import pypdfium2 as pdfium  # only needed for --check

    blocks = parse_markdown(src.read_text(encoding="utf-8"))
    title = next(p for k, p in blocks if k == "h1")
    header = f"{title} {short_name}"
    problems: list[str] = []
    body = []
    pdf = pdfium.PdfDocument(str(out))
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            lines = [ln.strip() for ln in textpage.get_text_range().splitlines()
                     if ln.strip()]
            textpage.close()
            page.close()
            if not lines or lines[0] != header:
                problems.append(f"page {i + 1}: header missing")
            if not lines or lines[-1] != f"- {i + 1} -":
                problems.append(f"page {i + 1}: footer missing")
            if any("\ufffd" in ln for ln in lines):
                problems.append(f"page {i + 1}: undecodable characters")
            body.extend(lines[1:-1])
    finally:
        pdf.close()
    flat = re.sub(r"\s+", "", "".join(body))
    for kind, payload in blocks:
        if kind == "pagebreak":
            continue
        texts = [c for row in payload for c in row] if kind == "table" else [payload]
        for text in texts:
            if re.sub(r"\s+", "", text) not in flat:
                problems.append(f"text not found in PDF: {text[:30]}")
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("src", nargs="?", type=Path, default=DEFAULT_SRC)
    ap.add_argument("out", nargs="?", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--short-name", default=DEFAULT_SHORT_NAME)
    ap.add_argument("--check", action="store_true",
                    help="re-extract the PDF with pypdfium2 and verify it")
    args = ap.parse_args(argv)
    pages = render(args.src, args.out, args.short_name)
    print(f"wrote {args.out} ({pages} pages)")
    if args.check:
        problems = check(args.src, args.out, args.short_name)
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            return 1
        print("check ok: header, footer and source text found on every page")
    return 0


if __name__ == "__main__":
    sys.exit(main())
