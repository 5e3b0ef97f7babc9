"""One scanned report → `csrscan tag` rows, one per evidence item (docs/research.md).

A row is a sentence as the report wrote it, located (page, line), with the
topic and indicator it is evidence of and how strong it is, plus flags read
from the sentence's normalized text by the pack's grading patterns. With
`all_sentences`, a sentence that is evidence of nothing gives one row with
an empty topic, so that researchers have their own denominators.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from csrscan.models import Evidence, Grading, Report, Sentence
from csrscan.score import grade

COLUMNS: tuple[str, ...] = (
    "file", "sha256", "company", "year", "industry", "page", "line", "sentence", "context",
    "topic", "indicator", "strength", "quantitative", "figure", "terms", "ocr",
    "normative", "gap", "zero_incident", "boilerplate")
BOOLEAN = frozenset({"quantitative", "figure", "ocr", "normative", "gap", "zero_incident",
                     "boilerplate"})
INTEGER = frozenset({"year", "page", "line"})
_BOOLEAN_AT = tuple(i for i, c in enumerate(COLUMNS) if c in BOOLEAN)
_TERMS_AT = COLUMNS.index("terms")
TERM_SEP = "|"  # between terms in a CSV cell: never in a term, unlike a space
Key = tuple[int, int, str]  # page, line, sentence text: how evidence names its sentence


@dataclass(frozen=True, slots=True)
class FileFacts:
    """What every row of one file repeats."""

    path: str
    sha256: str
    company: str
    year: int | None
    industry: str = ""


def evidence_by_sentence(report: Report) -> dict[Key, list[tuple[str, str, Evidence]]]:
    """(topic, indicator, evidence) per sentence, in pack order; a topic's
    mentions (sentences naming the topic only) have an empty indicator."""
    out: dict[Key, list[tuple[str, str, Evidence]]] = defaultdict(list)
    for topic in report.topics:
        tid = topic.topic.id
        for result in topic.indicators:
            for ev in result.evidence:
                out[(ev.page, ev.line, ev.text)].append((tid, result.indicator.id, ev))
        for ev in topic.mentions:
            out[(ev.page, ev.line, ev.text)].append((tid, "", ev))
    return out


def report_rows(facts: FileFacts, report: Report, sentences: Sequence[Sentence],
                grading: Grading, all_sentences: bool = False) -> Iterator[dict[str, Any]]:
    """The file's rows in document order (page, then place on the page); within a
    sentence, its evidence in pack order. Every evidence item of the report is
    a row once, even when one line holds the same sentence twice."""
    found = evidence_by_sentence(report)
    ordered = sorted(sentences, key=lambda s: (s.page, s.start))
    for s in ordered:
        items = found.pop((s.page, s.line, s.text), None)
        if items is None and not all_sentences:
            continue
        base = _sentence_cells(facts, s, grading)
        if not items:
            yield {**base, "topic": "", "indicator": "", "strength": "",
                   "quantitative": False, "terms": []}
            continue
        for topic, indicator, ev in items:
            yield {**base, "topic": topic, "indicator": indicator, "strength": ev.strength,
                   "quantitative": ev.strength == "performance", "terms": list(ev.terms)}
    if found:  # evidence whose sentence the tap did not see: never expected, never lost
        raise AssertionError(f"{len(found)} evidence sentence(s) not among the sentences")


def _sentence_cells(facts: FileFacts, s: Sentence, grading: Grading) -> dict[str, Any]:
    norm = s.norm
    zero = grade.states_zero(norm, grading)  # a zero in words is a figure too
    return {"file": facts.path, "sha256": facts.sha256, "company": facts.company,
            "year": facts.year, "industry": facts.industry, "page": s.page, "line": s.line,
            "sentence": s.text.strip(), "context": s.context,
            "figure": zero or grade.has_figure(norm, grading), "ocr": s.origin == "ocr",
            "normative": grade.is_normative(norm, grading), "gap": grade.is_gap(norm, grading),
            "zero_incident": zero,
            "boilerplate": None}  # known only over the batch (tag --boilerplate)


def csv_lines(rows: Iterable[dict[str, Any]]) -> str:
    """Rows as CSV text without a header; booleans 1/0, None (an unknown year, no
    boilerplate flag) empty, as the csv module writes None; terms joined by
    TERM_SEP (a term may hold a space: `iso 27001`); text that a spreadsheet
    would run as a formula prefixed with `'` (compare/formats/cells.py)."""
    from csrscan.compare.formats.cells import csv_row

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    for row in rows:
        cells = [row[c] for c in COLUMNS]
        cells[_TERMS_AT] = TERM_SEP.join(cells[_TERMS_AT])
        for i in _BOOLEAN_AT:
            if cells[i] is not None:
                cells[i] = 1 if cells[i] else 0
        writer.writerow(csv_row(cells))  # a quoted "=…" never runs as a formula
    return buf.getvalue()


def csv_header() -> str:
    return ",".join(COLUMNS) + "\n"


def row_from_json(data: dict[str, Any]) -> dict[str, Any]:
    """A row read back from a JSONL line (the same keys and values)."""
    return data


def jsonl_lines(rows: Iterable[dict[str, Any]]) -> str:
    """Rows as JSON lines, keys in column order; terms a list."""
    return "".join(json.dumps({c: row[c] for c in COLUMNS}, ensure_ascii=False) + "\n"
                   for row in rows)
