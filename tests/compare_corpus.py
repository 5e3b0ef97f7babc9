"""Build a batch of small made-up reports for the `csrscan compare` tests.

All text here is written for these tests. Companies are fictional. The batch
mixes .md, .txt, .html, .pdf (reportlab, STSong-Light) and, when the ingest
stage reads them, .docx (python-docx) files and a handful
of bad inputs: a corrupt PDF, a truncated PDF, an encrypted PDF, an image-only
("scanned") PDF and an empty text file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SENTENCES = {
    "governance": "本公司修订《数据安全管理制度》，由数据安全委员会统筹各部门职责。",
    "technical": "报告期内本公司完成渗透测试6次，核心系统全部实现加密传输。",
    "consent": "本公司按照最小必要原则收集个人信息，并在隐私政策中说明用途。",
    "rights": "客户可在线申请注销账户，本公司在10个工作日内处理。",
    "incidents": "报告期内，本公司未发生重大数据泄露事件。",
    "training": "本公司全年组织数据安全培训5场，覆盖员工800人次。",
}
FILLER = "本公司持续优化客户服务体验，提升线上服务效率，推动普惠金融发展。"

COMPANIES = ("青禾消费金融", "远帆小额贷款", "明川数字科技", "澄湖村镇银行",
             "北辰融资担保", "松石网络小贷", "嘉穗保险经纪", "白鹭金融信息服务")
def _formats() -> tuple[str, ...]:
    """docx joins the mix once the ingest stage reads it (the full ingest does)."""
    from csrscan.ingest import dispatch as ingest

    docx = "docx" in getattr(ingest, "FORMATS", ())
    return ("md", "txt", "html", "pdf", "docx") if docx else ("md", "txt", "html", "pdf")


FORMATS = _formats()
YEARS = (2022, 2023, 2024)


@dataclass(frozen=True)
class Good:
    path: Path
    company: str
    year: int
    indicators: tuple[str, ...]


@dataclass(frozen=True)
class Bad:
    path: Path
    reason: str  # a word the failure message must contain


def report_text(company: str, year: int, indicators: tuple[str, ...]) -> list[str]:
    lines = [f"{company}股份有限公司", f"{year}年度社会责任报告", "",
             f"{company}股份有限公司（以下简称“{company}”）发布本报告。", FILLER]
    lines += [SENTENCES[i] for i in indicators]
    return lines


def indicators_for(n_company: int, year: int) -> tuple[str, ...]:
    """More disclosure in later years, varied by company."""
    keys = list(SENTENCES)
    count = 1 + (n_company + (year - 2022) * 2) % len(keys)
    return tuple(keys[:count])


def write_pdf(path: Path, lines: list[str], encrypt: str | None = None,
              image_only: bool = False) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), encrypt=encrypt, invariant=1)
    if image_only:
        for k in range(8):  # shapes only: a page with no text layer
            c.rect(60 + k * 50, 500, 40, 200, fill=1)
    else:
        c.setFont("STSong-Light", 12)
        y = 780
        for line in lines:
            c.drawString(50, y, line)
            y -= 22
    c.showPage()
    c.save()


def write_report(path: Path, lines: list[str]) -> None:
    fmt = path.suffix[1:]
    if fmt == "pdf":
        write_pdf(path, lines)
    elif fmt == "docx":
        import docx

        d = docx.Document()
        for line in lines:
            d.add_paragraph(line)
        d.core_properties.title = lines[1]
        d.save(str(path))
    elif fmt == "html":
        body = "".join(f"<p>{ln}</p>\n" for ln in lines)
        path.write_text(f"<!doctype html><html><head><meta charset='utf-8'><title>{lines[1]}"
                        f"</title></head><body>\n{body}</body></html>\n", encoding="utf-8")
    elif fmt == "md":
        path.write_text("# " + "\n\n".join(lines) + "\n", encoding="utf-8")
    else:
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def build_corpus(root: Path) -> tuple[list[Good], list[Bad]]:
    """Write 24 good reports (8 companies × 3 years) and 5 bad files under root."""
    good: list[Good] = []
    n = 0
    for c_index, company in enumerate(COMPANIES):
        folder = root / f"group{c_index % 3}"
        folder.mkdir(parents=True, exist_ok=True)
        for year in YEARS:
            fmt = FORMATS[n % len(FORMATS)] if n % 6 else "pdf"
            n += 1
            inds = indicators_for(c_index, year)
            path = folder / f"csr_{c_index}_{year}.{fmt}"
            write_report(path, report_text(company, year, inds))
            good.append(Good(path, f"{company}股份有限公司", year, inds))
    bad_dir = root / "bad"
    bad_dir.mkdir(parents=True, exist_ok=True)
    sample = good[0].path.read_bytes() if good[0].path.suffix == ".pdf" else b""
    (bad_dir / "corrupt.pdf").write_bytes(b"%PDF-1.7\n%broken\n1 0 obj << /Type /Catalog")
    (bad_dir / "truncated.pdf").write_bytes(sample[: len(sample) // 3] or b"%PDF-1.4\n")
    write_pdf(bad_dir / "encrypted_2024.pdf", report_text("锁匙金融", 2024, ("training",)),
              encrypt="secret")
    write_pdf(bad_dir / "scanned_2024.pdf", [], image_only=True)
    (bad_dir / "empty.txt").write_bytes(b"")
    bads = [Bad(bad_dir / "corrupt.pdf", ""), Bad(bad_dir / "truncated.pdf", ""),
            Bad(bad_dir / "encrypted_2024.pdf", "password"),
            Bad(bad_dir / "scanned_2024.pdf", "text"), Bad(bad_dir / "empty.txt", "")]
    return good, bads
