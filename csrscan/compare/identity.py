"""Who filed a report and for which year: the documented rules (docs/compare.md).

Rules, applied in order; the first that gives an answer wins:

company
  1. legal-name: the best-ranked legal name (股份有限公司 / 有限责任公司 /
     有限公司) in the report's head (csrscan.identity_company: lead-in words
     off, institutions such as exchanges and auditors dropped, ranked by the
     cover, self-definitions and how often the report repeats it);
  2. short-name: the short name declared as （以下简称“XX”） in the head;
  3. file-name: the file name without its year, report words and separators
     (never a hash or a bare number);
  4. title-term: the cover line (2–8 characters) the report repeats most;
  5. "" (unknown).
year
  1. title: a year followed by 年度 / 年 … 报告 in the cover lines, or the
     year in brackets after the report's name (可持续发展报告（2024）), never a
     start year (自2009年起, 2009年以来);
  2. period: the report period (2024年1月1日至2024年12月31日, 截至2024年12月31日止…报告);
  3. report-name: the year most often written before the report's name
     (…2024年社会责任报告) anywhere in the report, e.g. in running headers;
  4. file-name: a year in the file name;
  5. first-page: a year followed by 年度 in the head;
  6. None (unknown).
Years are read from Chinese numerals too (二〇二四年). Company rules 3–4 and
year rules 4–5 are guesses: `Identity.guessed` says so.

A manifest (`--manifest CSV`) overrides both for the files it names.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePath

from csrscan.compare.identity_company import HEAD_CHARS, TITLE_LINES, best_legal_name
from csrscan.errors import InputError
from csrscan.models import Document

SHORT_NAME = re.compile(
    r"[（(]\s*(?:以下简称|以下簡稱)\s*[:：]?\s*[“\"「『']([^”\"」』']{1,20})[”\"」』']")
TITLE_YEAR = re.compile(
    r"(?<![自从於于])(20\d\d)\s*(?:年度|年(?![起以开])[^\n]{0,20}?报告|"
    r"[^\n]{0,6}?(?:ESG|CSR|社会责任|可持续)|"
    r"\s*(?i:annual\s+)?(?i:sustainability|corporate\s+social|social\s+responsibility)"
    r"[^\n]{0,24}?(?i:report))")
BRACKET_YEAR = re.compile(r"报告[书]?\s*[（(]\s*(20\d\d)\s*(?:年度?)?\s*[)）]")
PERIOD = re.compile(
    r"(20\d\d)\s*年\s*0?1\s*月\s*0?1\s*[日曰]?\s*(?:至|到|-|—|–|~|～)\s*"
    r"(?:(20\d\d)\s*年\s*)?12\s*月\s*31\s*[日曰]")
PERIOD_END = re.compile(r"截至\s*(20\d\d)\s*年\s*12\s*月\s*31\s*[日曰]\s*止?[^\n。]{0,16}报告")
REPORT_NAME_YEAR = re.compile(
    r"(?<![自从於于\d])(20\d\d)\s*年?度?\s*(?:企业)?(?:社会责任|可持续发展|环境、?社会及管治|"
    r"ESG|CSR|环境与社会责任|永续)")
DATE_YEAR = re.compile(r"(?<!\d)(20\d\d)\s*年")
MIN_DATES = 5
BODY_YEAR = re.compile(r"(20\d\d)\s*年度")
NAME_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
CN_YEAR = re.compile(r"([〇○零一二三四五六七八九]{4})(?=\s*年)")
CN_DIGITS = str.maketrans("〇○零一二三四五六七八九", "00012345678" + "9")
REPORT_WORDS = re.compile(
    r"(?i)(社会责任报告|环境、社会及管治报告|环境社会及治理报告|可持续发展报告|ESG报告|"
    r"年度报告|社会责任|可持续发展|报告|年度|(?<![A-Za-z])(?:ESG|CSR)(?![A-Za-z])|report|"
    r"sustainability|annual|final|draft|定稿|全文)")
SEPARATORS = re.compile(r"[\s_\-–—.·,，;；()（）\[\]【】]+")
HASH_LIKE = re.compile(r"(?i)[0-9a-f]{6,}|[0-9a-f-]{16,}")
GENERIC = frozenset(("报告", "公司", "本公司", "本行", "集团", "我们", "目录", "引言", "前言",
                     "致辞", "关于本报告", "报告说明", "CSR", "ESG", "附录", "索引", "首页",
                     "返回", "分享", "正文", "新闻", "关于我们", "联系我们"))
TITLE_TERM = re.compile(r"^[\u4e00-\u9fff]{2,8}$")
MIN_TITLE_TERM = 5
TERM_LINES = 10
WEAK_RULES = frozenset(("file-name", "title-term", "first-page"))


@dataclass(frozen=True, slots=True)
class Identity:
    """A report's company and year, and which rule gave each."""

    company: str
    year: int | None
    company_rule: str = "unknown"
    year_rule: str = "unknown"
    industry: str = ""

    @property
    def guessed(self) -> bool:
        """True when the company or the year comes from a fallback rule (a guess)."""
        return self.company_rule in WEAK_RULES or self.year_rule in WEAK_RULES


def identify(doc: Document) -> Identity:
    """Apply the rules to a document's text and its file name."""
    whole = "\n".join(p.text for p in doc.pages)
    company, company_rule = company_of(whole, doc.path)
    year, year_rule = year_of(whole, doc.path)
    return Identity(company=company, year=year, company_rule=company_rule,
                    year_rule=year_rule)


def canonical_name(name: str) -> str:
    """The name in NFKC form, to compare names, not to show them: reports and
    registries write one company with full- or half-width brackets (（集团） /
    (集团)) and Latin letters, and a row shows the spelling of its own report."""
    return unicodedata.normalize("NFKC", name)


def _flat(text: str) -> str:
    # OCR and PDF text put spaces inside names (中国 平安); lines stay.
    return re.sub(r"[ \t\u3000]+", "", text)


def _title_end(text: str) -> int:
    """Offset of the end of the first TITLE_LINES non-empty lines."""
    for seen, m in enumerate(re.finditer(r"[^\n]*\S[^\n]*", text), start=1):
        if seen == TITLE_LINES:
            return m.end()
    return len(text)


def company_of(text: str, path: str) -> tuple[str, str]:
    whole = _flat(text)
    head = whole[:HEAD_CHARS]
    name = best_legal_name(head, _title_end(head), whole)
    if name:
        return name, "legal-name"
    for m in SHORT_NAME.finditer(head):
        short = m.group(1).strip()
        # 《…办法》（以下简称“办法”） names a document, not a company.
        after_title = head[max(0, m.start() - 1):m.start()] in ("》", "”", "\"")
        if (short not in GENERIC and not after_title
                and re.search(r"[\u4e00-\u9fff]{2}", short)):
            return short, "short-name"
    name = company_from_filename(path)
    if name:
        return name, "file-name"
    name = title_term(head, whole)
    return (name, "title-term") if name else ("", "unknown")


def title_term(head: str, whole: str) -> str:
    """A short line among the first TERM_LINES non-empty ones (the cover, maybe
    after OCR debris) that the report repeats at least MIN_TITLE_TERM times (a brand)."""
    lines = [ln.strip() for ln in head.splitlines() if ln.strip()][:TERM_LINES]
    terms = {ln for ln in lines if TITLE_TERM.match(ln) and ln not in GENERIC
             and not REPORT_WORDS.search(_simplified(ln))}
    counted = sorted(((whole.count(t), t) for t in terms), key=lambda ct: (-ct[0], ct[1]))
    return counted[0][1] if counted and counted[0][0] >= MIN_TITLE_TERM else ""


def _simplified(text: str) -> str:
    from csrscan.text.normalize import to_simplified

    return to_simplified(text)


def company_from_filename(path: str) -> str:
    stem = PurePath(path).stem
    stem = NAME_YEAR.sub(" ", stem)
    stem = REPORT_WORDS.sub(" ", stem)
    parts = [p for p in SEPARATORS.split(stem)
             if p and not p.isdigit() and not HASH_LIKE.fullmatch(p)]
    name = "".join(parts)
    return "" if name in GENERIC else name


def year_of(text: str, path: str) -> tuple[int | None, str]:
    # 2024年永續報告書 reads as 年…报告; 二〇二四年度 as 2024年度.
    text = CN_YEAR.sub(lambda m: m.group(1).translate(CN_DIGITS), _simplified(text))
    head = text[:HEAD_CHARS]
    ok = _plausible(head)
    title = "\n".join([ln.strip() for ln in head.splitlines() if ln.strip()][:TITLE_LINES])
    years = [int(m.group(1)) for p in (TITLE_YEAR, BRACKET_YEAR) for m in p.finditer(title)]
    if years := [y for y in years if ok(y)]:
        return years[0], "title"
    m = PERIOD.search(head) or PERIOD_END.search(head)
    if m:
        return int(m.group(m.lastindex or 1)), "period"
    years = [y for y in map(int, REPORT_NAME_YEAR.findall(text)) if ok(y)]
    if years:
        return max(sorted(set(years)), key=years.count), "report-name"
    years = [int(y) for y in NAME_YEAR.findall(PurePath(path).name)]
    if years:
        return years[0], "file-name"
    years = [y for y in map(int, BODY_YEAR.findall(head)) if ok(y)]
    if years:
        return years[0], "first-page"
    return None, "unknown"


def _plausible(head: str) -> Callable[[int], bool]:
    """A report's own year dominates its dates: a candidate year more than one year
    from the most written 20xx年 (a start year 自2009年起, a 2030 target) is not it.
    With under MIN_DATES dates every year is plausible."""
    dates = [int(y) for y in DATE_YEAR.findall(head)]
    if len(dates) < MIN_DATES:
        return lambda y: True
    mode = max(sorted(set(dates)), key=dates.count)
    return lambda y: abs(y - mode) <= 1


# ---- manifest -----------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ManifestEntry:
    company: str
    year: int | None
    industry: str
    # `2015|2016`: the years the manifest accepts; the rules' year when it is one
    # of them, else the first (a report published in 2016 on 2015 may say either)
    years: tuple[int, ...] = ()


PATH_COLUMNS = ("path", "file")  # `file`: what data sets' MANIFEST.csv files call it


def read_manifest(path: str | Path) -> dict[str, ManifestEntry]:
    """Read a CSV with a header `path,company,year[,industry]` (`file` for `path`;
    a year may list the accepted years, `2015|2016`); key = normalized path.

    Paths are matched after resolving against the manifest's own folder when
    relative. Empty cells keep what the rules found.
    """
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read manifest: {exc.strerror}", path=str(p)) from None
    try:  # UTF-8 (with or without BOM), else GB18030: what Excel saves in China
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030", errors="replace")
    try:
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise InputError(f"manifest is not valid CSV: {exc}", path=str(p)) from None
    column = next((c for c in PATH_COLUMNS if rows and c in rows[0]), "path")
    if rows and column not in rows[0]:
        raise InputError("manifest needs a 'path' (or 'file') column "
                         "(path,company,year,industry)", path=str(p))
    out: dict[str, ManifestEntry] = {}
    for n, row in enumerate(rows, start=2):
        years = _manifest_years((row.get("year") or "").strip(), n, p)
        out[manifest_key(row[column], p.parent)] = ManifestEntry(
            company=(row.get("company") or "").strip(),
            year=years[0] if len(years) == 1 else None,
            industry=(row.get("industry") or "").strip(), years=years)
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
    year = ident.year
    if entry.years:
        year = ident.year if ident.year in entry.years else entry.years[0]
    return Identity(
        company=entry.company or ident.company,
        year=year,
        company_rule="manifest" if entry.company else ident.company_rule,
        year_rule="manifest" if entry.years else ident.year_rule,
        industry=entry.industry)


def _manifest_years(text: str, line: int, path: Path) -> tuple[int, ...]:
    """`2016`, or the accepted years `2015|2016`; empty: keep the rules' year."""
    if not text:
        return ()
    parts = [t.strip() for t in text.split("|")]
    if not all(re.fullmatch(r"\d{4}", t) for t in parts):
        raise InputError(f"line {line}: year {text!r} is not a 4-digit year "
                         "(or years like 2015|2016)", path=str(path))
    return tuple(dict.fromkeys(int(t) for t in parts))
