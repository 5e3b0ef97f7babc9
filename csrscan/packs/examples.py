"""Run every indicator's own examples (proselint/semgrep style rule tests).

An indicator's `good_example` must be evidence for it graded `measure` or
better: it is what a writer is told to copy, so a bare mention will not do.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

from csrscan.models import STRENGTHS, Document, Evidence, Indicator, Pack, Page
from csrscan.stages import normpages_to_evidence
from csrscan.text.normalize import document_to_normpages


@dataclass(frozen=True, slots=True)
class ExampleResult:
    indicator: str
    kind: str  # "pass" | "fail" | "good" | "missing"
    text: str
    ok: bool
    found: tuple[str, ...] = ()


GOOD_STRENGTH = "measure"


def text_to_evidence(text: str, pack: Pack) -> tuple[Evidence, ...]:
    """The evidence a short text yields, as a scan would find it."""
    doc = Document(path="<example>", format="txt",
                   sha256=hashlib.sha256(text.encode()).hexdigest(),
                   pages=(Page(number=1, text=text),))
    return tuple(normpages_to_evidence(document_to_normpages(doc), pack))


def text_to_indicators(text: str, pack: Pack) -> tuple[str, ...]:
    """The indicator ids that find evidence in a short text."""
    found = text_to_evidence(text, pack)
    return tuple(sorted({e.indicator for e in found if "." in e.indicator}))


def good_example_result(ind: Indicator, pack: Pack) -> ExampleResult:
    """`good_example` must be evidence for `ind` at GOOD_STRENGTH or stronger."""
    found = text_to_evidence(ind.good_example, pack)
    mine = [STRENGTHS.index(e.strength) for e in found if e.indicator == ind.id]
    ok = bool(mine) and max(mine) >= STRENGTHS.index(GOOD_STRENGTH)
    shown = tuple(sorted({f"{e.indicator}:{e.strength}" for e in found if "." in e.indicator}))
    return ExampleResult(ind.id, "good", ind.good_example, ok, shown)


def indicator_examples(ind: Indicator, pack: Pack) -> Iterator[ExampleResult]:
    if not ind.examples_pass or not ind.examples_fail:
        yield ExampleResult(ind.id, "missing", "", False)
    for kind, texts, want in (("pass", ind.examples_pass, True),
                              ("fail", ind.examples_fail, False)):
        for text in texts:
            found = text_to_indicators(text, pack)
            yield ExampleResult(ind.id, kind, text, (ind.id in found) == want, found)
    if ind.good_example:
        yield good_example_result(ind, pack)


def pack_examples(pack: Pack) -> list[ExampleResult]:
    """Every example of every indicator, with its verdict."""
    return [r for ind in pack.indicators for r in indicator_examples(ind, pack)]
