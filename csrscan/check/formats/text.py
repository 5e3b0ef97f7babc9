"""Check results → `csrscan.check/1` JSON, Markdown and a plain-text table."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from csrscan.check.evaluate import CheckResult, FileResult
from csrscan.check.fingerprint import finding_fingerprint
from csrscan.check.guidance import guidance_lines, indicator_label, missing_indicators
from csrscan.check.policy import Finding, Policy

SCHEMA = "csrscan.check/1"
SEVERITY_MARK = {"error": "❌ error", "warning": "⚠️ warning", "info": "ℹ️ info"}


def finding_to_dict(f: Finding, fail_on: str, pack_id: str = "",
                    r: FileResult | None = None) -> dict[str, Any]:
    missing = missing_indicators(r.report, f) if r is not None else ()
    return {"rule": f.rule, "kind": f.kind, "topic": f.topic, "severity": f.severity,
            "status": f.status, "fails": f.fails(fail_on), "message": f.message,
            "expected": f.expected, "actual": f.actual, "page": f.page, "line": f.line,
            "reason": f.reason, "fingerprint": finding_fingerprint(f, pack_id),
            "missing_indicators": [{"id": i.id, "name": i.name, "guidance": i.guidance,
                                    "good_example": i.good_example} for i in missing]}


def policy_to_dict(policy: Policy) -> dict[str, Any]:
    return {"require": dict(policy.require),
            "require_indicators": list(policy.require_indicators),
            "min_score": policy.min_score, "severity": dict(policy.severity),
            "fail_on": policy.fail_on}


def summary(result: CheckResult) -> dict[str, int]:
    found = result.findings
    open_ = [f for f in found if f.status == "open"]
    sev = Counter(f.severity for f in open_)
    return {"files": len(result.files),
            "failed_files": sum(not r.passed(result.policy.fail_on) for r in result.files),
            "errors": sev["error"], "warnings": sev["warning"], "info": sev["info"],
            "suppressed": sum(f.status == "suppressed" for f in found),
            "baselined": sum(f.status == "baselined" for f in found)}


def check_to_dict(result: CheckResult) -> dict[str, Any]:
    """The `csrscan.check/1` contract (docs/check.md)."""
    from csrscan.render.report import report_to_dict

    fail_on = result.policy.fail_on
    return {
        "schema": SCHEMA, "passed": result.passed, "exit_code": result.exit_code,
        "pack": {"id": result.pack.id, "version": result.pack.version},
        "policy": policy_to_dict(result.policy), "baseline": result.baseline,
        "summary": summary(result),
        "files": [{"path": r.path, "passed": r.passed(fail_on),
                   "findings": [finding_to_dict(f, fail_on, result.pack.id, r)
                                for f in r.findings],
                   "suppressions": [{"ids": list(s.ids), "reason": s.reason, "line": s.line}
                                    for s in r.suppressions],
                   "report": report_to_dict(r.report)}
                  for r in result.files],
    }


def render_check_json(result: CheckResult) -> str:
    return json.dumps(check_to_dict(result), ensure_ascii=False, indent=2) + "\n"


def verdict_line(result: CheckResult) -> str:
    s = summary(result)
    word = "passed" if result.passed else "FAILED"
    return (f"csrscan check {word}: {s['files']} file(s), {s['errors']} error(s), "
            f"{s['warnings']} warning(s), {s['info']} info, {s['suppressed']} suppressed, "
            f"{s['baselined']} baselined (fail on: {result.policy.fail_on})")


def _status(f: Finding) -> str:
    if f.status == "suppressed":
        return f"suppressed: {f.reason}"
    return f.status


def render_check_markdown(result: CheckResult) -> str:
    """A Markdown summary (PR comments, $GITHUB_STEP_SUMMARY)."""
    fail_on = result.policy.fail_on
    rows = ["# csrscan check", "", f"**{verdict_line(result)}**", ""]
    for r in result.files:
        mark = "✅" if r.passed(fail_on) else "❌"
        rows += [f"## {mark} `{r.path}`", "",
                 f"score {r.report.score:.2f} · "
                 + ", ".join(f"{t.topic.id}: {t.status}" for t in r.report.topics), ""]
        if not r.findings:
            rows += ["No gaps.", ""]
            continue
        rows += ["| severity | rule | where | status | message |",
                 "| --- | --- | --- | --- | --- |"]
        rows += [f"| {SEVERITY_MARK[f.severity]} | `{f.rule}` | {_where(r, f)} | "
                 f"{_status(f)} | {_cell(f.message)} |" for f in r.findings]
        rows.append("")
        rows += _what_to_add(r)
    return "\n".join(rows)


def _what_to_add(r: FileResult) -> list[str]:
    """Guidance for the indicators that open gaps miss, each once."""
    seen: dict[str, list[str]] = {}
    for f in r.findings:
        if f.status == "open":
            for ind in missing_indicators(r.report, f):
                lines = guidance_lines(ind)
                if lines and ind.id not in seen:
                    seen[ind.id] = [f"- **{indicator_label(ind)}**  "] + [
                        f"  {line.strip()}  " for line in lines[1:]]
    if not seen:
        return []
    return ["<details><summary>What to add (完整披露应包含)</summary>", "",
            *(line for block in seen.values() for line in block), "", "</details>", ""]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _where(r: FileResult, f: Finding) -> str:
    return f"p.{f.page}:{f.line}" if r.report.source.format == "pdf" else f"line {f.line}"


def render_check_table(result: CheckResult) -> str:
    """Plain text, one line per finding: path:line: severity rule message [status]."""
    fail_on = result.policy.fail_on
    rows = []
    for r in result.files:
        verdict = "ok" if r.passed(fail_on) else "FAIL"
        rows.append(f"{r.path}: {verdict} (score {r.report.score:.2f})")
        for f in r.findings:
            where = f"{r.path}:{f.page}:{f.line}" if r.report.source.format == "pdf" \
                else f"{r.path}:{f.line}"
            tail = "" if f.status == "open" else f" [{_status(f)}]"
            rows.append(f"  {where}: {f.severity} {f.rule}: {f.message}{tail}")
            if f.status == "open":
                rows += [f"      {line}" for ind in missing_indicators(r.report, f)
                         for line in guidance_lines(ind)]
    rows.append(verdict_line(result))
    return "\n".join(rows) + "\n"
