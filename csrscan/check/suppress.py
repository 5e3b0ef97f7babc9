"""In-document suppressions: `<!-- csrscan-disable ID[, ID…]: reason -->`.

Read from the raw text of Markdown / text drafts. A suppression applies to
the whole file; a topic id also covers that topic's indicators. A comment
without a reason, or naming an unknown id, is itself an error finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from csrscan.check.policy import SCORE_RULE, SUPPRESSION_RULE, Finding
from csrscan.models import Pack

TEXT_SUFFIXES = (".md", ".markdown", ".txt", ".text")
_COMMENT = re.compile(r"<!--\s*csrscan-disable\b(?P<body>.*?)-->", re.S)


@dataclass(frozen=True, slots=True)
class Suppression:
    ids: tuple[str, ...]
    reason: str
    line: int


def read_suppressions(path: Path) -> tuple[Suppression, ...]:
    """Suppression comments of a text draft (none for other formats)."""
    if path.suffix.lower() not in TEXT_SUFFIXES or not path.is_file():
        return ()
    return parse_suppressions(path.read_bytes().decode("utf-8-sig", errors="replace"))


def parse_suppressions(text: str) -> tuple[Suppression, ...]:
    out = []
    for m in _COMMENT.finditer(text):
        ids_part, _, reason = m.group("body").partition(":")
        ids = tuple(i for i in re.split(r"[\s,]+", ids_part.strip()) if i)
        line = text.count("\n", 0, m.start()) + 1
        out.append(Suppression(ids=ids, reason=" ".join(reason.split()), line=line))
    return tuple(out)


def suppression_findings(file: str, sups: tuple[Suppression, ...], pack: Pack
                         ) -> tuple[Finding, ...]:
    """Errors for malformed suppressions: no id, unknown id, no reason."""
    known = {t.id for t in pack.topics} | {i.id for i in pack.indicators} | {SCORE_RULE}
    out = []
    for s in sups:
        problems = []
        if not s.ids:
            problems.append("names no topic or indicator id")
        problems += [f"names unknown id {i!r}" for i in s.ids if i not in known]
        if not s.reason:
            ids = ", ".join(s.ids) or "ID"
            problems.append(f"has no reason (write `<!-- csrscan-disable {ids}: reason -->`)")
        for problem in problems:
            out.append(Finding(file=file, rule=SUPPRESSION_RULE, kind="suppression",
                               severity="error", line=s.line,
                               message=f"csrscan-disable comment {problem}"))
    return tuple(out)


def apply_suppressions(findings: tuple[Finding, ...], sups: tuple[Suppression, ...]
                       ) -> tuple[Finding, ...]:
    """Mark findings covered by a well-formed suppression as suppressed (kept, not hidden)."""
    valid = [s for s in sups if s.reason]
    out = []
    for f in findings:
        match = next((s for s in valid if f.kind != "suppression"
                      and (f.rule in s.ids or (f.topic is not None and f.topic in s.ids))), None)
        out.append(replace(f, status="suppressed", reason=match.reason) if match else f)
    return tuple(out)
