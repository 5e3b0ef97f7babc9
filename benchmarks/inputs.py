"""Build the benchmark inputs deterministically into benchmarks/out/.

Long reports are rendered with reportlab and an EMBEDDED CJK TrueType font
(Debian `fonts-wqy-zenhei` or `fonts-noto-cjk`); without one, the built-in
non-embedded CID font STSong-Light is used and a note is printed (pypdfium2
is about 10× slower on non-embedded CID fonts, so figures then differ).
Text comes from `tests/zh_text.py` (original writing, fictional companies).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(__file__).resolve().parent / "out"
sys.path.insert(0, str(ROOT / "tests"))

from zh_text import (  # noqa: E402  (tests/ holds the shared text source)
    COMPANIES,
    Block,
    ReportSpec,
    report_markdown,
    report_pages,
    report_text_pages,
)

FONT_CANDIDATES = (  # (path, subfont index of the Simplified Chinese face)
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
)
LONG_PAGES = (100, 300, 1000)
BATCH_SIZE = 50
FONT_SIZE, LEADING, MARGIN, WIDTH_CHARS = 10.5, 15.5, 56.0, 44


@dataclass(frozen=True, slots=True)
class FontChoice:
    name: str
    embedded: bool
    path: str | None


def find_font() -> FontChoice:
    """The first CJK TTF found (embedded), else STSong-Light (not embedded)."""
    for path, _ in FONT_CANDIDATES:
        if Path(path).is_file():
            return FontChoice("BenchCJK", True, path)
    return FontChoice("STSong-Light", False, None)


def register_font(font: FontChoice) -> None:
    """Make the font known to reportlab (imported only when something is built)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    if font.name in pdfmetrics.getRegisteredFontNames():
        return
    if font.embedded and font.path:
        index = dict(FONT_CANDIDATES)[font.path]
        pdfmetrics.registerFont(TTFont(font.name, font.path, subfontIndex=index))
        return
    print("note: no CJK TrueType font found (apt-get install fonts-wqy-zenhei); "
          "using STSong-Light, NOT embedded: pypdfium2 is much slower on it",
          file=sys.stderr)
    pdfmetrics.registerFont(UnicodeCIDFont(font.name))


def _flow_lines(spec: ReportSpec) -> Iterator[str]:
    """Body lines in reading order, endlessly (the spec's page count is a budget)."""
    while True:
        for blocks in report_pages(spec):
            yield from _block_lines(blocks)
        spec = ReportSpec(spec.company, spec.short, spec.year, spec.pages, spec.seed + 1)


def _block_lines(blocks: list[Block]) -> Iterator[str]:
    for block in blocks:
        if block.kind == "para":
            text = block.text
            for i in range(0, len(text), WIDTH_CHARS):
                yield text[i:i + WIDTH_CHARS]
            yield ""
        elif block.kind == "heading":
            yield ""
            yield block.text
            yield ""
        else:
            yield block.text


def write_pdf(spec: ReportSpec, path: Path, font: FontChoice) -> None:
    """Render exactly spec.pages A4 pages: running header, body, page footer."""
    from reportlab import rl_config
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    register_font(font)
    rl_config.invariant = 1
    width, height = A4
    canvas = Canvas(str(path), pagesize=A4, invariant=1, pageCompression=1)
    canvas.setTitle(spec.header)
    canvas.setAuthor("csrscan benchmarks")
    per_page = int((height - 2 * MARGIN - 2 * LEADING) // LEADING)
    lines = _flow_lines(spec)
    for number in range(1, spec.pages + 1):
        canvas.setFont(font.name, 8)
        canvas.drawString(MARGIN, height - MARGIN + 14, spec.header)
        canvas.drawCentredString(width / 2, MARGIN - 24, f"第 {number} 页 / 共 {spec.pages} 页")
        text = canvas.beginText(MARGIN, height - MARGIN - LEADING)
        text.setFont(font.name, FONT_SIZE, LEADING)
        for _ in range(per_page):
            text.textLine(next(lines))
        canvas.drawText(text)
        canvas.showPage()
    canvas.save()


def long_spec(pages: int) -> ReportSpec:
    company, short = COMPANIES[0]
    return ReportSpec(company, short, 2025, pages, seed=7)


def batch_specs() -> list[tuple[ReportSpec, str]]:
    """50 varied reports: companies, years, lengths (20–110 pages, like real filings, so
    that a batch measures scanning rather than start-up) and formats cycle."""
    out = []
    for i in range(BATCH_SIZE):
        company, short = COMPANIES[i % len(COMPANIES)]
        spec = ReportSpec(company, short, 2019 + i % 8, 20 + (i * 37) % 91, seed=1000 + i)
        out.append((spec, ("pdf", "txt", "md")[i % 3]))
    return out


def write_report(spec: ReportSpec, fmt: str, path: Path, font: FontChoice) -> None:
    if fmt == "pdf":
        write_pdf(spec, path, font)
    elif fmt == "md":
        path.write_text(report_markdown(spec), encoding="utf-8")
    else:
        path.write_text("\n".join(report_text_pages(spec)) + "\n", encoding="utf-8")


def build_all(rebuild: bool = False, long_pages: tuple[int, ...] = LONG_PAGES
              ) -> tuple[list[Path], list[Path], FontChoice]:
    """(long report PDFs, batch files, font); files already built are reused."""
    OUT.mkdir(parents=True, exist_ok=True)
    font = find_font()
    tag = "emb" if font.embedded else "cid"
    longs = []
    for pages in long_pages:
        path = OUT / f"long_{pages}p_{tag}.pdf"
        if rebuild or not path.is_file():
            print(f"building {path.name} …", file=sys.stderr)
            write_pdf(long_spec(pages), path, font)
        longs.append(path)
    batch_dir = OUT / f"batch_{tag}"
    batch_dir.mkdir(exist_ok=True)
    batch = []
    for i, (spec, fmt) in enumerate(batch_specs()):
        path = batch_dir / f"r{i:02d}_{spec.short}_{spec.year}_{spec.pages}p.{fmt}"
        if rebuild or not path.is_file():
            write_report(spec, fmt, path, font)
        batch.append(path)
    return longs, batch, font
