"""Run every indicator's own examples (proselint/semgrep style rule tests)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

from csrscan.models import Document, Indicator, Pack, Page
from csrscan.stages import normpages_to_evidence
from csrscan.text.normalize import document_to_normpages


@dataclass(frozen=True, slots=True)
class ExampleResult:
    indicator: str
    kind: str  # "pass" | "fail" | "missing"
    text: str
    ok: bool
    found: tuple[str, ...] = ()


def text_to_indicators(text: str, pack: Pack) -> tuple[str, ...]:
    """The indicator ids that find evidence in a short text."""
    doc = Document(path="<example>", format="txt",
                   sha256=hashlib.sha256(text.encode()).hexdigest(),
                   pages=(Page(number=1, text=text),))
    found = normpages_to_evidence(document_to_normpages(doc), pack)
    return tuple(sorted({e.indicator for e in found if "." in e.indicator}))


def indicator_examples(ind: Indicator, pack: Pack) -> Iterator[ExampleResult]:
    if not ind.examples_pass or not ind.examples_fail:
        yield ExampleResult(ind.id, "missing", "", False)
    for kind, texts, want in (("pass", ind.examples_pass, True),
                              ("fail", ind.examples_fail, False)):
        for text in texts:
            found = text_to_indicators(text, pack)
            yield ExampleResult(ind.id, kind, text, (ind.id in found) == want, found)


def pack_examples(pack: Pack) -> list[ExampleResult]:
    """Every example of every indicator, with its verdict."""
    return [r for ind in pack.indicators for r in indicator_examples(ind, pack)]
