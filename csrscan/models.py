"""Frozen dataclasses passed between the pipeline stages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Origin = Literal["text", "ocr", "none"]
Strength = Literal["statement", "measure", "performance", "target"]
Context = Literal["body", "heading", "toc", "index", "list", "table"]

STRENGTHS: tuple[Strength, ...] = ("statement", "measure", "performance", "target")


# ---- ingest -----------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Page:
    """One page of extracted text; lines are separated by '\\n'.

    `first_line` is the number of the text's first line: for a text file the
    whole file is page 1 starting at line 1, so a line number is a file line.
    `origin` says where the text came from: the text layer, OCR, or nowhere
    (a page without a usable text layer).
    """

    number: int
    text: str
    origin: Origin = "text"
    first_line: int = 1


@dataclass(frozen=True, slots=True)
class Document:
    """A report as read from disk: pages of text plus facts about the file."""

    path: str
    format: str
    sha256: str
    pages: tuple[Page, ...]
    encoding: str | None = None
    warnings: tuple[str, ...] = ()
    attachments: int = 0  # files a PDF embeds, counted by the reader (ingest/attachments.py)

    @property
    def chars(self) -> int:
        return sum(len(p.text) for p in self.pages)


# ---- normalize / segment ----------------------------------------------------

@dataclass(frozen=True, slots=True)
class NormPage:
    """A page after normalization.

    `orig` and `norm` have equal length and are aligned character by
    character, so a span found in `norm` quotes the report's own words from
    `orig`. `line_starts[i]` is the offset where source line `line_numbers[i]`
    begins.
    """

    number: int
    orig: str
    norm: str
    line_starts: tuple[int, ...]
    line_numbers: tuple[int, ...]
    origin: Origin = "text"


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence with its location; `start`/`end` index its NormPage."""

    page: int
    line: int
    start: int
    end: int
    text: str
    norm: str
    context: Context = "body"
    origin: Origin = "text"


# ---- rules ------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Pattern:
    """One way an indicator can match a sentence."""

    kind: Literal["any", "all", "regex"]
    terms: tuple[str, ...] = ()
    within: int | None = None
    regex: str | None = None


@dataclass(frozen=True, slots=True)
class RuleContext:
    """Words one of which must stand in the same sentence or paragraph as a
    hit for the hit to count (a rule's `context:`; docs/writing-rules.md)."""

    terms: tuple[str, ...]
    scope: Literal["sentence", "paragraph"] = "sentence"


@dataclass(frozen=True, slots=True)
class Indicator:
    id: str
    topic: str
    name: str
    name_en: str
    description: str
    refs: tuple[str, ...]
    patterns: tuple[Pattern, ...]
    exclude: tuple[str, ...] = ()
    quantitative: bool = False
    examples_pass: tuple[str, ...] = ()
    examples_fail: tuple[str, ...] = ()
    context: RuleContext | None = None  # its own; else its topic's applies
    guidance: str = ""  # what a complete disclosure holds: a Chinese line, then an English one
    good_example: str = ""  # a sentence that discloses it well (`rules test` checks it)


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    name: str
    name_en: str
    refs: tuple[str, ...]
    indicators: tuple[Indicator, ...]
    mentions: tuple[str, ...] = ()
    context: RuleContext | None = None  # for every indicator without its own, and mentions


@dataclass(frozen=True, slots=True)
class Grading:
    """How strongly a sentence counts: the pack's `grading` block, as data.

    Each pattern field holds regular expressions (alternatives, searched in
    normalized text); score/grade.py compiles them once per Grading. `{unit}`
    in a figure pattern stands for the alternation of `units`. Empty fields
    never match. Read by score.grade (strength) and text.segment (`index`).
    """

    subjects: tuple[str, ...] = ()  # the company's own names: 本公司, 本行, 我们
    units: tuple[str, ...] = ()  # figure units, literal: 亿元, 人次, %
    figures: tuple[str, ...] = ()  # a quantity: each regex on its own
    zero: tuple[str, ...] = ()  # a zero stated in words: 未发生, 零投诉
    measure: tuple[str, ...] = ()  # action words, literal: 建立, 开展, 上线
    normative: tuple[str, ...] = ()  # rule talk: 应当, 须, 要求
    gap: tuple[str, ...] = ()  # not in place: 尚未建立, 缺乏
    target: tuple[str, ...] = ()  # a dated goal: 到2030年…力争
    past: tuple[str, ...] = ()  # a status date or a done deed (截至, 已): no target
    others: tuple[str, ...] = ()  # someone else speaks or acts: 据…统计, 监管部门
    other_names: tuple[str, ...] = ()  # a subject word naming someone else: 子公司, 保险公司
    covered_sentences: int = 1  # a covered topic's substantive evidence spans this many sentences
    index: tuple[str, ...] = ()  # standards-index lines: GRI 418-1, 指标索引
    # a user pack's grading keys (its own `grading` block, not the built-in base):
    # their regexes search under a time budget (score/grade.py); `guarded_by` is
    # the file that gives them, named in errors. Empty for the built-in pack.
    guarded: tuple[str, ...] = ()
    guarded_by: str = ""


@dataclass(frozen=True, slots=True)
class Pack:
    id: str
    version: str
    name: str
    path: str
    topics: tuple[Topic, ...]
    subjects: tuple[str, ...] = ()
    description: str = ""
    variants: tuple[tuple[str, tuple[str, ...]], ...] = ()
    language: str = ""
    grading: Grading = Grading()

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for t in self.topics for i in t.indicators)


# ---- match / score ----------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Evidence:
    indicator: str
    page: int
    line: int
    text: str
    terms: tuple[str, ...]
    strength: Strength
    origin: Origin = "text"


@dataclass(frozen=True, slots=True)
class IndicatorResult:
    indicator: Indicator
    evidence: tuple[Evidence, ...]

    @property
    def found(self) -> bool:
        return bool(self.evidence)

    @property
    def quantitative(self) -> bool:
        return any(e.strength == "performance" for e in self.evidence)

    @property
    def strength(self) -> Strength | None:
        if not self.evidence:
            return None
        return max((e.strength for e in self.evidence), key=STRENGTHS.index)


@dataclass(frozen=True, slots=True)
class TopicResult:
    topic: Topic
    level: int
    score: float
    indicators: tuple[IndicatorResult, ...]
    mentions: tuple[Evidence, ...] = ()

    @property
    def status(self) -> str:
        return ("missing", "partial", "covered")[self.level]


def printable_path(path: str) -> str:
    """A path as every output can hold it: the bytes of a file name that is not
    UTF-8 (a GBK name unpacked from a Windows zip), which Python keeps as lone
    surrogates that no UTF-8 file, JSON, page or database takes, are written
    as backslash escapes (`\\xb1\\xa8.pdf`), so two such names stay two paths."""
    try:
        raw = path.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate no file name produces
        return path.encode("utf-8", "backslashreplace").decode("utf-8")
    return raw.decode("utf-8", "backslashreplace")


@dataclass(frozen=True, slots=True)
class SourceInfo:
    path: str
    sha256: str
    format: str
    pages: int
    chars: int
    script: str
    encoding: str | None = None


@dataclass(frozen=True, slots=True)
class Report:
    source: SourceInfo
    pack_id: str
    pack_version: str
    topics: tuple[TopicResult, ...]
    warnings: tuple[str, ...] = field(default=())

    @property
    def score(self) -> float:
        if not self.topics:
            return 0.0
        return round(sum(t.score for t in self.topics) / len(self.topics), 3)
