"""Check results → GitLab Code Quality (the Code Climate subset GitLab reads).

A JSON array of issues with `description`, `check_name`, `fingerprint`,
`severity` (info / minor / major / critical / blocker) and `location.path` +
`location.lines.begin`; published as `artifacts: reports: codequality`.
Only open findings are issues: GitLab has no notion of a suppressed or
baselined one, and would show them as new. The description of a gap ends
with what to add (the missing indicators' guidance).
"""

from __future__ import annotations

import json
from typing import Any

from csrscan.check.evaluate import CheckResult, FileResult
from csrscan.check.fingerprint import finding_fingerprint, finding_path
from csrscan.check.guidance import missing_indicators
from csrscan.check.policy import Finding

SEVERITY = {"error": "major", "warning": "minor", "info": "info"}


def describe(r: FileResult, f: Finding) -> str:
    """The finding's message, then each missing indicator's guidance on one line."""
    parts = [f.message]
    for ind in missing_indicators(r.report, f):
        if ind.guidance:
            advice = " / ".join(line.strip() for line in ind.guidance.splitlines() if line.strip())
            example = f" 例: {ind.good_example}" if ind.good_example else ""
            parts.append(f"{ind.name} [{ind.id}]: {advice}{example}")
    return "\n".join(parts)


def issue(r: FileResult, f: Finding, pack_id: str) -> dict[str, Any]:
    return {"description": describe(r, f), "check_name": f.rule,
            "fingerprint": finding_fingerprint(f, pack_id), "severity": SEVERITY[f.severity],
            "location": {"path": finding_path(f.file), "lines": {"begin": max(f.line, 1)}}}


def check_to_gitlab(result: CheckResult) -> list[dict[str, Any]]:
    return [issue(r, f, result.pack.id) for r in result.files for f in r.findings
            if f.status == "open"]


def render_gitlab(result: CheckResult) -> str:
    return json.dumps(check_to_gitlab(result), ensure_ascii=False, indent=2) + "\n"
