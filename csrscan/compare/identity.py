"""Who filed a report and for which year: the documented rules (docs/compare.md).

Rules, applied in order; the first that gives an answer wins:

company
  1. the first legal name ending in 股份有限公司 / 有限责任公司 / 有限公司 in the
     first page text (the title page; page 2 too when page 1 has under 40
     characters), e.g. 汇信消费金融股份有限公司;
  2. else the short name declared as （以下简称“XX”） / (以下简称"XX") there;
  3. else the file name without its year, report words (社会责任报告, ESG,
     CSR, 可持续发展报告, 年度, report …) and separators;
  4. else "" (unknown).
year
  1. a year 20xx followed by 年度 / 年 … 报告 in the title (the first five
     non-empty lines of the first page);
  2. else a year 20xx in the file name;
  3. else a year 20xx followed by 年度 anywhere in the first page text;
  4. else None (unknown).

A manifest (`--manifest CSV`) overrides both for the files it names.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path, PurePath

from csrscan.errors import InputError
from csrscan.models import Document

LEGAL_NAME = re.compile(
    r"([\u4e00-\u9fff（）()A-Za-z0-9·]{2,40}?(?:股份有限公司|有限责任公司|有限公司))")
SHORT_NAME = re.compile(r"[（(]\s*以下简称\s*[:：]?\s*[“\"「『']([^”\"」』']{1,20})[”\"」』']")
TITLE_YEAR = re.compile(
    r"(20\d\d)\s*(?:年度|年[^\n]{0,20}?报告|[^\n]{0,6}?(?:ESG|CSR|社会责任|可持续))")
BODY_YEAR = re.compile(r"(20\d\d)\s*年度")
NAME_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
REPORT_WORDS = re.compile(
    r"(?i)(社会责任报告|环境、社会及管治报告|环境社会及治理报告|可持续发展报告|ESG报告|"
    r"年度报告|社会责任|可持续发展|报告|年度|(?<![A-Za-z])(?:ESG|CSR)(?![A-Za-z])|report|"
    r"sustainability|annual|final|draft|定稿|全文)")
SEPARATORS = re.compile(r"[\s_\-–—.·,，;；()（）\[\]【】]+")
LEAD_IN = re.compile(r"^(?:本报告由|本报告|报告由|由|关于|致|发布单位|编制单位|报告主体|发布机构)+")
TITLE_LINES = 5
MIN_FIRST_PAGE = 40


@dataclass(frozen=True, slots=True)
class Identity:
    """A report's company and year, and which rule gave each."""

    company: str
    year: int | None
    company_rule: str = "unknown"
    year_rule: str = "unknown"
    industry: str = ""


def identify(doc: Document) -> Identity:
    """Apply the rules to a document's first page(s) and its file name."""
    text = first_page_text(doc)
    company, company_rule = company_of(text, doc.path)
    year, year_rule = year_of(text, doc.path)
    return Identity(company=company, year=year, company_rule=company_rule,
                    year_rule=year_rule)


def first_page_text(doc: Document) -> str:
    if not doc.pages:
        return ""
    text = doc.pages[0].text
    if len(text.strip()) < MIN_FIRST_PAGE and len(doc.pages) > 1:
        text = text + "\n" + doc.pages[1].text
    return text


def company_of(text: str, path: str) -> tuple[str, str]:
    flat = re.sub(r"[ \t\u3000]+", "", text)
    m = LEGAL_NAME.search(flat)
    if m:
        return _strip_prefix(m.group(1)), "legal-name"
    m = SHORT_NAME.search(flat)
    if m:
        return m.group(1).strip(), "short-name"
    name = company_from_filename(path)
    return (name, "file-name") if name else ("", "unknown")


def _strip_prefix(name: str) -> str:
    """Drop lead-in words glued to the name on the same line (本报告由…, 关于…)."""
    return LEAD_IN.sub("", name) or name


def company_from_filename(path: str) -> str:
    stem = PurePath(path).stem
    stem = NAME_YEAR.sub(" ", stem)
    stem = REPORT_WORDS.sub(" ", stem)
    parts = [p for p in SEPARATORS.split(stem) if p and not p.isdigit()]
    return "".join(parts) if parts else ""


def year_of(text: str, path: str) -> tuple[int | None, str]:
    from csrscan.text.normalize import to_simplified  # 2024年永續報告書 reads as 年…报告

    text = to_simplified(text)
    title = "\n".join([ln.strip() for ln in text.splitlines() if ln.strip()][:TITLE_LINES])
    m = TITLE_YEAR.search(title)
    if m:
        return int(m.group(1)), "title"
    years = NAME_YEAR.findall(PurePath(path).name)
    if years:
        return int(years[0]), "file-name"
    m = BODY_YEAR.search(text)
    if m:
        return int(m.group(1)), "first-page"
    return None, "unknown"


# ---- manifest -----------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ManifestEntry:
    company: str
    year: int | None
    industry: str


def read_manifest(path: str | Path) -> dict[str, ManifestEntry]:
    """Read a CSV with a header `path,company,year[,industry]`; key = normalized path.

    Paths are matched after resolving against the manifest's own folder when
    relative. Empty cells keep what the rules found.
    """
    p = Path(path)
    try:
        with p.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except OSError as exc:
        raise InputError(f"cannot read manifest: {exc.strerror}", path=str(p)) from None
    if rows and "path" not in rows[0]:
        raise InputError("manifest needs a 'path' column (path,company,year,industry)",
                         path=str(p))
    out: dict[str, ManifestEntry] = {}
    for n, row in enumerate(rows, start=2):
        year_text = (row.get("year") or "").strip()
        if year_text and not re.fullmatch(r"\d{4}", year_text):
            raise InputError(f"line {n}: year {year_text!r} is not a 4-digit year", path=str(p))
        out[manifest_key(row["path"], p.parent)] = ManifestEntry(
            company=(row.get("company") or "").strip(),
            year=int(year_text) if year_text else None,
            industry=(row.get("industry") or "").strip())
    return out


def manifest_key(path: str, base: Path | None = None) -> str:
    p = Path(path.strip())
    if not p.is_absolute() and base is not None:
        p = base / p
    return str(p.resolve())


def apply_manifest(ident: Identity, path: str, manifest: dict[str, ManifestEntry]
                   ) -> Identity:
    entry = manifest.get(manifest_key(path))
    if entry is None:
        return ident
    return Identity(
        company=entry.company or ident.company,
        year=entry.year if entry.year is not None else ident.year,
        company_rule="manifest" if entry.company else ident.company_rule,
        year_rule="manifest" if entry.year is not None else ident.year_rule,
        industry=entry.industry)
