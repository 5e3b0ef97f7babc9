"""Diff results → one finding per regression, for reviewdog and editors.

`diff -f concise|rdjson|rdjsonl` reports on NEW what it lost against OLD:
each topic whose level fell (error) and each indicator no longer found
(warning), at the topic's heading in a Markdown / text draft, else at the
topic's first evidence in NEW, else line 1. Fingerprints are check's (pack
+ rule + NEW's path), so a lost indicator and the gap `check` reports for it
are the same finding to a platform. Gains are not findings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from csrscan.check.diff import ReportDiff
from csrscan.check.evaluate import heading_line, read_lines, topic_names
from csrscan.check.fingerprint import finding_path, fingerprint
from csrscan.check.formats.concise import concise_line
from csrscan.check.formats.rdjson import SOURCE, original_output


@dataclass(frozen=True, slots=True)
class Regression:
    path: str
    line: int
    severity: str
    rule: str
    message: str
    fingerprint: str


def regressions(d: ReportDiff) -> list[Regression]:
    path = d.new.source.path
    lines = read_lines(Path(path))
    topics = {t.topic.id: t for t in (*d.old.topics, *d.new.topics)}
    names = {r.indicator.id: r.indicator.name for t in topics.values() for r in t.indicators}
    out = []
    for t in d.topics:
        if t.new_level >= t.old_level and not t.lost:
            continue
        topic = topics[t.id]
        evidence = [e.line for r in topic.indicators for e in r.evidence]
        line = (heading_line(lines, topic_names(topic.topic.name, topic.topic.name_en))
                if lines else None) or min(evidence, default=1)
        if t.new_level < t.old_level:
            out.append(_item(d, path, line, "error", t.id,
                             f"topic {t.name} [{t.id}] fell from {t.old_status} to "
                             f"{t.new_status} since {d.old.source.path}"))
        out += [_item(d, path, line, "warning", i,
                      f"indicator {names.get(i, i)} [{i}] no longer found "
                      f"(it was in {d.old.source.path})") for i in t.lost]
    return out


def _item(d: ReportDiff, path: str, line: int, severity: str, rule: str, message: str
          ) -> Regression:
    return Regression(finding_path(path), max(line, 1), severity, rule, message,
                      fingerprint(d.new.pack_id, rule, path))


def render_diff_concise(d: ReportDiff) -> str:
    return "".join(_line(r) + "\n" for r in regressions(d))


def _line(r: Regression) -> str:
    return concise_line(r.path, r.line, r.severity, r.rule, r.message)


def _diagnostic(r: Regression) -> dict[str, Any]:
    return {"message": r.message,
            "location": {"path": r.path, "range": {"start": {"line": r.line}}},
            "severity": r.severity.upper(), "source": SOURCE, "code": {"value": r.rule},
            "original_output": original_output(_line(r), r.fingerprint)}


def render_diff_rdjson(d: ReportDiff) -> str:
    doc = {"source": SOURCE, "diagnostics": [_diagnostic(r) for r in regressions(d)]}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def render_diff_rdjsonl(d: ReportDiff) -> str:
    return "".join(json.dumps(_diagnostic(r), ensure_ascii=False) + "\n"
                   for r in regressions(d))
